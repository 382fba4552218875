import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Context } from '../context';
import { AppError, BadUserInputError, ErrorCode, OperationBudgetError } from '../errors';
import { decodeId, decodeIdsOf, type NodeRef } from '../ids';
import type { UsageRecord, UsageType, UsageUnit, Vendor } from '../model';
import { beforeDeadline } from '../operation-budget';
import type { UsageQuery } from '../vendors/types';
import { assertIdListWithin } from './argument-limits';
import { assertMonthRange, assertTimeZone, filterRecords, type RecordFilter } from './filter';
import { projectReport, type Projection } from './projection';
import { createGrouper, totalUsage, type ReportRow, type ReportTotal, type UsageDimension } from './report';

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
  /** Why names or details are missing although the numbers are whole (e.g. a refused listing); null or absent when nothing is. */
  note?: string | null;
}

export interface UsageReportResult {
  rows: ReportRow[];
  totals: ReportTotal[];
  /** True when any source failed or was served stale. */
  incomplete: boolean;
  sources: SourceResult[];
  /** Month-end projections of rows and totals (index-aligned; null where no month in progress is in them). */
  projections: { rows: (Projection | null)[]; totals: (Projection | null)[] };
}

/** The priced records a filter selects, and how each connection answered. */
export interface UsageRecordsResult {
  records: UsageRecord[];
  /** True when any source failed or was served stale. */
  incomplete: boolean;
  sources: SourceResult[];
}

/**
 * The usage report, as one use case behind every door (GraphQL, CSV): plan
 * which of the caller's connections to ask, load their priced monthly usage
 * through the request's loaders, filter and group. `field` prefixes the names
 * of arguments in error messages (`filter` in GraphQL, none for the CSV export's query parameters).
 */
export function usageReport(ctx: Context, filter: UsageReportFilter, groupBy: readonly UsageDimension[], field = 'filter'): Promise<UsageReportResult> {
  // A hundred aliases asking the same question are one report, computed once per operation.
  let reports = reportsOf.get(ctx);
  if (!reports) reportsOf.set(ctx, (reports = new Map()));
  const key = JSON.stringify([filter, groupBy, field]);
  let report = reports.get(key);
  if (!report) reports.set(key, (report = computeUsageReport(ctx, filter, groupBy, field)));
  return report;
}

/** The reports one operation (one context) has computed, by (filter, groupBy). */
const reportsOf = new WeakMap<Context, Map<string, Promise<UsageReportResult>>>();

/** Records filtered and grouped per chunk, yielding between chunks so /healthz and other requests get their turn. */
const RECORDS_PER_TURN = 2000;

async function computeUsageReport(ctx: Context, filter: UsageReportFilter, groupBy: readonly UsageDimension[], field: string): Promise<UsageReportResult> {
  const { records, incomplete, sources } = await usageRecords(ctx, filter, field);
  const grouper = createGrouper(groupBy);
  for (let start = 0; start < records.length; start += RECORDS_PER_TURN) {
    if (start > 0) await yieldToEventLoop();
    grouper.add(records.slice(start, start + RECORDS_PER_TURN));
  }
  const rows = grouper.rows();
  const totals = totalUsage(rows);
  const projections = projectReport(records, groupBy, rows, totals, ctx.now(), filter.timeZone ?? 'UTC');
  return { rows, totals, incomplete, sources, projections };
}

/**
 * The records behind a report, ungrouped (the FOCUS export writes one row per record).
 * `field` prefixes argument names in errors; '' names the bare parameter (`from`, `botIds`).
 */
export async function usageRecords(ctx: Context, filter: UsageReportFilter, field = 'filter'): Promise<UsageRecordsResult> {
  const name = (leaf: string) => (field ? `${field}.${leaf}` : leaf);
  assertMonthRange(filter.from, filter.to, field);
  for (const list of ['connectionIds', 'organisationIds', 'accountIds', 'botIds'] as const) {
    assertIdListWithin(filter[list], ctx.limits.maxIdsPerList, name(list));
  }
  const timeZone = filter.timeZone ?? 'UTC';
  assertTimeZone(timeZone, name('timeZone'));
  const organisations = filter.organisationIds ? decodeIdsOf('Organisation', filter.organisationIds, name('organisationIds')) : null;
  const accounts = filter.accountIds ? decodeIdsOf('Account', filter.accountIds, name('accountIds')) : null;
  const bots = filter.botIds ? decodeIdsOf('Bot', filter.botIds, name('botIds')) : null;
  const named = filter.connectionIds ? new Set(connectionNamesOf(ctx, filter.connectionIds, name('connectionIds'))) : null;
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
      // At the operation's deadline the report goes out with what is there; this source is reported unfinished.
      const loaded = await beforeDeadline(ctx.loaders.usage.loadMany(keys), ctx.deadlineAt, () => [
        new OperationBudgetError('UPSTREAM_TIMEOUT', c.name, `connection ${c.name} had not answered when the operation reached its deadline`),
      ]);
      const failure = loaded.find((r): r is Error => r instanceof Error);
      return { connection: c.name, records: failure ? [] : (loaded as UsageRecord[][]).flat(), failure };
    }),
  );

  const records = await filterInTurns(
    answers.flatMap((a) => a.records),
    { organisations, accounts, bots, channels: filter.channels ?? undefined, types: filter.types ?? undefined, units: filter.units ?? undefined },
  );
  const sources = answers.map((a) => ({ ...sourceResult(ctx, a.connection, a.failure), note: noteOf(ctx, a.connection) }));
  const incomplete = sources.some((s) => s.state !== 'OK');
  // A partial report is shown but never cached: the next ask tries the failed vendor again.
  if (incomplete) ctx.freshness.spoil();
  return { records, incomplete, sources };
}

function noteOf(ctx: Context, connection: string): string | null {
  const notes = ctx.loaders.notesOf(connection);
  return notes.length === 0 ? null : notes.join(' ');
}

/** filterRecords, a chunk of records per event-loop turn. */
async function filterInTurns(records: readonly UsageRecord[], filter: RecordFilter): Promise<UsageRecord[]> {
  const kept: UsageRecord[] = [];
  for (let start = 0; start < records.length; start += RECORDS_PER_TURN) {
    if (start > 0) await yieldToEventLoop();
    kept.push(...filterRecords(records.slice(start, start + RECORDS_PER_TURN), filter));
  }
  return kept;
}

/** Only our own typed errors' words reach the caller. */
function sourceResult(ctx: Context, connection: string, failure: Error | undefined): Omit<SourceResult, 'note'> {
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
