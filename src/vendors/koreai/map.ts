import { monthOf } from '../../usage/month';
import { toDecimal } from '../../usage/money';
import { usageRecord, type BillingSessionRecord, type BotRecord, type UsageRecord } from '../../model';
import type { KoreBillingSessionWire, KoreBotWire } from './wire';

/**
 * Pure Kore.ai wire -> normalised record functions, plus the vendor's billing
 * arithmetic (the 15-minute rule, request windows) so it can be table-tested.
 */

const KORE_DATE_TIME = /^(\d{2})-(\d{2})-(\d{4}) ([1-9]|1[0-2]):([0-5]\d):([0-5]\d) (am|pm)$/i;

/**
 * Parses Kore.ai's `MM-DD-YYYY h:mm:ss am|pm` (UTC, hour not zero-padded):
 * `03-10-2021 2:05:03 pm` is 2021-03-10T14:05:03Z. Month first: the seed's
 * request window proves it. Throws on anything else, including impossible dates.
 */
export function parseKoreDateTime(text: string): Date {
  const match = KORE_DATE_TIME.exec(text);
  if (!match) throw new Error(`expected a Kore.ai date-time as MM-DD-YYYY h:mm:ss am|pm, received "${text}"`);
  const [, mm, dd, yyyy, h, min, sec, meridiem] = match;
  const month = Number(mm);
  const day = Number(dd);
  const year = Number(yyyy);
  // 12 am is midnight and 12 pm is noon: the 12 folds to 0 before pm adds 12.
  const hour = (Number(h) % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  const date = new Date(Date.UTC(year, month - 1, day, hour, Number(min), Number(sec)));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new Error(`expected a Kore.ai date-time with a real calendar day, received "${text}"`);
  }
  return date;
}

const optionalDate = (text: string | null): Date | null => (text === null ? null : parseKoreDateTime(text));

/** The channel of a session the vendor sent without one (the documents never say it may be absent). */
export const UNKNOWN_CHANNEL = 'unknown';

/** `Alerts` in any letter case (and the singular) is an alert; anything else, or nothing, a conversation. */
export function isAlertType(billingSessionType: string | null): boolean {
  return billingSessionType !== null && /^alerts?$/i.test(billingSessionType.trim());
}

/** A wire session as a normalised record: channel lower-cased, unknown session types kept as conversations with their raw value. */
export function sessionFromWire(wire: KoreBillingSessionWire, connection: string): BillingSessionRecord {
  return {
    connection,
    botExternalId: wire.botId,
    externalId: wire.billingSessionId,
    channel: (wire.channel ?? UNKNOWN_CHANNEL).toLowerCase(),
    type: isAlertType(wire.billingSessionType) ? 'ALERT' : 'CONVERSATION',
    rawType: wire.billingSessionType ?? '',
    userId: wire.koreUserId,
    channelUserId: wire.channelUserId,
    conversationId: wire.conversationSessionId,
    conversationStart: optionalDate(wire.conversationSessionStartDateTime),
    conversationEnd: optionalDate(wire.conversationSessionEndDateTime),
    start: parseKoreDateTime(wire.billingSessionStartDateTime),
    end: parseKoreDateTime(wire.billingSessionEndDateTime),
  };
}

/** A bot of the admin bots list; every bot of one connection shares its accountId (the connection's name stands in when it is absent). */
export function botFromWire(wire: KoreBotWire, connection: string): BotRecord {
  return { vendor: 'KORE_AI', connection, organisationExternalId: wire.accountId ?? connection, externalId: wire._id, name: wire.name };
}

/**
 * The identity of a billing session for removing duplicates. Not the id alone:
 * seed 000's own sample gives two sessions (different times) one billingSessionId,
 * so the id together with the bot and the billing start names one session.
 */
export function sessionKey(s: BillingSessionRecord): string {
  return `${s.botExternalId}\u0000${s.externalId}\u0000${s.start.toISOString()}`;
}

/**
 * Monthly usage rows: one per bot, month (of the billing start, in `timeZone`),
 * channel and session type; quantity is the number of sessions. No amount:
 * Kore.ai reports none and rates are applied elsewhere.
 */
export function sessionsToUsage(
  sessions: readonly BillingSessionRecord[],
  timeZone: string,
  organisationExternalId: string,
  connection: string,
): UsageRecord[] {
  const counts = new Map<string, { bot: string; month: string; channel: string; type: BillingSessionRecord['type']; count: number }>();
  for (const s of sessions) {
    const month = monthOf(s.start, timeZone);
    const key = JSON.stringify([month, s.botExternalId, s.channel, s.type]);
    const group = counts.get(key) ?? { bot: s.botExternalId, month, channel: s.channel, type: s.type, count: 0 };
    group.count += 1;
    counts.set(key, group);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) =>
      usageRecord({
        month: g.month,
        vendor: 'KORE_AI',
        connection,
        organisationExternalId,
        botExternalId: g.bot,
        channel: g.channel,
        type: g.type === 'ALERT' ? 'ALERT_SESSION' : 'BILLING_SESSION',
        unit: 'SESSIONS',
        quantity: toDecimal(g.count),
      }),
    );
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Splits [from, to) into consecutive windows of at most `maxRangeDays` days, the longest period Kore.ai accepts in one call. */
export function requestWindows(from: Date, to: Date, maxRangeDays: number): Array<{ from: Date; to: Date }> {
  const windows: Array<{ from: Date; to: Date }> = [];
  const step = maxRangeDays * DAY_MS;
  for (let start = from.getTime(); start < to.getTime(); start += step) {
    windows.push({ from: new Date(start), to: new Date(Math.min(start + step, to.getTime())) });
  }
  return windows;
}
