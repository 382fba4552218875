import type { Month } from '../model';

/**
 * Calendar-month arithmetic. Months are `YYYY-MM` strings; instants are UTC
 * `Date`s; a time zone is named only where the caller asks for one.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** Year and 1-based month of a valid `YYYY-MM`; throws a TypeError naming the value otherwise. */
export function parseMonth(value: Month): { year: number; month: number } {
  const match = MONTH.exec(value);
  if (!match) throw new TypeError(`expected a month as YYYY-MM, received "${value}"`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function formatMonth(year: number, month: number): Month {
  const normalised = new Date(Date.UTC(year, month - 1, 1));
  return `${normalised.getUTCFullYear()}-${String(normalised.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function addMonths(value: Month, count: number): Month {
  const { year, month } = parseMonth(value);
  return formatMonth(year, month + count);
}

/** Whole months from `from` to `to` (2025-01 to 2025-03 is 2). */
export function monthsApart(from: Month, to: Month): number {
  const a = parseMonth(from);
  const b = parseMonth(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

/** Every month from `from` to `to`, inclusive. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const count = monthsApart(from, to);
  return Array.from({ length: Math.max(0, count + 1) }, (_, i) => addMonths(from, i));
}

/** The month a UTC instant falls in. */
export function monthOfUtc(instant: Date): Month {
  return formatMonth(instant.getUTCFullYear(), instant.getUTCMonth() + 1);
}

/** First and last calendar day of a month as `YYYY-MM-DD` (leap years included). */
export function monthDays(value: Month): { first: string; last: string } {
  const { year, month } = parseMonth(value);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { first: `${value}-01`, last: `${value}-${String(lastDay).padStart(2, '0')}` };
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    zoneFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(zoneFormat(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The calendar month an instant falls in, as seen in `timeZone`. */
export function monthOf(instant: Date, timeZone = 'UTC'): Month {
  if (timeZone === 'UTC') return monthOfUtc(instant);
  const { year, month } = wallClock(instant, timeZone);
  return formatMonth(year, month);
}

/** The instant a month begins in `timeZone` (midnight on its first day there). */
export function monthStart(value: Month, timeZone = 'UTC'): Date {
  const { year, month } = parseMonth(value);
  const guess = Date.UTC(year, month - 1, 1);
  if (timeZone === 'UTC') return new Date(guess);
  // The zone's offset at the guess, applied twice so a DST change near midnight still lands on midnight.
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(instant), timeZone);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    instant += guess - asUtc;
  }
  return new Date(instant);
}

/** [start of `from`, start of the month after `to`) in `timeZone`. */
export function monthWindow(from: Month, to: Month, timeZone = 'UTC'): { start: Date; end: Date } {
  return { start: monthStart(from, timeZone), end: monthStart(addMonths(to, 1), timeZone) };
}
