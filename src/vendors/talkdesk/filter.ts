import type { Month } from '../../model';

/**
 * Talkdesk's `filter` query parameter for GET /express/usage/month:
 * `(month eq '2025-01' or month eq '2025-02') and (account_id eq 'a' or account_id eq 'b')`.
 */

/** Talkdesk rejects longer filter expressions. */
export const MAX_FILTER_LENGTH = 1600;

/** A single-quoted filter value; `'` and `\` are escaped with a backslash so any value round-trips. */
export function quoteFilterValue(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** `field eq 'v'` for one value, `(field eq 'a' or field eq 'b')` for several. */
function anyOf(field: string, values: readonly string[]): string {
  const terms = values.map((v) => `${field} eq ${quoteFilterValue(v)}`);
  return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
}

/** Splits values into consecutive chunks whose `anyOf` clause fits `budget` characters (greedy, order kept). */
function chunkToFit(field: string, values: readonly string[], budget: number): string[][] | null {
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const value of values) {
    if (current.length > 0 && anyOf(field, [...current, value]).length <= budget) {
      current.push(value);
      continue;
    }
    if (anyOf(field, [value]).length > budget) return null;
    if (current.length > 0) chunks.push(current);
    current = [value];
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The filters that together select exactly the given months (and accounts, when given),
 * each at most `maxLength` characters. When one expression is too long, the account list
 * and, if needed, the month list are split into chunks; every (month chunk x account chunk)
 * pair is one filter, so no combination is lost and none is asked twice. Among the ways to
 * split, the one with the fewest filters (vendor calls) wins.
 * An empty month or account list selects nothing and gives no filter.
 */
export function buildUsageFilters(months: readonly Month[], accountIds?: readonly string[], maxLength = MAX_FILTER_LENGTH): string[] {
  if (months.length === 0 || accountIds?.length === 0) return [];
  const accounts = accountIds === undefined ? undefined : [...new Set(accountIds)];
  let best: string[] | null = null;
  for (let monthsPerChunk = months.length; monthsPerChunk >= 1; monthsPerChunk--) {
    const monthChunks = chunksOf(months, monthsPerChunk);
    const monthClauses = monthChunks.map((c) => anyOf('month', c));
    const widest = Math.max(...monthClauses.map((c) => c.length));
    if (widest > maxLength) continue;
    let filters: string[];
    if (accounts === undefined) {
      filters = monthClauses;
    } else {
      const accountChunks = chunkToFit('account_id', accounts, maxLength - widest - ' and '.length);
      if (accountChunks === null) continue;
      filters = monthClauses.flatMap((m) => accountChunks.map((a) => `${m} and ${anyOf('account_id', a)}`));
    }
    if (best === null || filters.length < best.length) best = filters;
  }
  if (best === null) throw new Error(`no Talkdesk usage filter of at most ${maxLength} characters can select one month of one account`);
  return best;
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
