import type { BillingSessionRecord } from '../vendors/types';
import { expectedSessionsForConversation } from './billing-rule';

export interface SessionDiscrepancy {
  conversationId: string;
  billed: number;
  expected: number;
  reason: string;
}

export interface Reconciliation {
  conversations: number;
  billedSessions: number;
  expectedSessions: number;
  discrepancies: SessionDiscrepancy[];
}

/**
 * Checks billed sessions against Kore.ai's rule (seed 004): one session per
 * started 15 minutes of a conversation, one per delivered alert. A
 * conversation belongs to the period it started in; callers pass the sessions
 * of [from, to) plus those billed shortly after `to`, so a conversation that
 * runs past the end is judged whole.
 */
export function reconcileSessions(sessions: readonly BillingSessionRecord[], from: Date, to: Date): Reconciliation {
  const conversations = new Map<string, BillingSessionRecord[]>();
  let alerts = 0;
  for (const session of sessions) {
    if (session.type === 'ALERT') {
      if (session.start >= from && session.start < to) alerts += 1;
      continue;
    }
    const key = session.conversationId ?? session.externalId;
    const group = conversations.get(key) ?? [];
    group.push(session);
    conversations.set(key, group);
  }
  const discrepancies: SessionDiscrepancy[] = [];
  let counted = 0;
  let billedSessions = alerts;
  let expectedSessions = alerts;
  for (const [conversationId, group] of conversations) {
    const start = group[0].conversationStart ?? minDate(group.map((s) => s.start));
    if (start < from || start >= to) continue;
    const end = group[0].conversationEnd ?? maxDate(group.map((s) => s.end));
    const seconds = Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000));
    const expected = expectedSessionsForConversation(seconds);
    counted += 1;
    billedSessions += group.length;
    expectedSessions += expected;
    if (group.length !== expected) {
      discrepancies.push({
        conversationId,
        billed: group.length,
        expected,
        reason: `${group.length > expected ? 'over' : 'under'}-billed: ${group.length} session(s) for ${formatDuration(seconds)} of conversation; one per started 15 minutes gives ${expected}`,
      });
    }
  }
  discrepancies.sort((a, b) => a.conversationId.localeCompare(b.conversationId));
  return { conversations: counted, billedSessions, expectedSessions, discrepancies };
}

function formatDuration(seconds: number): string {
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

const minDate = (dates: Date[]) => new Date(Math.min(...dates.map((d) => d.getTime())));
const maxDate = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));
