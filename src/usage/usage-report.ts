import type { Context } from '../context';
import { AppError, BadUserInputError, ErrorCode } from '../errors';
import { decodeId, decodeIdsOf, type NodeRef } from '../ids';
import type { UsageQuery, UsageRecord, UsageType, UsageUnit, Vendor } from '../vendors/types';
import { assertMonthRange, assertTimeZone, filterRecords } from './filter';
import { groupUsage, totalUsage, type ReportRow, type ReportTotal, type UsageDimension } from './report';

/** The usage filter as plain data: what GraphQL's UsageFilter and the CSV export's query parameters both become. */
export interface UsageReportFilter {
  from: string;
  to: string;
  vendors?: readonly Vendor[] | null;
  connectionIds?: readonly string[] | null;
  organisationIds?: readonly string[] | null;
  accountIds?: readonly string[] | null;
  botIds?: readonly string[] | null;
  channels?: readonly string[] | null;
  types?: readonly UsageType[] | null;
  units?: readonly UsageUnit[] | null;
  timeZone?: string | null;
}

/** How one connection answered; a failed one is reported, never turned into "no usage". */
export interface SourceResult {
  connection: string;
  state: 'OK' | 'STALE' | 'FAILED';
  code: string | null;
  message: string | null;
  fetchedAt: Date | null;
}

export interface UsageReportResult {
  rows: ReportRow[];
  totals: ReportTotal[];
  /** True when any source failed or was served stale. */
  incomplete: boolean;
  sources: SourceResult[];
}

/**
 * The usage report, as one use case behind every door (GraphQL, CSV): plan
 * which of the caller's connections to ask, load their priced monthly usage
 * through the request's loaders, filter and group. `field` prefixes the names
 * of arguments in error messages (`filter` in GraphQL).
 */
export async function usageReport(ctx: Context, filter: UsageReportFilter, groupBy: readonly UsageDimension[], field = 'filter'): Promise<UsageReportResult> {
  assertMonthRange(filter.from, filter.to, field);
  const timeZone = filter.timeZone ?? 'UTC';
  assertTimeZone(timeZone, `${field}.timeZone`);
  const organisations = filter.organisationIds ? decodeIdsOf('Organisation', filter.organisationIds, `${field}.organisationIds`) : null;
  const accounts = filter.accountIds ? decodeIdsOf('Account', filter.accountIds, `${field}.accountIds`) : null;
  const bots = filter.botIds ? decodeIdsOf('Bot', filter.botIds, `${field}.botIds`) : null;
  const named = filter.connectionIds ? new Set(connectionNamesOf(ctx, filter.connectionIds, `${field}.connectionIds`)) : null;
  // Entity filters also narrow which connections are asked at all.
  const entityConnections = [organisations, accounts, bots].filter((refs) => refs !== null).map((refs) => new Set(refs!.map((r) => r.connection)));
  const connections = ctx.connections.filter(
    (c) => (!filter.vendors || filter.vendors.includes(c.vendor)) && (!named || named.has(c.name)) && entityConnections.every((set) => set.has(c.name)),
  );

  const { from, to } = filter;
  const answers = await Promise.all(
    connections.map(async (c) => {
      const own = (refs: NodeRef[] | null) => refs?.filter((r) => r.connection === c.name).map((r) => r.externalId);
      const accountIds = own(accounts);
      const botIds = own(bots);
      const keys: (Pick<UsageQuery, 'from' | 'to' | 'timeZone'> & { connection: string; accountId?: string; botId?: string })[] = accountIds
        ? accountIds.map((accountId) => ({ connection: c.name, from, to, timeZone, accountId }))
        : botIds
          ? botIds.map((botId) => ({ connection: c.name, from, to, timeZone, botId }))
          : [{ connection: c.name, from, to, timeZone }];
      const loaded = await ctx.loaders.usage.loadMany(keys);
      const failure = loaded.find((r): r is Error => r instanceof Error);
      return { connection: c.name, records: failure ? [] : (loaded as UsageRecord[][]).flat(), failure };
    }),
  );

  const records = filterRecords(
    answers.flatMap((a) => a.records),
    { organisations, accounts, bots, channels: filter.channels ?? undefined, types: filter.types ?? undefined, units: filter.units ?? undefined },
  );
  const rows = groupUsage(records, groupBy);
  const sources = answers.map((a) => sourceResult(ctx, a.connection, a.failure));
  const incomplete = sources.some((s) => s.state !== 'OK');
  // A partial report is shown but never cached: the next ask tries the failed vendor again.
  if (incomplete) ctx.freshness.spoil();
  return { rows, totals: totalUsage(rows), incomplete, sources };
}

/** Only our own typed errors' words reach the caller. */
function sourceResult(ctx: Context, connection: string, failure: Error | undefined): SourceResult {
  if (!failure) {
    // Served from an expired answer while the vendor failed: the rows are that answer's, dated.
    const staleSince = ctx.staleAnswers?.fetchedAt(connection);
    if (staleSince) return { connection, state: 'STALE', code: null, message: 'the vendor failed; served the last answer it gave', fetchedAt: staleSince };
    return { connection, state: 'OK', code: null, message: null, fetchedAt: null };
  }
  ctx.logger.warn('usage source failed', { connection, error: failure.message });
  const known = failure instanceof AppError;
  return {
    connection,
    state: 'FAILED',
    code: known ? failure.code : ErrorCode.INTERNAL_SERVER_ERROR,
    message: known ? failure.message : 'internal error',
    fetchedAt: null,
  };
}

/**
 * Connection ids accept the VendorConnection id or the configured name (analysts type names).
 * An id that is neither is BAD_USER_INPUT naming the field.
 */
export function connectionNamesOf(ctx: Context, ids: readonly string[], field: string): string[] {
  return ids.map((id, i) => {
    const ref = decodeId(id);
    const name = ref?.kind === 'VendorConnection' ? ref.connection : id;
    if (!ctx.connections.some((c) => c.name === name)) {
      throw new BadUserInputError(`${field}[${i}] names no connection you can see: "${id}"`, `${field}[${i}]`);
    }
    return name;
  });
}
