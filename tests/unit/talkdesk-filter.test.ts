import { buildUsageFilters, quoteFilterValue } from '../../src/vendors/talkdesk/filter';
import { filterMatches, parseFilter, FilterSyntaxError } from '../../src/vendors/talkdesk/filter-parser';
import { monthsBetween } from '../../src/usage/month';

const hexId = (i: number) => i.toString(16).padStart(24, '0');
const accounts40 = Array.from({ length: 40 }, (_, i) => hexId(i + 1));
const months12 = monthsBetween('2025-01', '2025-12');

/** Every (month, account) pair a set of filters selects, by evaluating them with the simulator's parser. */
function selected(filters: string[], months: string[], accounts: string[]): string[] {
  const pairs: string[] = [];
  for (const filter of filters) {
    const tree = parseFilter(filter);
    for (const month of months) for (const id of accounts) if (filterMatches(tree, { month, account_id: id })) pairs.push(`${month}/${id}`);
  }
  return pairs.sort();
}

describe('buildUsageFilters', () => {
  it.each([
    ['one month, every account', ['2025-01'], undefined, ["month eq '2025-01'"]],
    ['two months, every account', ['2025-01', '2025-02'], undefined, ["(month eq '2025-01' or month eq '2025-02')"]],
    [
      'two months and two accounts',
      ['2025-01', '2025-02'],
      ['a', 'b'],
      ["(month eq '2025-01' or month eq '2025-02') and (account_id eq 'a' or account_id eq 'b')"],
    ],
    ['one month and one account', ['2025-01'], ['a'], ["month eq '2025-01' and account_id eq 'a'"]],
    ['a value containing a quote', ['2025-01'], ["o'brien"], ["month eq '2025-01' and account_id eq 'o\\'brien'"]],
    ['a repeated account once', ['2025-01'], ['a', 'a'], ["month eq '2025-01' and account_id eq 'a'"]],
    ['no months: nothing to ask', [], ['a'], []],
    ['an empty account list: nothing to ask', ['2025-01'], [], []],
  ])('builds the filter for %s', (_name, months, accountIds, expected) => {
    expect(buildUsageFilters(months, accountIds)).toEqual(expected);
  });

  it('splits 40 accounts over 12 months into two filters of at most 1,600 characters', () => {
    const filters = buildUsageFilters(months12, accounts40);
    expect(filters).toHaveLength(2);
    for (const f of filters) expect(f.length).toBeLessThanOrEqual(1600);
  });

  it.each([
    ['40 accounts, 12 months, default limit', months12, accounts40, 1600],
    ['40 accounts, 12 months, 300-character limit', months12, accounts40, 300],
    ['40 accounts, 12 months, a limit that fits one month and one account', months12, accounts40, 63],
    ['every account, 23 months, 200-character limit', monthsBetween('2025-01', '2026-11'), undefined, 200],
  ])('loses no combination and repeats none: %s', (_name, months, accountIds, maxLength) => {
    const filters = buildUsageFilters(months, accountIds, maxLength);
    for (const f of filters) expect(f.length).toBeLessThanOrEqual(maxLength);
    const universe = accountIds ?? accounts40;
    const expected = months.flatMap((m) => universe.map((a) => `${m}/${a}`)).sort();
    expect(selected(filters, months, universe)).toEqual(expected);
  });

  it('refuses a limit too small for one month and one account', () => {
    expect(() => buildUsageFilters(['2025-01'], [hexId(1)], 40)).toThrow(/at most 40 characters/);
  });
});

describe('quoteFilterValue', () => {
  it.each([
    ['plain', "'plain'"],
    ["o'brien", "'o\\'brien'"],
    ['back\\slash', "'back\\\\slash'"],
  ])('quotes %s so the parser reads it back', (value, quoted) => {
    expect(quoteFilterValue(value)).toBe(quoted);
    expect(parseFilter(`account_id eq ${quoted}`)).toEqual({ kind: 'eq', field: 'account_id', value });
  });
});

describe('parseFilter (simulator)', () => {
  it('gives and precedence over or', () => {
    const tree = parseFilter("month eq '2025-01' or month eq '2025-02' and account_id eq 'a'");
    expect(filterMatches(tree, { month: '2025-01', account_id: 'z' })).toBe(true);
    expect(filterMatches(tree, { month: '2025-02', account_id: 'z' })).toBe(false);
    expect(filterMatches(tree, { month: '2025-02', account_id: 'a' })).toBe(true);
  });

  it.each([
    ['an unterminated value', "month eq '2025-01"],
    ['a missing operator', "month '2025-01'"],
    ['an unknown field', "day eq '01'"],
    ['an unbalanced parenthesis', "(month eq '2025-01'"],
    ['a trailing operator', "month eq '2025-01' and"],
    ['a stray character', "month = '2025-01'"],
    ['an empty expression', ''],
  ])('rejects %s', (_name, text) => {
    expect(() => parseFilter(text)).toThrow(FilterSyntaxError);
  });
});
