import type { BillingSessionRecord } from '../model';
import { expectedSessionsForConversation } from './billing-rule';

/** Which of seed 004's rules a billed count was checked against. */
export type ReconciliationRule = 'CONVERSATION_STARTED_15_MINUTES' | 'ONE_SESSION_PER_ALERT_DELIVERY';

export interface SessionDiscrepancy {
  /** The conversation, or the alert delivery (`conversationSessionId`; the session id when the vendor sent none). */
  conversationId: string;
  billed: number;
  expected: number;
  /** The measured span: earliest start to latest end over all the conversation's records. */
  start: Date;
  end: Date;
  durationSeconds: number;
  rule: ReconciliationRule;
  reason: string;
}

export interface Reconciliation {
  /** Conversations that started in the period. */
  conversations: number;
  /** Alert deliveries that started in the period. */
  alertDeliveries: number;
  billedSessions: number;
  expectedSessions: number;
  discrepancies: SessionDiscrepancy[];
}

interface Span {
  start: Date;
  end: Date;
}

/**
 * Checks billed sessions against Kore.ai's rule (seed 004): one session per
 * started 15 minutes of a conversation, one per delivered alert.
 *
 * A conversation is all records sharing a `conversationSessionId`, and its span
 * is the earliest start to the latest end over all of them (a record's
 * conversation times where present, its billing times otherwise): seed 000's own
 * sample gives two records of one conversation different conversation times, so
 * no single record tells the whole span. An alert delivery is one
 * `conversationSessionId` too; more than one alert session for it is over-billing.
 *
 * Each conversation or delivery belongs to the period its span starts in;
 * callers pass the sessions of the period plus a margin either side, so one
 * that runs over an edge is judged whole, once.
 */
export function reconcileSessions(sessions: readonly BillingSessionRecord[], from: Date, to: Date): Reconciliation {
  const conversations = groupBy(sessions.filter((s) => s.type === 'CONVERSATION'));
  const deliveries = groupBy(sessions.filter((s) => s.type === 'ALERT'));
  const result: Reconciliation = { conversations: 0, alertDeliveries: 0, billedSessions: 0, expectedSessions: 0, discrepancies: [] };

  const judge = (id: string, group: BillingSessionRecord[], rule: ReconciliationRule): boolean => {
    const span = spanOf(group);
    if (span.start < from || span.start >= to) return false;
    const durationSeconds = Math.max(0, Math.round((span.end.getTime() - span.start.getTime()) / 1000));
    const expected = rule === 'ONE_SESSION_PER_ALERT_DELIVERY' ? 1 : expectedSessionsForConversation(durationSeconds);
    const billed = group.length;
    result.billedSessions += billed;
    result.expectedSessions += expected;
    if (billed !== expected) {
      result.discrepancies.push({ conversationId: id, billed, expected, ...span, durationSeconds, rule, reason: reasonFor(billed, expected, durationSeconds, rule) });
    }
    return true;
  };

  for (const [id, group] of conversations) if (judge(id, group, 'CONVERSATION_STARTED_15_MINUTES')) result.conversations += 1;
  for (const [id, group] of deliveries) if (judge(id, group, 'ONE_SESSION_PER_ALERT_DELIVERY')) result.alertDeliveries += 1;
  result.discrepancies.sort((a, b) => a.conversationId.localeCompare(b.conversationId));
  return result;
}

/** Records by conversation; a record without a conversation id stands alone, named by its session id and start. */
function groupBy(sessions: readonly BillingSessionRecord[]): Map<string, BillingSessionRecord[]> {
  const groups = new Map<string, BillingSessionRecord[]>();
  for (const s of sessions) {
    const key = s.conversationId ?? `${s.externalId}@${s.start.toISOString()}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/** Earliest start to latest end over every record: conversation times where present, billing times otherwise. */
export function spanOf(group: readonly BillingSessionRecord[]): Span {
  let start = Infinity;
  let end = -Infinity;
  for (const s of group) {
    start = Math.min(start, (s.conversationStart ?? s.start).getTime());
    end = Math.max(end, (s.conversationEnd ?? s.end).getTime());
  }
  return { start: new Date(start), end: new Date(Math.max(start, end)) };
}

function reasonFor(billed: number, expected: number, seconds: number, rule: ReconciliationRule): string {
  const kind = billed > expected ? 'over' : 'under';
  if (rule === 'ONE_SESSION_PER_ALERT_DELIVERY') {
    return `${kind}-billed: ${billed} alert sessions for one alert delivery; one per delivered alert gives ${expected}`;
  }
  return `${kind}-billed: ${billed} session(s) for ${formatDuration(seconds)} of conversation; one per started 15 minutes gives ${expected}`;
}

function formatDuration(seconds: number): string {
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
