import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import { AppError, ErrorCode } from '../src/errors';
import { decodeIdsOf } from '../src/ids';
import { assertMonthRange, assertTimeZone, filterRecords } from '../src/usage/filter';
import { groupUsage, totalUsage, type UsageDimension as Dimension } from '../src/usage/report';
import type { UsageRecord } from '../src/vendors/types';
import { Account } from '../schema/account/account.type';
import { Bot } from '../schema/bot/bot.type';
import { UsageDimension } from '../schema/common/enums';
import { VendorConnection } from '../schema/connection/vendor-connection.type';
import { Organisation } from '../schema/organisation/organisation.type';
import { MonthlyUsage } from '../schema/usage/monthly-usage.type';
import { UsageFilter } from '../schema/usage/usage-filter.input';
import { SourceStatus, UsageReport, UsageRow, UsageTotal } from '../schema/usage/usage-report.type';
import { accountOf, botOf, connectionNamesOf, organisationOf } from './lookup';

@Resolver(() => UsageReport)
export class UsageResolver {
  @Query(() => UsageReport, { description: 'Cross-vendor usage, summed over the chosen dimensions. Months are calendar months in UTC.' })
  async usage(
    @Arg('filter', () => UsageFilter) filter: UsageFilter,
    @Arg('groupBy', () => [UsageDimension], { defaultValue: ['MONTH', 'VENDOR', 'UNIT'] }) groupBy: Dimension[],
    @Ctx() ctx: Context,
  ): Promise<UsageReport> {
    assertMonthRange(filter.from, filter.to, 'filter');
    const timeZone = filter.timeZone ?? 'UTC';
    assertTimeZone(timeZone, 'filter.timeZone');
    const organisations = filter.organisationIds ? decodeIdsOf('Organisation', filter.organisationIds, 'filter.organisationIds') : null;
    const accounts = filter.accountIds ? decodeIdsOf('Account', filter.accountIds, 'filter.accountIds') : null;
    const bots = filter.botIds ? decodeIdsOf('Bot', filter.botIds, 'filter.botIds') : null;
    const named = filter.connectionIds ? new Set(connectionNamesOf(ctx, filter.connectionIds, 'filter.connectionIds')) : null;
    // Entity filters also narrow which connections are asked at all.
    const entityConnections = [organisations, accounts, bots].filter((refs) => refs !== null).map((refs) => new Set(refs!.map((r) => r.connection)));
    const connections = ctx.connections.filter(
      (c) => (!filter.vendors || filter.vendors.includes(c.vendor)) && (!named || named.has(c.name)) && entityConnections.every((set) => set.has(c.name)),
    );

    const { from, to } = filter;
    const answers = await Promise.all(
      connections.map(async (c) => {
        const own = (refs: typeof accounts) => refs?.filter((r) => r.connection === c.name).map((r) => r.externalId);
        const accountIds = own(accounts);
        const botIds = own(bots);
        const keys = accountIds
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
      { organisations, accounts, bots, channels: filter.channels, types: filter.types, units: filter.units },
    );
    const rows = groupUsage(records, groupBy);
    const sources = answers.map((a) => sourceStatus(ctx, a.connection, a.failure));
    // A partial report is shown but never cached: the next ask tries the failed vendor again.
    if (sources.some((s) => s.state !== 'OK')) ctx.freshness.spoil();
    return Object.assign(new UsageReport(), {
      rows: rows.map(UsageRow.of),
      totals: totalUsage(rows).map(UsageTotal.of),
      incomplete: sources.some((s) => s.state !== 'OK'),
      sources,
    });
  }
}

/** A failed source is reported, never turned into "no usage"; only our own typed errors' words reach the caller. */
function sourceStatus(ctx: Context, connection: string, failure: Error | undefined): SourceStatus {
  if (failure) ctx.logger.warn('usage source failed', { connection, error: failure.message });
  const known = failure instanceof AppError;
  return Object.assign(new SourceStatus(), {
    connectionName: connection,
    state: failure ? 'FAILED' : 'OK',
    code: failure ? (known ? failure.code : ErrorCode.INTERNAL_SERVER_ERROR) : null,
    message: failure ? (known ? failure.message : 'internal error') : null,
    fetchedAt: null,
  });
}

@Resolver(() => UsageRow)
export class UsageRowResolver {
  @FieldResolver(() => VendorConnection, { nullable: true, description: 'The connection, when grouped by CONNECTION.' })
  connection(@Root() row: UsageRow, @Ctx() ctx: Context): VendorConnection | null {
    return connectionOf(ctx, row.row.connection);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation, when grouped by ORGANISATION.' })
  async organisation(@Root() row: UsageRow, @Ctx() ctx: Context): Promise<Organisation | null> {
    const { ownerConnection, organisationExternalId } = row.row;
    return ownerConnection && organisationExternalId ? Organisation.of(await organisationOf(ctx, ownerConnection, organisationExternalId)) : null;
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The account, when grouped by ACCOUNT and the row has one.' })
  async account(@Root() row: UsageRow, @Ctx() ctx: Context): Promise<Account | null> {
    const { ownerConnection, accountExternalId } = row.row;
    return ownerConnection && accountExternalId ? Account.of(await accountOf(ctx, ownerConnection, accountExternalId)) : null;
  }

  @FieldResolver(() => Bot, { nullable: true, description: 'The bot, when grouped by BOT and the row has one.' })
  async bot(@Root() row: UsageRow, @Ctx() ctx: Context): Promise<Bot | null> {
    const { ownerConnection, botExternalId } = row.row;
    return ownerConnection && botExternalId ? Bot.of(await botOf(ctx, ownerConnection, botExternalId)) : null;
  }
}

@Resolver(() => MonthlyUsage)
export class MonthlyUsageResolver {
  @FieldResolver(() => VendorConnection, { description: 'The connection it was read through.' })
  connection(@Root() usage: MonthlyUsage, @Ctx() ctx: Context): VendorConnection {
    return connectionOf(ctx, usage.record.connection) ?? VendorConnection.of(usage.record.connection, usage.record.vendor);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation it belongs to.' })
  async organisation(@Root() usage: MonthlyUsage, @Ctx() ctx: Context): Promise<Organisation> {
    return Organisation.of(await organisationOf(ctx, usage.record.connection, usage.record.organisationExternalId));
  }

  @FieldResolver(() => Account, { nullable: true, description: 'The account, for account usage.' })
  async account(@Root() usage: MonthlyUsage, @Ctx() ctx: Context): Promise<Account | null> {
    const { connection, accountExternalId } = usage.record;
    return accountExternalId ? Account.of(await accountOf(ctx, connection, accountExternalId)) : null;
  }

  @FieldResolver(() => Bot, { nullable: true, description: 'The bot, for bot usage.' })
  async bot(@Root() usage: MonthlyUsage, @Ctx() ctx: Context): Promise<Bot | null> {
    const { connection, botExternalId } = usage.record;
    return botExternalId ? Bot.of(await botOf(ctx, connection, botExternalId)) : null;
  }
}

@Resolver(() => SourceStatus)
export class SourceStatusResolver {
  @FieldResolver(() => VendorConnection, { description: 'The connection this status is about.' })
  connection(@Root() status: SourceStatus, @Ctx() ctx: Context): VendorConnection {
    return connectionOf(ctx, status.connectionName)!;
  }
}

function connectionOf(ctx: Context, name: string | null): VendorConnection | null {
  const found = name === null ? undefined : ctx.connections.find((c) => c.name === name);
  return found ? VendorConnection.of(found.name, found.vendor) : null;
}
