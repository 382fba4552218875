import { monthOfDay, toMonthlyUsage, toOrganisation } from '../../src/vendors/cognigy/map';
import type { CognigyBillingItemWire, CognigyConversationDayWire } from '../../src/vendors/cognigy/wire';
import type { UsageQuery } from '../../src/vendors/types';

const day = (year: number, month: number, d: number, channel: string, conversations: number): CognigyConversationDayWire => ({
  year, month, day: d, channel, conversations,
});
const org = (organisationId: string, conversations: CognigyConversationDayWire[]): CognigyBillingItemWire => ({
  organisationId, name: `Org ${organisationId}`, isDisabled: false, conversations,
});
const query = (from: string, to: string, extra: Partial<UsageQuery> = {}): UsageQuery => ({ from, to, timeZone: 'UTC', ...extra });
/** The fields that vary in Cognigy rows, as [organisation, month, channel, quantity]. */
const summary = (items: CognigyBillingItemWire[], q: UsageQuery) =>
  toMonthlyUsage(items, q, 'cg').map((r) => [r.organisationExternalId, r.month, r.channel, r.quantity]);

describe('toOrganisation', () => {
  it.each([
    [false, false],
    [true, true],
  ])('maps isDisabled %s to disabled %s and keeps id and name', (isDisabled, disabled) => {
    const item = { ...org('o1', []), name: 'Alpine Bank', isDisabled };
    expect(toOrganisation(item, 'cg')).toEqual({ vendor: 'COGNIGY', connection: 'cg', externalId: 'o1', name: 'Alpine Bank', disabled });
  });
});

describe('monthOfDay', () => {
  it.each([
    [day(2025, 1, 31, 'teams', 1), '2025-01'],
    [day(2025, 2, 1, 'teams', 1), '2025-02'],
    [day(2026, 12, 31, 'teams', 1), '2026-12'],
  ])('places %o in %s', (entry, month) => {
    expect(monthOfDay(entry)).toBe(month);
  });
});

describe('toMonthlyUsage', () => {
  it.each<[string, CognigyBillingItemWire[], UsageQuery, Array<[string, string, string, string]>]>([
    [
      'sums the days of a month per channel',
      [org('o1', [day(2025, 3, 2, 'webchat3', 10), day(2025, 3, 9, 'webchat3', 5), day(2025, 3, 9, 'teams', 7)])],
      query('2025-03', '2025-03'),
      [['o1', '2025-03', 'teams', '7'], ['o1', '2025-03', 'webchat3', '15']],
    ],
    [
      'splits day 31 and day 1 of the next month into their own calendar months',
      [org('o1', [day(2025, 1, 31, 'teams', 4), day(2025, 2, 1, 'teams', 6)])],
      query('2025-01', '2025-02'),
      [['o1', '2025-01', 'teams', '4'], ['o1', '2025-02', 'teams', '6']],
    ],
    [
      'merges channels that differ only in letter case and reports them lower-case',
      [org('o1', [day(2025, 5, 1, 'voiceGateway2', 1), day(2025, 5, 2, 'VoiceGateway2', 2), day(2025, 5, 3, 'WhatsApp', 3)])],
      query('2025-05', '2025-05'),
      [['o1', '2025-05', 'voicegateway2', '3'], ['o1', '2025-05', 'whatsapp', '3']],
    ],
    [
      'includes both end months and excludes the months outside the range',
      [org('o1', [day(2024, 12, 31, 'teams', 1), day(2025, 1, 1, 'teams', 2), day(2025, 3, 31, 'teams', 3), day(2025, 4, 1, 'teams', 4)])],
      query('2025-01', '2025-03'),
      [['o1', '2025-01', 'teams', '2'], ['o1', '2025-03', 'teams', '3']],
    ],
    [
      'keeps organisations apart, in listing order, months ascending',
      [org('b', [day(2025, 2, 1, 'teams', 1), day(2025, 1, 1, 'teams', 2)]), org('a', [day(2025, 1, 1, 'teams', 3)])],
      query('2025-01', '2025-12'),
      [['b', '2025-01', 'teams', '2'], ['b', '2025-02', 'teams', '1'], ['a', '2025-01', 'teams', '3']],
    ],
    [
      'gives no rows to an organisation without conversations in the range',
      [org('o1', []), org('o2', [day(2025, 6, 1, 'teams', 1)])],
      query('2025-01', '2025-05'),
      [],
    ],
    [
      'ignores accountIds and botIds because Cognigy has neither',
      [org('o1', [day(2025, 1, 1, 'teams', 8)])],
      query('2025-01', '2025-01', { accountIds: ['x'], botIds: ['y'] }),
      [['o1', '2025-01', 'teams', '8']],
    ],
    [
      'ignores the time zone: per-day data is taken as reported',
      [org('o1', [day(2025, 1, 31, 'teams', 8)])],
      query('2025-01', '2025-01', { timeZone: 'Pacific/Kiritimati' }),
      [['o1', '2025-01', 'teams', '8']],
    ],
  ])('%s', (_name, items, q, expected) => {
    expect(summary(items, q)).toEqual(expected);
  });

  it('sums large counts exactly as decimal strings', () => {
    const items = [org('o1', [day(2025, 1, 1, 'teams', 9007199254740991), day(2025, 1, 2, 'teams', 2)])];
    expect(toMonthlyUsage(items, query('2025-01', '2025-01'), 'cg')[0].quantity).toBe('9007199254740993');
  });

  it('fills a CONVERSATION row in CONVERSATIONS with no amount, account or bot', () => {
    const [row] = toMonthlyUsage([org('o1', [day(2025, 1, 1, 'Teams', 8)])], query('2025-01', '2025-01'), 'cg');
    expect(row).toEqual({
      month: '2025-01', vendor: 'COGNIGY', connection: 'cg', organisationExternalId: 'o1',
      accountExternalId: null, botExternalId: null, customerExternalId: null, channel: 'teams',
      type: 'CONVERSATION', unit: 'CONVERSATIONS', quantity: '8',
      productId: null, aggregateProductId: null, description: null, direction: null, resolution: null,
      unitPrice: null, amount: null, currency: null, wallet: null,
    });
  });
});
