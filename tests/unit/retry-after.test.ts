import { retryAfterMs } from '../../src/upstream/retry-after';

const res = (value: string | string[] | undefined) => ({ status: 429, headers: { 'retry-after': value }, text: '' });
const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('retryAfterMs', () => {
  it.each([
    ['seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['fractional seconds', '1.5', 1500],
    ['an HTTP date 30 s ahead', 'Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['an HTTP date in the past', 'Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['the first of repeated headers', ['7', '9'], 7000],
  ])('reads %s', (_name, value, expected) => {
    expect(retryAfterMs(res(value), NOW)).toBe(expected);
  });

  it.each([
    ['no header', undefined],
    ['a negative number', '-5'],
    ['words', 'soon'],
  ])('gives null for %s', (_name, value) => {
    expect(retryAfterMs(res(value), NOW)).toBeNull();
  });
});
