import Decimal from 'decimal.js';
import type { RateConfig } from '../config/schema';
import { encodeId } from '../ids';
import type { DecimalString, UsageRecord, UsageType, UsageUnit, Vendor } from '../vendors/types';
import { addMonths, monthStart } from './month';
import { sumDecimals } from './money';

/**
 * Priced usage records -> rows of a FOCUS 1.2 cost and usage dataset
 * (FinOps Open Cost and Usage Specification; the column library the
 * conformance test reads is tests/fixtures/focus/columns-1.2.json).
 *
 * The one rule that is not a renaming: FOCUS forbids a null cost, and a cost
 * must be in a national currency, so a record with no money (no vendor amount
 * and no configured rate) cannot be a FOCUS row. Such records are not dropped
 * silently: they come back as `unpriced`, summed per connection and unit, for
 * the caller to show (a response header, a GraphQL field). Money columns are
 * the exact decimal strings of the model, never rounded or passed through a float.
 */

/** The FOCUS columns written, in file order, followed by our `x_` custom columns. */
export const FOCUS_COLUMNS = [
  'BillingAccountId', 'BillingAccountName', 'SubAccountId', 'SubAccountName', 'SubAccountType',
  'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency',
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'BillingCurrency',
  'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit', 'ListUnitPrice', 'ContractedUnitPrice', 'PricingCategory',
  'ProviderName', 'PublisherName', 'InvoiceIssuerName', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'SkuId', 'Tags',
  'x_Vendor', 'x_Connection', 'x_OrganisationId', 'x_OrganisationName', 'x_UsageType', 'x_Channel', 'x_SessionType',
  'x_ProductId', 'x_AggregateProductId', 'x_Direction', 'x_Resolution', 'x_Wallet', 'x_PriceSource',
] as const;
export type FocusColumn = (typeof FOCUS_COLUMNS)[number];

/** One FOCUS row: every value a string (decimals exact, instants ISO 8601 UTC) or null; Tags a key-value object. */
export type FocusRow = { [C in Exclude<FocusColumn, 'Tags'>]: string | null } & { Tags: Record<string, string> | null };

/** Usage the vendors reported with no money and no configured rate: not in the dataset, but never silently missing. */
export interface UnpricedUsage {
  connection: string;
  vendor: Vendor;
  unit: UsageUnit;
  quantity: DecimalString;
  /** How many records (months x entities x metrics) were left out. */
  records: number;
}

export type PriceSource = 'Vendor' | 'VendorTotal' | 'RateCard';

/** What a row needs beyond its record: entity display names (the vendor id when a listing lacks one) and where its money came from. */
export interface RecordNames {
  organisation: string;
  account: string | null;
  bot: string | null;
  priceSource: PriceSource;
}

export interface FocusDataset {
  rows: FocusRow[];
  unpriced: UnpricedUsage[];
}

const VENDOR_NAMES: Record<Vendor, string> = { KORE_AI: 'Kore.ai', COGNIGY: 'Cognigy', EVOVOICE: 'Evovoice', TALKDESK: 'Talkdesk' };

/** Units in FOCUS Unit Format: plural, capitalised, time units spelled as the spec lists them. */
export const FOCUS_UNITS: Record<UsageUnit, string> = {
  CHARS: 'Characters', CONVERSATIONS: 'Conversations', GB: 'GB', MINUTES: 'Minutes', NUMBERS: 'Numbers', PAGES: 'Pages',
  REQUESTS: 'Requests', SECONDS: 'Seconds', SEGMENTS: 'Segments', SESSIONS: 'Sessions', OTHER: 'Units',
};

/** Buying wallet credit is a purchase; everything else a vendor reports is usage. */
const PURCHASES = new Set<UsageType>(['RECHARGE', 'CREDIT_COMMIT']);

interface Service {
  name: string;
  category: 'AI and Machine Learning' | 'Business Applications';
  subcategory: 'Bots' | 'Natural Language Processing' | 'Other (AI and Machine Learning)' | 'Other (Business Applications)';
}

