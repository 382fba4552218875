import { reconcileSessions } from '../../src/usage/reconcile';
import type { BillingSessionRecord } from '../../src/model';

const FROM = new Date('2025-03-01T00:00:00Z');
const TO = new Date('2025-04-01T00:00:00Z');
const START = Date.parse('2025-03-10T12:00:00Z');

/** `billed` sessions for a conversation of `seconds`, cut into equal consecutive slices as a vendor would bill them. */
function conversation(id: string, seconds: number, billed: number, startMs = START): BillingSessionRecord[] {
  const end = startMs + seconds * 1000;
  return Array.from({ length: billed }, (_, k) => ({
    connection: 'kore',
    botExternalId: 'bot-1',
    externalId: `${id}-s${k}`,
    channel: 'rtm',
    type: 'CONVERSATION',
    rawType: 'Conversations',
    userId: 'u-1',
    channelUserId: 'cu-1',
    conversationId: id,
    conversationStart: new Date(startMs),
    conversationEnd: new Date(end),
    start: new Date(startMs + Math.floor((k * (end - startMs)) / billed)),
    end: new Date(startMs + Math.floor(((k + 1) * (end - startMs)) / billed)),
  }));
}

function alert(id: string, startMs: number, delivery: string | null = null): BillingSessionRecord {
  return {
    connection: 'kore', botExternalId: 'bot-1', externalId: id, channel: 'email', type: 'ALERT', rawType: 'Alerts', userId: null, channelUserId: null,
    conversationId: delivery, conversationStart: null, conversationEnd: null, start: new Date(startMs), end: new Date(startMs + 2000),
  };
}

/** One record of a conversation carrying its own slice's conversation times, as seed 000's sample does. */
function slice(conversationId: string, id: string, fromMs: number, toMs: number): BillingSessionRecord {
  return {
    connection: 'kore', botExternalId: 'bot-1', externalId: id, channel: 'ivr', type: 'CONVERSATION', rawType: 'Conversations', userId: 'u-1', channelUserId: 'cu-1',
    conversationId, conversationStart: new Date(fromMs), conversationEnd: new Date(toMs), start: new Date(fromMs), end: new Date(toMs),
  };
}

const MIN = 60_000;

/** The 15-minute rule, written out: one session per started 15 minutes, at least one. */
const byRule = (seconds: number) => Math.max(1, Math.ceil(seconds / 900));

describe('reconcileSessions: the 15-minute rule', () => {
  it.each([
    ['0 s', 0, 1],
    ['14:59', 14 * 60 + 59, 1],
    ['15:00', 15 * 60, 1],
    ['15:01', 15 * 60 + 1, 2],
    ['30:00', 30 * 60, 2],
    ['30:01', 30 * 60 + 1, 3],
    ['31:00', 31 * 60, 3],
    ['45:00', 45 * 60, 3],
    ['45:01', 45 * 60 + 1, 4],
  ])('finds no discrepancy in a %s conversation billed %i session(s)', (_label, seconds, billed) => {
    expect(byRule(seconds)).toBe(billed);
    const result = reconcileSessions(conversation('c1', seconds, billed), FROM, TO);
    expect(result).toEqual({ conversations: 1, alertDeliveries: 0, billedSessions: billed, expectedSessions: billed, discrepancies: [] });
  });

  it.each([
    ['14:59', 14 * 60 + 59, 2, 1, 'over'],
    ['15:01', 15 * 60 + 1, 1, 2, 'under'],
    ['15:01', 15 * 60 + 1, 3, 2, 'over'],
    ['30:01', 30 * 60 + 1, 2, 3, 'under'],
    ['31:00', 31 * 60, 4, 3, 'over'],
  ])('reports a %s conversation billed %i session(s) instead of %i as %s-billed', (_label, seconds, billed, expected, kind) => {
    const result = reconcileSessions(conversation('c1', seconds, billed), FROM, TO);
    expect(result.conversations).toBe(1);
    expect(result.billedSessions).toBe(billed);
    expect(result.expectedSessions).toBe(expected);
    expect(result.discrepancies).toHaveLength(1);
    expect(result.discrepancies[0]).toMatchObject({ conversationId: 'c1', billed, expected });
    expect(result.discrepancies[0].reason).toMatch(new RegExp(`^${kind}-billed`));
  });
});

