import type { RateConfig } from '../config/schema';
import type { UsageRecord } from '../model';
import { multiply } from './money';

/**
 * Prices records the vendor reported without money: amount = quantity x the
 * configured rate for the record's vendor and unit. A vendor-reported amount
 * always wins and is kept exactly as reported.
 */
export function priceRecords(records: readonly UsageRecord[], rates: readonly RateConfig[]): UsageRecord[] {
  if (rates.length === 0) return [...records];
  const byVendorUnit = new Map(rates.map((r) => [`${r.vendor}/${r.unit}`, r]));
  return records.map((record) => {
    if (record.amount !== null) return record;
    const rate = byVendorUnit.get(`${record.vendor}/${record.unit}`);
    if (!rate) return record;
    return { ...record, unitPrice: rate.price, amount: multiply(record.quantity, rate.price), currency: rate.currency };
  });
}
