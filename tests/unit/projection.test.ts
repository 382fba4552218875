import Decimal from 'decimal.js';
import { projectReport, runRate } from '../../src/usage/projection';
import { groupUsage, totalUsage, type UsageDimension } from '../../src/usage/report';
import { usageRecord, type UsageRecord } from '../../src/vendors/types';

const factor = (now: string, timeZone?: string) => runRate(new Date(now), timeZone);

describe('runRate: the month in progress and its factor, on fixed calendars', () => {
  it.each([
    // now, time zone, month, days in month, factor
    ['2026-01-16T00:00:00Z', 'UTC', '2026-01', 31, '2.0666666666666666667'],
    ['2026-02-15T00:00:00Z', 'UTC', '2026-02', 28, '2'],
    ['2028-02-15T00:00:00Z', 'UTC', '2028-02', 29, '2.0714285714285714286'],
    ['2026-03-01T06:00:00Z', 'UTC', '2026-03', 31, '31'], // first day: at least one day elapsed
    ['2026-03-02T00:00:00Z', 'UTC', '2026-03', 31, '31'],
    ['2026-02-28T23:30:00Z', 'Europe/Berlin', '2026-03', 31, '31'], // already 1 March in Berlin
    ['2026-03-01T03:00:00Z', 'America/New_York', '2026-02', 28, '1.0029850746268656716'], // 22:00 on 28 February in New York: 27 days 22 hours elapsed
    ['2026-04-30T23:59:00Z', 'UTC', '2026-04', 30, '1.0000231486839973148'],
  ])('at %s in %s: month %s of %i days, factor %s', (now, timeZone, month, days, expected) => {
    const r = factor(now, timeZone);
    expect(r.month).toBe(month);
    expect(r.monthDays).toBe(days);
    expect(new Decimal(r.factor).toSignificantDigits(20).toString()).toBe(expected);
  });

  it('counts a March with the clock change in Berlin as 31 days', () => {
    expect(factor('2026-03-31T12:00:00Z', 'Europe/Berlin').monthDays).toBe(31);
  });
});

const rec = (month: string, quantity: string, amount: string | null, extra: Partial<UsageRecord> = {}): UsageRecord =>
  usageRecord({ month, vendor: 'KORE_AI', connection: 'kore', organisationExternalId: 'org', type: 'BILLING_SESSION', unit: 'SESSIONS', quantity, amount, currency: amount === null ? null : 'USD', ...extra });

function project(records: UsageRecord[], groupBy: UsageDimension[], now: string, timeZone?: string) {
  const rows = groupUsage(records, groupBy);
  const totals = totalUsage(rows);
  return { rows, totals, projection: projectReport(records, groupBy, rows, totals, new Date(now), timeZone) };
}

describe('projectReport', () => {
  const records = [rec('2026-01', '310', '15.5'), rec('2026-02', '140', '7'), rec('2026-02', '10', null, { unit: 'MINUTES', type: 'AI_MINUTES', vendor: 'EVOVOICE' })];

  it('projects only the month in progress; ended months have none', () => {
    const { rows, projection } = project(records, ['MONTH', 'UNIT'], '2026-02-15T00:00:00Z');
    expect(rows.map((r) => [r.month, r.unit, r.quantity])).toEqual([['2026-01', 'SESSIONS', '310'], ['2026-02', 'MINUTES', '10'], ['2026-02', 'SESSIONS', '140']]);
    expect(projection.rows).toEqual([null, { quantity: '20', amount: null, method: 'RUN_RATE' }, { quantity: '280', amount: '14', method: 'RUN_RATE' }]);
  });

  it('never changes the reported figures', () => {
    const { rows } = project(records, ['MONTH', 'UNIT'], '2026-02-15T00:00:00Z');
    expect(rows).toEqual(groupUsage(records, ['MONTH', 'UNIT']));
  });

  it('adds the projected month in progress to the ended months of a row or total that spans both', () => {
    const { totals, projection } = project(records, ['UNIT'], '2026-02-15T00:00:00Z');
    expect(totals.map((t) => [t.unit, t.quantity])).toEqual([['MINUTES', '10'], ['SESSIONS', '450']]);
    expect(projection.rows).toEqual([{ quantity: '20', amount: null, method: 'RUN_RATE' }, { quantity: '590', amount: '29.5', method: 'RUN_RATE' }]);
    expect(projection.totals).toEqual(projection.rows);
  });

  it('has nothing to project once the month has ended, or on a first day with no data yet', () => {
    expect(project(records, ['MONTH'], '2026-03-10T00:00:00Z').projection.rows).toEqual([null, null, null]);
    expect(project(records, ['MONTH'], '2026-03-01T00:10:00Z').projection.totals).toEqual([null, null]);
  });

  it("uses the filter's time zone to decide which month is in progress", () => {
    // 1 March 00:30 in Berlin: February has ended there.
    expect(project(records, ['MONTH'], '2026-02-28T23:30:00Z', 'Europe/Berlin').projection.rows.every((p) => p === null)).toBe(true);
    expect(project(records, ['MONTH'], '2026-02-28T23:30:00Z', 'UTC').projection.rows.some((p) => p !== null)).toBe(true);
  });
});
