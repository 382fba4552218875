import type { BillingSessionRecord } from '../../src/model';
import {
  botFromWire,
  parseKoreDateTime,
  requestWindows,
  sessionFromWire,
  sessionsToUsage,
} from '../../src/vendors/koreai/map';
import type { KoreBillingSessionWire } from '../../src/vendors/koreai/wire';

describe('parseKoreDateTime', () => {
  it.each([
    ['03-10-2021 2:05:03 pm', '2021-03-10T14:05:03.000Z'],
    ['03-10-2021 2:05:03 am', '2021-03-10T02:05:03.000Z'],
    ['01-01-2025 12:00:00 am', '2025-01-01T00:00:00.000Z'],
    ['01-01-2025 12:30:00 pm', '2025-01-01T12:30:00.000Z'],
    ['12-31-2025 11:59:59 pm', '2025-12-31T23:59:59.000Z'],
    ['02-29-2024 10:15:00 AM', '2024-02-29T10:15:00.000Z'],
  ])('reads %s as the UTC instant %s', (text, iso) => {
    expect(parseKoreDateTime(text).toISOString()).toBe(iso);
  });

  it.each([
    ['2021-03-10T14:05:03Z'],
    ['03-10-2021 14:05:03'],
    ['03-10-2021 02:05:03 pm'],
    ['03-10-2021 0:05:03 am'],
    ['13-10-2021 2:05:03 pm'],
    ['02-30-2025 2:05:03 pm'],
    ['03-10-2021 2:65:03 pm'],
    [''],
  ])('rejects %p', (text) => {
    expect(() => parseKoreDateTime(text)).toThrow(/MM-DD-YYYY|calendar day/);
  });
});

const wire = (overrides: Partial<KoreBillingSessionWire> = {}): KoreBillingSessionWire => ({
  botId: 'st-1',
  channel: 'IVR',
  koreUserId: 'u-1',
  channelUserId: 'cu-1',
  billingSessionType: 'Conversations',
  conversationSessionId: 'c-1',
  conversationSessionStartDateTime: '03-10-2021 2:05:03 pm',
  conversationSessionEndDateTime: '03-10-2021 2:05:30 pm',
  billingSessionId: 'b-1',
  billingSessionStartDateTime: '03-10-2021 2:05:03 pm',
  billingSessionEndDateTime: '03-10-2021 2:05:30 pm',
  ...overrides,
});

describe('sessionFromWire', () => {
  it.each([
    ['Conversations', 'CONVERSATION'],
    ['Alerts', 'ALERT'],
    ['Voice', 'CONVERSATION'],
  ])('maps the session type %s to %s and keeps the raw value', (raw, type) => {
    const record = sessionFromWire(wire({ billingSessionType: raw }), 'kore');
    expect(record).toMatchObject({ type, rawType: raw });
  });

  it.each([['IVR', 'ivr'], ['MSTeams', 'msteams'], ['rtm', 'rtm']])('reports the channel %s as %s', (channel, expected) => {
    expect(sessionFromWire(wire({ channel }), 'kore').channel).toBe(expected);
  });

  it('carries ids, users and parsed instants of the session and its conversation', () => {
    expect(sessionFromWire(wire(), 'kore')).toEqual({
      connection: 'kore',
      botExternalId: 'st-1',
      externalId: 'b-1',
      channel: 'ivr',
      type: 'CONVERSATION',
      rawType: 'Conversations',
      userId: 'u-1',
      channelUserId: 'cu-1',
      conversationId: 'c-1',
      conversationStart: new Date('2021-03-10T14:05:03Z'),
      conversationEnd: new Date('2021-03-10T14:05:30Z'),
      start: new Date('2021-03-10T14:05:03Z'),
      end: new Date('2021-03-10T14:05:30Z'),
    });
  });

  it('leaves missing conversation times null', () => {
    const record = sessionFromWire(wire({ conversationSessionStartDateTime: null, conversationSessionEndDateTime: null }), 'kore');
    expect([record.conversationStart, record.conversationEnd]).toEqual([null, null]);
  });
});

