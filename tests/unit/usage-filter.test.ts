import { BadUserInputError } from '../../src/errors';
import { assertMonthRange, assertTimeZone, filterRecords, type RecordFilter } from '../../src/usage/filter';
import { usageRecord, type UsageRecord } from '../../src/model';

const thrown = (fn: () => void): BadUserInputError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadUserInputError);
    return err as BadUserInputError;
  }
  throw new Error('expected a BadUserInputError');
};

describe('assertMonthRange', () => {
  it.each([
    ['2025-01', '2025-01'],
    ['2025-01', '2025-12'],
    ['2023-01', '2026-01'],
    ['2025-12', '2028-12'],
  ])('accepts %s to %s (at most 36 months apart)', (from, to) => {
    expect(() => assertMonthRange(from, to, 'filter')).not.toThrow();
  });

  it.each([
    ['2025-03', '2025-02', 'filter', 'filter.to'],
    ['2023-01', '2026-02', 'filter', 'filter.to'],
    ['2025-01', '2028-02', 'filter', 'filter.to'],
    ['2024-13', '2025-01', 'filter', 'filter.from'],
    ['24-01', '2025-01', 'filter', 'filter.from'],
    ['2025-01', '2025-00', 'filter', 'filter.to'],
    ['2025-1', '2025-02', '', 'from'],
    ['2025-02', '2025-01', '', 'to'],
  ])('rejects %s to %s, naming the field (prefix %p) %s', (from, to, prefix, field) => {
    const err = thrown(() => assertMonthRange(from, to, prefix));
    expect(err.field).toBe(field);
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(err.message).toContain(field);
  });

  it('rejects 37 months and says how many are allowed', () => {
    const err = thrown(() => assertMonthRange('2023-01', '2026-02', 'filter'));
    expect(err.message).toContain('37');
    expect(err.message).toContain('36');
  });
});

describe('assertTimeZone', () => {
  it.each(['UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/Berlin'])('accepts %s', (zone) => {
    expect(() => assertTimeZone(zone, 'filter.timeZone')).not.toThrow();
  });

  it.each(['Mars/Olympus', 'Europe/Nowhere', ''])('rejects %p naming filter.timeZone', (zone) => {
    expect(thrown(() => assertTimeZone(zone, 'filter.timeZone')).field).toBe('filter.timeZone');
  });
});

describe('filterRecords', () => {
  const base = { month: '2025-01', organisationExternalId: 'org', quantity: '1' } as const;
  const records: UsageRecord[] = [
    usageRecord({ ...base, vendor: 'KORE_AI', connection: 'kore', botExternalId: 'bot-1', channel: 'rtm', type: 'BILLING_SESSION', unit: 'SESSIONS' }),
    usageRecord({ ...base, vendor: 'KORE_AI', connection: 'kore', botExternalId: 'bot-2', channel: 'msteams', type: 'ALERT_SESSION', unit: 'SESSIONS' }),
    usageRecord({ ...base, vendor: 'TALKDESK', connection: 'td', accountExternalId: 'acc-1', channel: null, type: 'CALL', unit: 'MINUTES' }),
    usageRecord({ ...base, vendor: 'KORE_AI', connection: 'kore-2', botExternalId: 'bot-1', channel: 'IVR', type: 'BILLING_SESSION', unit: 'SESSIONS' }),
  ];
  const ids = (list: UsageRecord[]) => list.map((r) => records.indexOf(r));

  it.each([
    ['nothing', {}, [0, 1, 2, 3]],
    ['vendors', { vendors: ['TALKDESK'] }, [2]],
    ['connections', { connections: ['kore-2'] }, [3]],
    ['bots of one connection', { bots: [{ connection: 'kore', externalId: 'bot-1' }] }, [0]],
    ['accounts', { accounts: [{ connection: 'td', externalId: 'acc-1' }] }, [2]],
    ['organisations', { organisations: [{ connection: 'td', externalId: 'org' }] }, [2]],
    ['channels, case-insensitively (RTM)', { channels: ['RTM'] }, [0]],
    ['channels, case-insensitively (ivr, MSTeams)', { channels: ['ivr', 'MSTeams'] }, [1, 3]],
    ['types', { types: ['ALERT_SESSION'] }, [1]],
    ['units', { units: ['MINUTES'] }, [2]],
    ['an empty list, which selects nothing', { vendors: [] }, []],
  ] as const)('keeps only the records selected by %s', (_name, filter, expected) => {
    expect(ids(filterRecords(records, filter as RecordFilter))).toEqual(expected);
  });
});
