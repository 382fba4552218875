/**
 * The normalised model every connector produces and the one interface every
 * connector implements. Nothing here knows GraphQL: resolvers turn these
 * records into schema objects; connectors turn vendor JSON into these records.
 */

export const VENDORS = ['KORE_AI', 'COGNIGY', 'EVOVOICE', 'TALKDESK'] as const;
export type Vendor = (typeof VENDORS)[number];

export const USAGE_UNITS = [
  'CHARS', 'CONVERSATIONS', 'GB', 'MINUTES', 'NUMBERS', 'PAGES',
  'REQUESTS', 'SECONDS', 'SEGMENTS', 'SESSIONS', 'OTHER',
] as const;
export type UsageUnit = (typeof USAGE_UNITS)[number];

export const USAGE_TYPES = [
  'AMD', 'API_REQUEST', 'CALL', 'CALL_SERVICE', 'CREDIT_COMMIT', 'DIALER', 'MESSAGE', 'NUMBER',
  'PRODUCT_SERVICE', 'RECHARGE', 'SPEECH_TRANSCRIPTION', 'VOICEMAIL_TRANSCRIPTION',
  'BILLING_SESSION', 'ALERT_SESSION', 'CONVERSATION', 'AI_MINUTES', 'OTHER',
] as const;
export type UsageType = (typeof USAGE_TYPES)[number];

export const DIRECTIONS = ['INBOUND', 'OUTBOUND', 'OTHER'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const RESOLUTIONS = ['ABANDONED', 'ANSWERED', 'MACHINE', 'MISSED', 'VOICEMAIL', 'OTHER'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** A calendar month, `YYYY-MM`. */
export type Month = string;

/** A decimal number kept as a string so money and quantities never pass through a float. */
export type DecimalString = string;

export interface OrganisationRecord {
  vendor: Vendor;
  connection: string;
  externalId: string;
  name: string;
  disabled: boolean;
}

export interface AccountRecord {
  vendor: Vendor;
  connection: string;
  organisationExternalId: string;
  externalId: string;
  name: string | null;
}

export interface CustomerRecord {
  vendor: Vendor;
  connection: string;
  accountExternalId: string;
  externalId: string;
  name: string | null;
}

export interface BotRecord {
  vendor: Vendor;
  connection: string;
  organisationExternalId: string;
  externalId: string;
  name: string | null;
}

export type BillingSessionType = 'CONVERSATION' | 'ALERT';

export interface BillingSessionRecord {
  connection: string;
  botExternalId: string;
  externalId: string;
  /** Lower-cased channel code. */
  channel: string;
  type: BillingSessionType;
  /** The vendor's billingSessionType, kept when it is neither Conversations nor Alerts. */
  rawType: string;
  userId: string | null;
  channelUserId: string | null;
  conversationId: string | null;
  conversationStart: Date | null;
  conversationEnd: Date | null;
  start: Date;
  end: Date;
}

/** One month of one metric for one entity. Amounts and quantities are decimal strings. */
export interface UsageRecord {
  month: Month;
  vendor: Vendor;
  connection: string;
  organisationExternalId: string;
  accountExternalId: string | null;
  botExternalId: string | null;
  customerExternalId: string | null;
  channel: string | null;
  type: UsageType;
  unit: UsageUnit;
  quantity: DecimalString;
  productId: string | null;
  aggregateProductId: string | null;
  description: string | null;
  direction: Direction | null;
  resolution: Resolution | null;
  unitPrice: DecimalString | null;
  amount: DecimalString | null;
  currency: string | null;
  wallet: string | null;
}

/** What a usage call asks for: calendar months, inclusive, and optionally only some entities. */
export interface UsageQuery {
  from: Month;
  to: Month;
  /** IANA zone that places timestamped records into months; per-day/per-month vendors ignore it. */
  timeZone: string;
  /** Only these accounts (Talkdesk, Evovoice); undefined means all. */
  accountIds?: readonly string[];
  /** Only these bots (Kore.ai); undefined means all. */
  botIds?: readonly string[];
}

export interface BillingSessionQuery {
  /** undefined means every bot the connection can see. */
  botIds?: readonly string[];
  /** Sessions whose billing start is in [from, to). */
  from: Date;
  to: Date;
  channel?: string;
}

/**
 * What every vendor connector offers. A vendor without a concept answers with
 * an empty list (Kore.ai has no accounts, Talkdesk has no bots), so callers
 * never branch on the vendor.
 */
export interface VendorConnector {
  readonly vendor: Vendor;
  /** The connection's configured name. */
  readonly connection: string;
  organisations(): Promise<OrganisationRecord[]>;
  accounts(): Promise<AccountRecord[]>;
  customers(accountIds: readonly string[]): Promise<CustomerRecord[]>;
  bots(): Promise<BotRecord[]>;
  /** Organisation-, account- and bot-level monthly usage; never customer rows. */
  usage(query: UsageQuery): Promise<UsageRecord[]>;
  /** Customer-level monthly usage (Evovoice); kept apart so it is never counted twice. */
  customerUsage(query: UsageQuery): Promise<UsageRecord[]>;
  billingSessions(query: BillingSessionQuery): Promise<BillingSessionRecord[]>;
  /**
   * The same sessions page by page as the vendor serves them, in order, never
   * cached: what an export streams in flat memory. Only vendors with billing
   * sessions (Kore.ai) have it.
   */
  billingSessionPages?(query: BillingSessionQuery): AsyncIterable<BillingSessionRecord[]>;
}

/** Defaults for the optional fields of a UsageRecord, so map functions only name what they know. */
export function usageRecord(
  fields: Pick<UsageRecord, 'month' | 'vendor' | 'connection' | 'organisationExternalId' | 'type' | 'unit' | 'quantity'> &
    Partial<UsageRecord>,
): UsageRecord {
  return {
    accountExternalId: null,
    botExternalId: null,
    customerExternalId: null,
    channel: null,
    productId: null,
    aggregateProductId: null,
    description: null,
    direction: null,
    resolution: null,
    unitPrice: null,
    amount: null,
    currency: null,
    wallet: null,
    ...fields,
  };
}
