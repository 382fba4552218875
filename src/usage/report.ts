import type { DecimalString, UsageRecord, UsageUnit } from '../model';
import { sumDecimals } from './money';

/** The dimensions a report can be grouped by (the schema's UsageDimension). */
export const USAGE_DIMENSIONS = [
  'MONTH', 'VENDOR', 'CONNECTION', 'ORGANISATION', 'ACCOUNT', 'BOT', 'CHANNEL', 'TYPE', 'UNIT', 'PRODUCT', 'DIRECTION', 'CURRENCY',
] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

/** One group of a report; a field is null when its dimension is not grouped. */
export interface ReportRow {
  month: string | null;
  vendor: UsageRecord['vendor'] | null;
  connection: string | null;
  /** The connection that owns the grouped organisation, account or bot (their ids are per connection). */
  ownerConnection: string | null;
  organisationExternalId: string | null;
  accountExternalId: string | null;
  botExternalId: string | null;
  channel: string | null;
  type: UsageRecord['type'] | null;
  unit: UsageUnit;
  productId: string | null;
  direction: UsageRecord['direction'];
  currency: string | null;
  quantity: DecimalString;
  /** Null when no record of the group carries money. */
  amount: DecimalString | null;
}

export interface ReportTotal {
  unit: UsageUnit;
  currency: string | null;
  quantity: DecimalString;
  amount: DecimalString | null;
}

/**
 * Groups records by the chosen dimensions and sums them exactly.
 * Unit and currency always split groups, whether asked for or not: adding
 * minutes to sessions, or dollars to euros, would be a wrong number.
 */
export function groupUsage(records: readonly UsageRecord[], groupBy: readonly UsageDimension[]): ReportRow[] {
  const grouper = createGrouper(groupBy);
  grouper.add(records);
  return grouper.rows();
}

/**
 * groupUsage in steps: records are added in chunks (a caller can yield to the
 * event loop between them) and summed once at the end. Same result as
 * groupUsage over all the records at once.
 */
export function createGrouper(groupBy: readonly UsageDimension[]): { add(records: readonly UsageRecord[]): void; rows(): ReportRow[] } {
  const dims = new Set(groupBy);
  const pick = <T>(dim: UsageDimension, value: T): T | null => (dims.has(dim) ? value : null);
  const groups = new Map<string, { row: Omit<ReportRow, 'quantity' | 'amount'>; quantities: string[]; amounts: string[] }>();
  const add = (records: readonly UsageRecord[]) => {
    for (const r of records) {
      const row = {
        month: pick('MONTH', r.month),
        vendor: pick('VENDOR', r.vendor),
        connection: pick('CONNECTION', r.connection),
        ownerConnection: dims.has('ORGANISATION') || dims.has('ACCOUNT') || dims.has('BOT') ? r.connection : null,
        organisationExternalId: pick('ORGANISATION', r.organisationExternalId),
        accountExternalId: pick('ACCOUNT', r.accountExternalId),
        botExternalId: pick('BOT', r.botExternalId),
        channel: pick('CHANNEL', r.channel),
        type: pick('TYPE', r.type),
        unit: r.unit,
        productId: pick('PRODUCT', r.productId),
        direction: pick('DIRECTION', r.direction),
        currency: r.currency,
      };
      const key = JSON.stringify(Object.values(row));
      let group = groups.get(key);
      if (!group) {
        group = { row, quantities: [], amounts: [] };
        groups.set(key, group);
      }
      group.quantities.push(r.quantity);
      if (r.amount !== null) group.amounts.push(r.amount);
    }
  };
  const rows = () =>
    [...groups.values()]
      .map(({ row, quantities, amounts }) => ({
        ...row,
        quantity: sumDecimals(quantities),
        amount: amounts.length > 0 ? sumDecimals(amounts) : null,
      }))
      .sort(compareRows);
  return { add, rows };
}

/** One total per unit and currency pair present in the rows. */
export function totalUsage(rows: readonly ReportRow[]): ReportTotal[] {
  const totals = new Map<string, { unit: UsageUnit; currency: string | null; quantities: string[]; amounts: string[] }>();
  for (const row of rows) {
    const key = `${row.unit}/${row.currency ?? ''}`;
    let total = totals.get(key);
    if (!total) {
      total = { unit: row.unit, currency: row.currency, quantities: [], amounts: [] };
      totals.set(key, total);
    }
    total.quantities.push(row.quantity);
    if (row.amount !== null) total.amounts.push(row.amount);
  }
  return [...totals.values()]
    .map((t) => ({ unit: t.unit, currency: t.currency, quantity: sumDecimals(t.quantities), amount: t.amounts.length ? sumDecimals(t.amounts) : null }))
    .sort((a, b) => a.unit.localeCompare(b.unit) || (a.currency ?? '').localeCompare(b.currency ?? ''));
}

const ORDER: (keyof ReportRow)[] = [
  'month', 'vendor', 'connection', 'ownerConnection', 'organisationExternalId', 'accountExternalId', 'botExternalId', 'channel', 'type', 'unit', 'productId', 'direction', 'currency',
];

/** Stable order: month first, so a monthly report reads top to bottom. */
function compareRows(a: ReportRow, b: ReportRow): number {
  for (const field of ORDER) {
    const c = String(a[field] ?? '').localeCompare(String(b[field] ?? ''));
    if (c !== 0) return c;
  }
  return 0;
}