describe('reconcileSessions: alerts and periods', () => {
  it('counts one expected and one billed session per alert in the period', () => {
    const sessions = [alert('a1', START), alert('a2', START + 60_000), alert('a3', Date.parse('2025-04-02T00:00:00Z'))];
    expect(reconcileSessions(sessions, FROM, TO)).toEqual({ conversations: 0, alertDeliveries: 2, billedSessions: 2, expectedSessions: 2, discrepancies: [] });
  });

  it('adds alerts and conversations together and lists only the mis-billed conversations, sorted by id', () => {
    const sessions = [
      ...conversation('c-ok', 20 * 60, 2),
      ...conversation('c-over', 5 * 60, 2, START + 3_600_000),
      ...conversation('c-under', 40 * 60, 2, START + 7_200_000),
      alert('a1', START),
    ];
    const result = reconcileSessions(sessions, FROM, TO);
    expect(result.conversations).toBe(3);
    expect(result.billedSessions).toBe(2 + 2 + 2 + 1);
    expect(result.expectedSessions).toBe(2 + 1 + 3 + 1);
    expect(result.discrepancies.map((d) => [d.conversationId, d.billed, d.expected])).toEqual([
      ['c-over', 2, 1],
      ['c-under', 2, 3],
    ]);
  });

  it('judges a conversation that started in the period whole, even when its later sessions fall after the end', () => {
    const lateStart = Date.parse('2025-03-31T23:50:00Z');
    const result = reconcileSessions(conversation('c-late', 20 * 60, 2, lateStart), FROM, TO);
    expect(result).toEqual({ conversations: 1, alertDeliveries: 0, billedSessions: 2, expectedSessions: 2, discrepancies: [] });
  });

  it('leaves out a conversation that started before the period', () => {
    const early = Date.parse('2025-02-28T23:50:00Z');
    expect(reconcileSessions(conversation('c-early', 20 * 60, 1, early), FROM, TO)).toEqual({
      conversations: 0, alertDeliveries: 0, billedSessions: 0, expectedSessions: 0, discrepancies: [],
    });
  });
});

describe('reconcileSessions: whole conversations and alert deliveries', () => {
  it.each([
    ['15:00', 15 * MIN, 1],
    ['30:00', 30 * MIN, 2],
    ['30:01', 30 * MIN + 1000, 3],
    ['31:00', 31 * MIN, 3],
  ])('measures a %s conversation whose records each carry only their slice of the conversation times by its whole span', (_label, length, sessions) => {
    const cut = (k: number) => START + Math.min(length, k * 15 * MIN);
    const records = Array.from({ length: sessions }, (_, k) => slice('c-split', `s${k}`, cut(k), cut(k + 1)));
    expect(reconcileSessions(records, FROM, TO)).toEqual({ conversations: 1, alertDeliveries: 0, billedSessions: sessions, expectedSessions: sessions, discrepancies: [] });
  });

  it('reports a split conversation with its whole measured span, billed and expected counts and the rule', () => {
    // 31 minutes in two records (0-15, 15-31): one session short, whichever record comes first.
    const records = [slice('c-31', 'b', START + 15 * MIN, START + 31 * MIN), slice('c-31', 'a', START, START + 15 * MIN)];
    expect(reconcileSessions(records, FROM, TO).discrepancies).toEqual([
      {
        conversationId: 'c-31', billed: 2, expected: 3, start: new Date(START), end: new Date(START + 31 * MIN), durationSeconds: 31 * 60,
        rule: 'CONVERSATION_STARTED_15_MINUTES', reason: 'under-billed: 2 session(s) for 31m00s of conversation; one per started 15 minutes gives 3',
      },
    ]);
  });

  it('takes billing times for a record without conversation times', () => {
    const records = [
      { ...slice('c-mixed', 'a', START, START + 10 * MIN), conversationStart: null, conversationEnd: null },
      slice('c-mixed', 'b', START + 10 * MIN, START + 20 * MIN),
    ];
    expect(reconcileSessions(records, FROM, TO)).toMatchObject({ conversations: 1, billedSessions: 2, expectedSessions: 2, discrepancies: [] });
  });

  it('reports an alert billed twice for one delivery as over-billed, with its own reason', () => {
    const sessions = [alert('a1', START, 'delivery-1'), alert('a2', START + 1000, 'delivery-1')];
    expect(reconcileSessions(sessions, FROM, TO)).toEqual({
      conversations: 0, alertDeliveries: 1, billedSessions: 2, expectedSessions: 1,
      discrepancies: [
        {
          conversationId: 'delivery-1', billed: 2, expected: 1, start: new Date(START), end: new Date(START + 3000), durationSeconds: 3,
          rule: 'ONE_SESSION_PER_ALERT_DELIVERY', reason: 'over-billed: 2 alert sessions for one alert delivery; one per delivered alert gives 1',
        },
      ],
    });
  });

  it('finds nothing wrong with an alert billed once per delivery', () => {
    const sessions = [alert('a1', START, 'delivery-1'), alert('a2', START + 8 * 3_600_000, 'delivery-2'), alert('a3', START + 16 * 3_600_000, 'delivery-3')];
    expect(reconcileSessions(sessions, FROM, TO)).toEqual({ conversations: 0, alertDeliveries: 3, billedSessions: 3, expectedSessions: 3, discrepancies: [] });
  });

  it('judges a conversation that started before the period there, even when only its later records are inside', () => {
    const before = Date.parse('2025-02-28T23:50:00Z');
    const records = [slice('c-edge', 'a', before, before + 15 * MIN), slice('c-edge', 'b', before + 15 * MIN, before + 20 * MIN)];
    expect(reconcileSessions(records, FROM, TO)).toEqual({ conversations: 0, alertDeliveries: 0, billedSessions: 0, expectedSessions: 0, discrepancies: [] });
  });
});