describe('botFromWire', () => {
  it('places the bot under its account', () => {
    expect(botFromWire({ _id: 'st-9', accountId: 'acc', name: 'Helper' }, 'kore')).toEqual({
      vendor: 'KORE_AI', connection: 'kore', organisationExternalId: 'acc', externalId: 'st-9', name: 'Helper',
    });
  });
});

const session = (start: string, fields: Partial<BillingSessionRecord> = {}): BillingSessionRecord => ({
  ...sessionFromWire(wire(), 'kore'),
  start: new Date(start),
  end: new Date(start),
  ...fields,
});

describe('sessionsToUsage', () => {
  it.each([
    ['UTC', '2025-01-31T23:59:59Z', '2025-01'],
    ['UTC', '2025-02-01T00:00:00Z', '2025-02'],
    ['America/New_York', '2025-02-01T02:00:00Z', '2025-01'],
    ['America/New_York', '2025-02-01T05:00:00Z', '2025-02'],
    ['Asia/Tokyo', '2025-01-31T15:00:00Z', '2025-02'],
  ])('in %s counts a session starting %s in %s', (timeZone, start, month) => {
    const [row] = sessionsToUsage([session(start)], timeZone, 'acc', 'kore');
    expect(row.month).toBe(month);
  });

  it('gives one row per bot, month, channel and type, ordered, with the count as a decimal string', () => {
    const rows = sessionsToUsage(
      [
        session('2025-01-02T00:00:00Z'),
        session('2025-01-03T00:00:00Z'),
        session('2025-01-04T00:00:00Z', { channel: 'rtm' }),
        session('2025-01-05T00:00:00Z', { type: 'ALERT' }),
        session('2025-01-06T00:00:00Z', { botExternalId: 'st-2' }),
        session('2025-02-06T00:00:00Z'),
      ],
      'UTC',
      'acc',
      'kore',
    );
    const summary = rows.map((r) => [r.month, r.botExternalId, r.channel, r.type, r.quantity]);
    expect(summary).toEqual([
      ['2025-01', 'st-1', 'ivr', 'ALERT_SESSION', '1'],
      ['2025-01', 'st-1', 'ivr', 'BILLING_SESSION', '2'],
      ['2025-01', 'st-1', 'rtm', 'BILLING_SESSION', '1'],
      ['2025-01', 'st-2', 'ivr', 'BILLING_SESSION', '1'],
      ['2025-02', 'st-1', 'ivr', 'BILLING_SESSION', '1'],
    ]);
    expect(rows[0]).toMatchObject({ vendor: 'KORE_AI', connection: 'kore', organisationExternalId: 'acc', unit: 'SESSIONS', amount: null, accountExternalId: null });
  });

  it('gives no rows for no sessions', () => {
    expect(sessionsToUsage([], 'UTC', 'acc', 'kore')).toEqual([]);
  });
});

describe('requestWindows', () => {
  const d = (iso: string) => new Date(iso);
  it.each([
    ['2025-01-01T00:00:00Z', '2025-10-01T00:00:00Z', 90, 4],
    ['2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z', 90, 1],
    ['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 90, 5],
    ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 90, 0],
    ['2025-01-01T05:00:00Z', '2025-01-11T05:00:00Z', 3, 4],
  ])('splits %s..%s into windows of at most %i days: %i calls', (from, to, days, count) => {
    const windows = requestWindows(d(from), d(to), days);
    expect(windows).toHaveLength(count);
    windows.forEach((w, i) => {
      expect(w.to.getTime() - w.from.getTime()).toBeLessThanOrEqual(days * 86_400_000);
      expect(w.from.getTime()).toBe(i === 0 ? d(from).getTime() : windows[i - 1].to.getTime());
    });
    if (count > 0) expect(windows[count - 1].to).toEqual(d(to));
  });
});
