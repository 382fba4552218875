import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import type { UsageRecord } from '../vendors/types';
import { focusDataset, priceSourceOf, type FocusRow, type RecordNames, type UnpricedUsage } from './focus';
import { usageRecords, type SourceResult, type UsageReportFilter } from './usage-report';

export interface FocusExportResult {
  rows: FocusRow[];
  /** Usage left out because it carries no money (FOCUS has no null cost); never silently missing. */
  unpriced: UnpricedUsage[];
  /** True when any source failed or was served stale: the dataset may be short. */
  incomplete: boolean;
  sources: SourceResult[];
}

/**
 * The FOCUS dataset as one use case behind every door (CSV, JSON Lines, GraphQL):
 * the usage report's records (same filter, tenant scope, loaders and source
 * reporting), named through the request's listing loaders, mapped by the pure
 * `focusDataset`. `field` prefixes argument names in errors ('' for query parameters).
 */
export async function focusExport(ctx: Context, filter: UsageReportFilter, field = 'filter'): Promise<FocusExportResult> {
  // FOCUS periods are UTC instants; months of another zone would not be the calendar months the rows claim.
  if (filter.timeZone && filter.timeZone !== 'UTC') {
    const name = field ? `${field}.timeZone` : 'timeZone';
    throw new BadUserInputError(`${name} must be UTC for FOCUS: its charge periods are UTC calendar months, received "${filter.timeZone}"`, name);
  }
  const { records, incomplete, sources } = await usageRecords(ctx, filter, field);
  const names = await entityNames(ctx, records);
  const { rows, unpriced } = focusDataset(records, (record) => ({
    organisation: names.get(key(record.connection, 'o', record.organisationExternalId)) ?? record.organisationExternalId,
    account: record.accountExternalId ? (names.get(key(record.connection, 'a', record.accountExternalId)) ?? null) : null,
    bot: record.botExternalId ? (names.get(key(record.connection, 'b', record.botExternalId)) ?? null) : null,
    priceSource: priceSourceOf(record, ctx.rates),
  } satisfies RecordNames));
  return { rows, unpriced, incomplete, sources };
}

const key = (connection: string, kind: 'o' | 'a' | 'b', externalId: string) => `${connection}\u0000${kind}\u0000${externalId}`;

/**
 * Names of the organisations, accounts and bots the records mention, from the listings
 * (one call per connection and kind, memoised by the request's loaders). A listing that
 * fails leaves its entities named by their vendor id: the usage itself is all there.
 */
async function entityNames(ctx: Context, records: readonly UsageRecord[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const needs = new Map<string, { accounts: boolean; bots: boolean }>();
  for (const r of records) {
    const need = needs.get(r.connection) ?? { accounts: false, bots: false };
    need.accounts ||= r.accountExternalId !== null;
    need.bots ||= r.botExternalId !== null;
    needs.set(r.connection, need);
  }
  const listing = async <T>(connection: string, what: string, load: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await load();
    } catch (err) {
      ctx.logger.warn('focus export: listing failed, entities named by their vendor id', { connection, listing: what, error: (err as Error).message });
      return [];
    }
  };
  await Promise.all(
    [...needs].map(async ([connection, need]) => {
      const [organisations, accounts, bots] = await Promise.all([
        listing(connection, 'organisations', () => ctx.loaders.organisations.load(connection)),
        need.accounts ? listing(connection, 'accounts', () => ctx.loaders.accounts.load(connection)) : [],
        need.bots ? listing(connection, 'bots', () => ctx.loaders.bots.load(connection)) : [],
      ]);
      for (const o of organisations) names.set(key(connection, 'o', o.externalId), o.name);
      for (const a of accounts) if (a.name) names.set(key(connection, 'a', a.externalId), a.name);
      for (const b of bots) if (b.name) names.set(key(connection, 'b', b.externalId), b.name);
    }),
  );
  return names;
}