/** What was bought, by vendor and usage type; categories and subcategories are FOCUS 1.2 allowed values. */
function serviceOf(vendor: Vendor, type: UsageType): Service {
  switch (vendor) {
    case 'KORE_AI':
      return { name: 'Kore.ai Virtual Assistants', category: 'AI and Machine Learning', subcategory: 'Bots' };
    case 'COGNIGY':
      return { name: 'Cognigy.AI Conversations', category: 'AI and Machine Learning', subcategory: 'Bots' };
    case 'EVOVOICE':
      return { name: 'Evovoice AI Minutes', category: 'AI and Machine Learning', subcategory: 'Natural Language Processing' };
    case 'TALKDESK':
      if (type === 'SPEECH_TRANSCRIPTION' || type === 'VOICEMAIL_TRANSCRIPTION') {
        return { name: 'Talkdesk AI', category: 'AI and Machine Learning', subcategory: 'Natural Language Processing' };
      }
      return { name: `Talkdesk ${TALKDESK_SERVICES[type] ?? 'Contact Center'}`, category: 'Business Applications', subcategory: 'Other (Business Applications)' };
  }
}
const TALKDESK_SERVICES: Partial<Record<UsageType, string>> = {
  CALL: 'Voice', CALL_SERVICE: 'Voice', DIALER: 'Voice', AMD: 'Voice', MESSAGE: 'Messaging', NUMBER: 'Numbers',
  API_REQUEST: 'Platform API', RECHARGE: 'Wallet', CREDIT_COMMIT: 'Wallet',
};

