import type { AccountRecord, BillingSessionRecord, BotRecord, CustomerRecord, Month, OrganisationRecord, UsageRecord, Vendor } from '../model';

/**
 * The one interface every connector implements, and the queries it answers.
 * The records it returns are the shared model (src/model.ts), re-exported here
 * for code that has always imported them from this file.
 */
export * from '../model';

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
   * What this connection could not tell lately, in words for a report's sources (a listing the
   * vendor refused, so names are missing); empty when nothing. Connections that never degrade omit it.
   */
  notes?(): readonly string[];
  /**
   * The same sessions page by page as the vendor serves them, in order, never
   * cached: what an export streams in flat memory. Only vendors with billing
   * sessions (Kore.ai) have it.
   */
  billingSessionPages?(query: BillingSessionQuery): AsyncIterable<BillingSessionRecord[]>;
}
