/**
 * How long a cached vendor answer stays fresh. Pure: the clock comes in.
 * A period that ended more than `settleDays` days ago is settled (vendors
 * stop correcting it) and is kept long; anything still open is kept short;
 * listings of organisations, bots and accounts sit in between.
 */

/** What a vendor request covers, as told by its connector. */
export type CacheHint =
  | { kind: 'listing' }
  /** Usage up to `end` (exclusive): a month's data ends at the start of the next month. */
  | { kind: 'period'; end: Date };

export interface TtlPolicy {
  settleDays: number;
  settledTtlSeconds: number;
  openTtlSeconds: number;
  listingTtlSeconds: number;
}

const DAY_MS = 86_400_000;

export function ttlSeconds(hint: CacheHint, now: Date, policy: TtlPolicy): number {
  if (hint.kind === 'listing') return policy.listingTtlSeconds;
  const settledAt = hint.end.getTime() + policy.settleDays * DAY_MS;
  return now.getTime() > settledAt ? policy.settledTtlSeconds : policy.openTtlSeconds;
}
