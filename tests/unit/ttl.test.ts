import { Freshness } from '../../src/freshness';
import { ttlSeconds, type CacheHint, type TtlPolicy } from '../../src/upstream/ttl';

/** The defaults of config.cache: settled after 3 days, 24 h settled, 5 min open, 15 min listings. */
const POLICY: TtlPolicy = { settleDays: 3, settledTtlSeconds: 86_400, openTtlSeconds: 300, listingTtlSeconds: 900 };
const SETTLED = 86_400;
const OPEN = 300;
const LISTING = 900;

/** A month's data ends where the next month starts (UTC). */
const monthEnd = (month: string): CacheHint => {
  const [y, m] = month.split('-').map(Number);
  return { kind: 'period', end: new Date(Date.UTC(y, m, 1)) };
};
const at = (iso: string) => new Date(iso);

describe('ttlSeconds: how long a vendor answer is kept', () => {
  it.each<[string, CacheHint, string, number]>([
    ['keeps the month still running for the short open TTL', monthEnd('2026-11'), '2026-11-22T12:00:00Z', OPEN],
    ['keeps the month that ended yesterday short: vendors still correct it', monthEnd('2026-10'), '2026-11-01T00:00:00Z', OPEN],
    ['keeps last month short two days after it ended', monthEnd('2026-10'), '2026-11-03T00:00:00Z', OPEN],
    ['keeps last month short at exactly 3 days after its end (not yet settled)', monthEnd('2026-10'), '2026-11-04T00:00:00Z', OPEN],
    ['keeps last month long one millisecond after the 3-day settle window', monthEnd('2026-10'), '2026-11-04T00:00:00.001Z', SETTLED],
    ['keeps a month settled weeks ago long', monthEnd('2026-09'), '2026-11-22T12:00:00Z', SETTLED],
    ['settles February of a non-leap year 3 days after 1 March', monthEnd('2026-02'), '2026-03-04T00:00:01Z', SETTLED],
    ['keeps February of a leap year open at exactly 3 days after 1 March', monthEnd('2028-02'), '2028-03-04T00:00:00Z', OPEN],
    ['keeps December 2025 open on 2026-01-03', monthEnd('2025-12'), '2026-01-03T23:59:59Z', OPEN],
    ['keeps December 2025 open at the instant 2026-01-04 begins', monthEnd('2025-12'), '2026-01-04T00:00:00Z', OPEN],
    ['settles December 2025 on 2026-01-04', monthEnd('2025-12'), '2026-01-04T00:00:01Z', SETTLED],
    ['keeps a period that ends in the future open', monthEnd('2027-01'), '2026-11-22T12:00:00Z', OPEN],
    ['keeps a period ending at an arbitrary instant open until 3 days later', { kind: 'period', end: at('2026-11-10T15:30:00Z') }, '2026-11-13T15:30:00Z', OPEN],
    ['settles a period ending at an arbitrary instant just after 3 days', { kind: 'period', end: at('2026-11-10T15:30:00Z') }, '2026-11-13T15:30:00.001Z', SETTLED],
    ['keeps a listing for the listing TTL', { kind: 'listing' }, '2026-11-22T12:00:00Z', LISTING],
    ['keeps a listing for the listing TTL whatever the date', { kind: 'listing' }, '2020-01-01T00:00:00Z', LISTING],
  ])('%s', (_name, hint, now, expected) => {
    expect(ttlSeconds(hint, at(now), POLICY)).toBe(expected);
  });

  it.each<[string, TtlPolicy, CacheHint, string, number]>([
    ['uses a custom settled TTL', { ...POLICY, settledTtlSeconds: 7 * 86_400 }, monthEnd('2026-09'), '2026-11-22T00:00:00Z', 7 * 86_400],
    ['uses a custom open TTL', { ...POLICY, openTtlSeconds: 60 }, monthEnd('2026-11'), '2026-11-22T00:00:00Z', 60],
    ['uses a custom listing TTL', { ...POLICY, listingTtlSeconds: 42 }, { kind: 'listing' }, '2026-11-22T00:00:00Z', 42],
    ['settles at once after the month end when settleDays is 0', { ...POLICY, settleDays: 0 }, monthEnd('2026-10'), '2026-11-01T00:00:00.001Z', SETTLED],
    ['is still open at the month end itself when settleDays is 0', { ...POLICY, settleDays: 0 }, monthEnd('2026-10'), '2026-11-01T00:00:00Z', OPEN],
    ['waits 10 days when settleDays is 10', { ...POLICY, settleDays: 10 }, monthEnd('2026-10'), '2026-11-11T00:00:00Z', OPEN],
    ['settles just after 10 days when settleDays is 10', { ...POLICY, settleDays: 10 }, monthEnd('2026-10'), '2026-11-11T00:00:00.001Z', SETTLED],
  ])('%s', (_name, policy, hint, now, expected) => {
    expect(ttlSeconds(hint, at(now), policy)).toBe(expected);
  });
});

describe('Freshness: how long a whole answer may be reused', () => {
  const now = () => at('2026-11-22T12:00:00Z');

  it('is null when the answer used no vendor data', () => {
    expect(new Freshness(POLICY, now).ttlSeconds).toBeNull();
  });

  it.each<[string, CacheHint[], number]>([
    ['a settled month alone keeps the settled TTL', [monthEnd('2026-09')], SETTLED],
    ['a listing alone keeps the listing TTL', [{ kind: 'listing' }], LISTING],
    ['settled data and a listing keep the listing TTL', [monthEnd('2026-09'), { kind: 'listing' }], LISTING],
    ['the open month wins over a listing and settled data', [monthEnd('2026-09'), { kind: 'listing' }, monthEnd('2026-11')], OPEN],
    ['the open month wins whatever the order it was noted in', [monthEnd('2026-11'), monthEnd('2025-12'), { kind: 'listing' }], OPEN],
  ])('%s', (_name, hints, expected) => {
    const freshness = new Freshness(POLICY, now);
    for (const hint of hints) freshness.note(hint);
    expect(freshness.ttlSeconds).toBe(expected);
  });

  it('is null once a source failed, whatever was noted before or after', () => {
    const freshness = new Freshness(POLICY, now);
    freshness.note(monthEnd('2026-09'));
    freshness.spoil();
    freshness.note({ kind: 'listing' });
    expect(freshness.ttlSeconds).toBeNull();
  });

  it('reads the clock when data is noted, so a month noted after its settle window counts as settled', () => {
    let clock = at('2026-11-03T00:00:00Z');
    const freshness = new Freshness(POLICY, () => clock);
    freshness.note(monthEnd('2026-10'));
    expect(freshness.ttlSeconds).toBe(OPEN);
    clock = at('2026-11-05T00:00:00Z');
    const later = new Freshness(POLICY, () => clock);
    later.note(monthEnd('2026-10'));
    expect(later.ttlSeconds).toBe(SETTLED);
  });
});
