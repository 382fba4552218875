import { groupUsage, totalUsage, USAGE_DIMENSIONS, type ReportRow, type UsageDimension } from '../../src/usage/report';
import { usageRecord, type UsageRecord } from '../../src/model';

const kore = (fields: Partial<UsageRecord>): UsageRecord =>
  usageRecord({ month: '2025-01', vendor: 'KORE_AI', connection: 'kore', organisationExternalId: 'acct', type: 'BILLING_SESSION', unit: 'SESSIONS', quantity: '1', ...fields });

const records: UsageRecord[] = [
  kore({ month: '2025-01', botExternalId: 'bot-a', channel: 'rtm', quantity: '3', amount: '0.15', currency: 'USD' }),
  kore({ month: '2025-01', botExternalId: 'bot-b', channel: 'ivr', quantity: '2', amount: '0.1', currency: 'USD' }),
  kore({ month: '2025-02', botExternalId: 'bot-a', channel: 'rtm', type: 'ALERT_SESSION', quantity: '1', amount: '0.05', currency: 'USD' }),
  usageRecord({
    month: '2025-01', vendor: 'TALKDESK', connection: 'td', organisationExternalId: 'org-1', accountExternalId: 'acc-1',
    type: 'CALL', unit: 'MINUTES', quantity: '10.5', productId: 'p-1', direction: 'INBOUND', amount: '1.25', currency: 'EUR',
  }),
  usageRecord({
    month: '2025-02', vendor: 'TALKDESK', connection: 'td', organisationExternalId: 'org-1', accountExternalId: 'acc-2',
    type: 'CALL', unit: 'MINUTES', quantity: '4.5', productId: 'p-2', direction: 'OUTBOUND', amount: '0.75', currency: 'USD',
  }),
  usageRecord({
    month: '2025-02', vendor: 'COGNIGY', connection: 'cog', organisationExternalId: 'org-9', type: 'CONVERSATION', unit: 'CONVERSATIONS', quantity: '7',
  }),
];

/** The field of a row that each dimension fills. */
const FIELD: Record<UsageDimension, keyof ReportRow | null> = {
  MONTH: 'month', VENDOR: 'vendor', CONNECTION: 'connection', ORGANISATION: 'organisationExternalId', ACCOUNT: 'accountExternalId',
  BOT: 'botExternalId', CHANNEL: 'channel', TYPE: 'type', UNIT: null, PRODUCT: 'productId', DIRECTION: 'direction', CURRENCY: null,
};

/** Independent expectation: distinct (dimension value, unit, currency) triples and their summed quantities, as plain numbers. */
function expectedGroups(dim: UsageDimension): Map<string, number> {
  const field = FIELD[dim];
  const groups = new Map<string, number>();
  for (const r of records) {
    const value = field ? (r as unknown as Record<string, unknown>)[field] ?? null : null;
    const key = JSON.stringify([value, r.unit, r.currency]);
    groups.set(key, (groups.get(key) ?? 0) + Number(r.quantity));
  }
  return groups;
}

describe('groupUsage', () => {
  it.each(USAGE_DIMENSIONS.map((d) => [d]))('groups by %s alone, leaving every other dimension null', (dim) => {
    const rows = groupUsage(records, [dim]);
    const field = FIELD[dim];
    const expected = expectedGroups(dim);
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const value = field ? row[field] : null;
      expect(Number(row.quantity)).toBeCloseTo(expected.get(JSON.stringify([value, row.unit, row.currency]))!, 10);
      for (const [other, otherField] of Object.entries(FIELD)) {
        if (other !== dim && otherField) expect(row[otherField]).toBeNull();
      }
    }
  });

  it('splits groups by unit and currency even when grouping by nothing else', () => {
    const rows = groupUsage(records, []);
    expect(rows.map((r) => [r.unit, r.currency, r.quantity, r.amount])).toEqual(
      expect.arrayContaining([
        ['SESSIONS', 'USD', '6', '0.3'],
        ['MINUTES', 'EUR', '10.5', '1.25'],
        ['MINUTES', 'USD', '4.5', '0.75'],
        ['CONVERSATIONS', null, '7', null],
      ]),
    );
    expect(rows).toHaveLength(4);
  });

  it('leaves amount null for a group without money and sums it exactly for a group with money', () => {
    const rows = groupUsage(records, ['VENDOR']);
    expect(rows.find((r) => r.vendor === 'COGNIGY')).toMatchObject({ quantity: '7', amount: null, currency: null });
    expect(rows.find((r) => r.vendor === 'KORE_AI')).toMatchObject({ quantity: '6', amount: '0.3', currency: 'USD' });
  });

  it('groups by several dimensions at once', () => {
    const rows = groupUsage(records, ['MONTH', 'BOT']);
    const kore = rows.filter((r) => r.unit === 'SESSIONS');
    expect(kore.map((r) => [r.month, r.botExternalId, r.quantity])).toEqual(
      expect.arrayContaining([
        ['2025-01', 'bot-a', '3'],
        ['2025-01', 'bot-b', '2'],
        ['2025-02', 'bot-a', '1'],
      ]),
    );
    expect(kore).toHaveLength(3);
    expect(kore.every((r) => r.ownerConnection === 'kore')).toBe(true);
  });

  it('gives no rows for no records', () => {
    expect(groupUsage([], ['MONTH'])).toEqual([]);
    expect(totalUsage([])).toEqual([]);
  });
});

describe('totalUsage', () => {
  it('totals quantity per unit and amount per unit and currency over the rows', () => {
    const totals = totalUsage(groupUsage(records, ['MONTH', 'VENDOR', 'ACCOUNT']));
    expect(totals).toHaveLength(4);
    expect(totals).toEqual(
      expect.arrayContaining([
        { unit: 'SESSIONS', currency: 'USD', quantity: '6', amount: '0.3' },
        { unit: 'MINUTES', currency: 'EUR', quantity: '10.5', amount: '1.25' },
        { unit: 'MINUTES', currency: 'USD', quantity: '4.5', amount: '0.75' },
        { unit: 'CONVERSATIONS', currency: null, quantity: '7', amount: null },
      ]),
    );
  });
});
