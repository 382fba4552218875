import { addMonths, monthDays, monthOf, monthStart, monthsBetween } from '../../src/usage/month';

describe('monthsBetween', () => {
  it.each([
    ['2025-01', '2025-01', ['2025-01']],
    ['2025-01', '2025-03', ['2025-01', '2025-02', '2025-03']],
    ['2025-11', '2026-02', ['2025-11', '2025-12', '2026-01', '2026-02']],
    ['2025-03', '2025-01', []],
  ])('lists every month from %s to %s inclusive', (from, to, expected) => {
    expect(monthsBetween(from, to)).toEqual(expected);
  });

  it('lists 37 months for a three-year span including both ends', () => {
    const months = monthsBetween('2023-01', '2026-01');
    expect(months).toHaveLength(37);
    expect(months[0]).toBe('2023-01');
    expect(months[36]).toBe('2026-01');
  });
});

describe('monthDays', () => {
  it.each([
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2025-02', '2025-02-01', '2025-02-28'],
    ['2000-02', '2000-02-01', '2000-02-29'],
    ['1900-02', '1900-02-01', '1900-02-28'],
    ['2025-04', '2025-04-01', '2025-04-30'],
    ['2025-12', '2025-12-01', '2025-12-31'],
  ])('gives %s the first day %s and the last day %s', (month, first, last) => {
    expect(monthDays(month)).toEqual({ first, last });
  });
});

describe('monthOf', () => {
  it.each([
    ['2025-02-01T00:00:00Z', 'UTC', '2025-02'],
    ['2025-01-31T23:59:59Z', 'UTC', '2025-01'],
    ['2025-02-01T02:00:00Z', 'America/New_York', '2025-01'],
    ['2025-02-01T05:00:00Z', 'America/New_York', '2025-02'],
    ['2025-02-01T04:59:59Z', 'America/New_York', '2025-01'],
    ['2025-07-01T03:59:59Z', 'America/New_York', '2025-06'],
    ['2025-07-01T04:00:00Z', 'America/New_York', '2025-07'],
    ['2025-01-31T18:29:59Z', 'Asia/Kolkata', '2025-01'],
    ['2025-01-31T18:30:00Z', 'Asia/Kolkata', '2025-02'],
    ['2025-12-31T20:00:00Z', 'Asia/Kolkata', '2026-01'],
  ])('places %s in %s into month %s', (instant, zone, month) => {
    expect(monthOf(new Date(instant), zone)).toBe(month);
  });
});

describe('monthStart', () => {
  it.each([
    ['2025-03', 'UTC', '2025-03-01T00:00:00.000Z'],
    // New York is on EST (UTC-5) on 1 March and on EDT (UTC-4) on 1 April, across the March DST change.
    ['2025-03', 'America/New_York', '2025-03-01T05:00:00.000Z'],
    ['2025-04', 'America/New_York', '2025-04-01T04:00:00.000Z'],
    ['2025-11', 'America/New_York', '2025-11-01T04:00:00.000Z'],
    ['2025-12', 'America/New_York', '2025-12-01T05:00:00.000Z'],
    ['2025-02', 'Asia/Kolkata', '2025-01-31T18:30:00.000Z'],
    ['2026-01', 'Australia/Sydney', '2025-12-31T13:00:00.000Z'],
  ])('starts %s in %s at %s', (month, zone, instant) => {
    expect(monthStart(month, zone).toISOString()).toBe(instant);
  });
});

describe('addMonths', () => {
  it.each([
    ['2025-11', 1, '2025-12'],
    ['2025-12', 1, '2026-01'],
    ['2025-11', 3, '2026-02'],
    ['2026-01', -1, '2025-12'],
    ['2025-01', 36, '2028-01'],
    ['2025-06', 0, '2025-06'],
  ])('moves %s by %i months to %s', (month, count, expected) => {
    expect(addMonths(month, count)).toBe(expected);
  });
});