/** A UTC instant as FOCUS's Date/Time Format wants it: YYYY-MM-DDTHH:mm:ssZ (no milliseconds). */
export function focusInstant(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Price of one unit when the vendor reported only a total: total / quantity,
 * exact when it terminates, else to 16 decimal places (half-even); 0 for a zero quantity.
 */
export function derivedUnitPrice(amount: DecimalString, quantity: DecimalString): DecimalString {
  const q = new Decimal(quantity);
  if (q.isZero()) return '0';
  const exact = Decimal.clone({ precision: 60, toExpNeg: -60, toExpPos: 60 });
  return new exact(amount).dividedBy(q).toDecimalPlaces(16, Decimal.ROUND_HALF_EVEN).toFixed().replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** The month's window in UTC: [first instant, first instant of the next month). */
function monthPeriod(month: string): { start: string; end: string } {
  return { start: focusInstant(monthStart(month)), end: focusInstant(monthStart(addMonths(month, 1))) };
}

/** One priced record as a FOCUS row. The record must carry an amount and a currency. */
export function focusRow(record: UsageRecord, names: RecordNames): FocusRow {
  if (record.amount === null || record.currency === null) throw new Error('focusRow needs a priced record');
  const { vendor, connection } = record;
  const purchase = PURCHASES.has(record.type);
  const service = serviceOf(vendor, record.type);
  const period = monthPeriod(record.month);
  // The narrowest entity the vendor reports the usage for is the sub account.
  const sub = record.botExternalId
    ? { kind: 'Bot' as const, externalId: record.botExternalId, name: names.bot }
    : record.accountExternalId
      ? { kind: 'Account' as const, externalId: record.accountExternalId, name: names.account }
      : { kind: 'Organisation' as const, externalId: record.organisationExternalId, name: names.organisation };
  const unitPrice = record.unitPrice ?? derivedUnitPrice(record.amount, record.quantity);
  const unit = FOCUS_UNITS[record.unit];
  const tags: Record<string, string> = { 'usagegraph/organisation': names.organisation };
  if (record.channel) tags['usagegraph/channel'] = record.channel;
  return {
    BillingAccountId: encodeId({ kind: 'VendorConnection', connection, externalId: '' }),
    BillingAccountName: connection,
    SubAccountId: encodeId({ kind: sub.kind, connection, externalId: sub.externalId }),
    SubAccountName: sub.name ?? sub.externalId,
    SubAccountType: sub.kind,
    BillingPeriodStart: period.start,
    BillingPeriodEnd: period.end,
    ChargePeriodStart: period.start,
    ChargePeriodEnd: period.end,
    ChargeCategory: purchase ? 'Purchase' : 'Usage',
    ChargeClass: null,
    ChargeDescription: record.description ?? describe(record),
    ChargeFrequency: purchase ? 'One-Time' : record.type === 'NUMBER' ? 'Recurring' : 'Usage-Based',
    // One price is all we know (the vendor's, or the configured rate): no list/contract split, no discounts, no amortisation.
    BilledCost: record.amount,
    EffectiveCost: record.amount,
    ListCost: record.amount,
    ContractedCost: record.amount,
    BillingCurrency: record.currency,
    // FOCUS: consumed quantity only on usage rows; a purchase has a pricing quantity only.
    ConsumedQuantity: purchase ? null : record.quantity,
    ConsumedUnit: purchase ? null : unit,
    PricingQuantity: record.quantity,
    PricingUnit: unit,
    ListUnitPrice: unitPrice,
    ContractedUnitPrice: unitPrice,
    PricingCategory: 'Standard',
    ProviderName: VENDOR_NAMES[vendor],
    PublisherName: VENDOR_NAMES[vendor],
    InvoiceIssuerName: VENDOR_NAMES[vendor],
    ServiceName: service.name,
    ServiceCategory: service.category,
    ServiceSubcategory: service.subcategory,
    SkuId: record.productId ?? `${vendor}:${record.type}:${record.unit}`,
    Tags: tags,
    x_Vendor: vendor,
    x_Connection: connection,
    x_OrganisationId: encodeId({ kind: 'Organisation', connection, externalId: record.organisationExternalId }),
    x_OrganisationName: names.organisation,
    x_UsageType: record.type,
    x_Channel: record.channel,
    x_SessionType: record.type === 'BILLING_SESSION' ? 'Conversations' : record.type === 'ALERT_SESSION' ? 'Alerts' : null,
    x_ProductId: record.productId,
    x_AggregateProductId: record.aggregateProductId,
    x_Direction: record.direction,
    x_Resolution: record.resolution,
    x_Wallet: record.wallet,
    x_PriceSource: names.priceSource,
  };
}

/**
 * Where a record's money came from: the configured rate card (`rates:`, which only prices
 * records the vendor sent without money), the vendor's price and total, or the vendor's
 * total alone (the unit price then derived from it).
 */
export function priceSourceOf(record: UsageRecord, rates: readonly RateConfig[]): PriceSource {
  if (record.unitPrice === null) return 'VendorTotal';
  const rate = rates.find((r) => r.vendor === record.vendor && r.unit === record.unit);
  const byRate = rate && rate.currency === record.currency && new Decimal(rate.price).equals(record.unitPrice)
    && record.amount !== null && new Decimal(record.quantity).times(rate.price).equals(record.amount);
  return byRate ? 'RateCard' : 'Vendor';
}

function describe(record: UsageRecord): string {
  const what = record.type === 'BILLING_SESSION' ? 'conversation billing sessions'
    : record.type === 'ALERT_SESSION' ? 'alert billing sessions'
      : record.type === 'CONVERSATION' ? 'conversations'
        : record.type === 'AI_MINUTES' ? 'AI minutes'
          : `${record.type.toLowerCase().replace(/_/g, ' ')} (${FOCUS_UNITS[record.unit].toLowerCase()})`;
  return `${VENDOR_NAMES[record.vendor]} ${what}${record.channel ? `, channel ${record.channel}` : ''}`;
}

/**
 * Records -> FOCUS rows in a stable order (period, connection, sub account, SKU), and the
 * unpriced records summed per connection and unit. `namesOf` gives each record's entity names.
 */
export function focusDataset(records: readonly UsageRecord[], namesOf: (record: UsageRecord) => RecordNames): FocusDataset {
  const rows: FocusRow[] = [];
  const unpriced = new Map<string, { connection: string; vendor: Vendor; unit: UsageUnit; quantities: string[] }>();
  for (const record of records) {
    if (record.amount !== null && record.currency !== null) {
      rows.push(focusRow(record, namesOf(record)));
      continue;
    }
    const key = `${record.connection}\u0000${record.unit}`;
    const entry = unpriced.get(key) ?? { connection: record.connection, vendor: record.vendor, unit: record.unit, quantities: [] };
    entry.quantities.push(record.quantity);
    unpriced.set(key, entry);
  }
  rows.sort(compareRows);
  return {
    rows,
    unpriced: [...unpriced.values()]
      .map((u) => ({ connection: u.connection, vendor: u.vendor, unit: u.unit, quantity: sumDecimals(u.quantities), records: u.quantities.length }))
      .sort((a, b) => a.connection.localeCompare(b.connection) || a.unit.localeCompare(b.unit)),
  };
}

const ORDER: FocusColumn[] = ['ChargePeriodStart', 'BillingAccountName', 'SubAccountName', 'SubAccountId', 'SkuId', 'x_UsageType', 'x_Channel', 'BillingCurrency', 'x_Direction', 'x_Resolution', 'x_Wallet'];
function compareRows(a: FocusRow, b: FocusRow): number {
  for (const column of ORDER) {
    const c = String(a[column] ?? '').localeCompare(String(b[column] ?? ''));
    if (c !== 0) return c;
  }
  return 0;
}
