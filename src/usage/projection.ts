import Decimal from 'decimal.js';
import type { DecimalString, UsageRecord } from '../vendors/types';
import { addMonths, monthOf, monthStart } from './month';
import { groupUsage, totalUsage, type ReportRow, type ReportTotal, type UsageDimension } from './report';

/**
 * Month-end projection for the month in progress. Method RUN_RATE: the month's
 * figures so far, divided by the days elapsed (counted to the minute, at least
 * one day, so the first hours of a month are not blown up), times the days in
 * the month. The month and its days are those of the filter's time zone. A month
 * that has ended, or not begun, has no projection. Projections are never added
 * into the reported figures: they are a separate field beside them.
 */
export type ProjectionMethod = 'RUN_RATE';

export interface Projection {
  quantity: DecimalString;
  amount: DecimalString | null;
  method: ProjectionMethod;
}

const DAY_MS = 86_400_000;

/** The month in progress at `now` in `timeZone`, and the factor that takes its figures so far to the month's end. */
export function runRate(now: Date, timeZone = 'UTC'): { month: string; factor: DecimalString; elapsedDays: number; monthDays: number } {
  const month = monthOf(now, timeZone);
  const start = monthStart(month, timeZone).getTime();
  const end = monthStart(addMonths(month, 1), timeZone).getTime();
  // Days in the zone's month, DST included (a 30-day month with a 23-hour day is still 30 days).
  const monthDays = Math.round((end - start) / DAY_MS);
  // In whole milliseconds, so the factor is exact: days in the month / days elapsed.
  const elapsedMs = Math.min(Math.max(DAY_MS, now.getTime() - start), monthDays * DAY_MS);
  return { month, factor: new Decimal(monthDays * DAY_MS).div(elapsedMs).toString(), elapsedDays: elapsedMs / DAY_MS, monthDays };
}

/**
 * Projections for report rows and totals, index-aligned with them: records of the
 * month in progress scaled by the run-rate factor, the others as they are, grouped
 * the same way. A row or total that holds no record of that month gets null.
 */
export function projectReport(
  records: readonly UsageRecord[],
  groupBy: readonly UsageDimension[],
  rows: readonly ReportRow[],
  totals: readonly ReportTotal[],
  now: Date,
  timeZone = 'UTC',
): { rows: (Projection | null)[]; totals: (Projection | null)[] } {
  const { month, factor } = runRate(now, timeZone);
  const current = records.filter((r) => r.month === month);
  if (current.length === 0) return { rows: rows.map(() => null), totals: totals.map(() => null) };
  const scale = (value: DecimalString) => new Decimal(value).times(factor).toString();
  const projected = records.map((r) => (r.month === month ? { ...r, quantity: scale(r.quantity), amount: r.amount === null ? null : scale(r.amount) } : r));
  const projectedRows = new Map(groupUsage(projected, groupBy).map((row) => [rowKey(row), row]));
  const rowsInProgress = new Set(groupUsage(current, groupBy).map(rowKey));
  const projectedTotals = new Map(totalUsage([...projectedRows.values()]).map((t) => [totalKey(t), t]));
  const totalsInProgress = new Set(totalUsage(groupUsage(current, groupBy)).map(totalKey));
  const of = (figures: { quantity: DecimalString; amount: DecimalString | null } | undefined): Projection | null =>
    figures ? { quantity: figures.quantity, amount: figures.amount, method: 'RUN_RATE' } : null;
  return {
    rows: rows.map((row) => (rowsInProgress.has(rowKey(row)) ? of(projectedRows.get(rowKey(row))) : null)),
    totals: totals.map((total) => (totalsInProgress.has(totalKey(total)) ? of(projectedTotals.get(totalKey(total))) : null)),
  };
}

function rowKey(row: ReportRow): string {
  const { quantity: _q, amount: _a, ...dimensions } = row;
  return JSON.stringify(dimensions);
}

function totalKey(total: ReportTotal): string {
  return `${total.unit}/${total.currency ?? ''}`;
}
