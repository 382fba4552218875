import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import type { UsageDimension as Dimension } from '../src/usage/report';
import { usageReport } from '../src/usage/usage-report';
import { Account } from '../schema/account/account.type';
import { Bot } from '../schema/bot/bot.type';
import { UsageDimension } from '../schema/common/enums';
import { VendorConnection } from '../schema/connection/vendor-connection.type';
import { Organisation } from '../schema/organisation/organisation.type';
import { MonthlyUsage } from '../schema/usage/monthly-usage.type';
import { UsageFilter } from '../schema/usage/usage-filter.input';
import { SourceStatus, UsageReport, UsageRow, UsageTotal } from '../schema/usage/usage-report.type';
import { accountOf, botOf, organisationOf } from './lookup';

@Resolver(() => UsageReport)
export class UsageResolver {
  @Query(() => UsageReport, { description: 'Cross-vendor usage, summed over the chosen dimensions. Months are calendar months in UTC.' })
  async usage(
    @Arg('filter', () => UsageFilter) filter: UsageFilter,
    @Arg('groupBy', () => [UsageDimension], { defaultValue: ['MONTH', 'VENDOR', 'UNIT'] }) groupBy: Dimension[],
    @Ctx() ctx: Context,
  ): Promise<UsageReport> {
    const report = await usageReport(ctx, filter, groupBy);
    return Object.assign(new UsageReport(), {
      rows: report.rows.map((row, i) => UsageRow.of(row, report.projections.rows[i])),
      totals: report.totals.map((total, i) => UsageTotal.of(total, report.projections.totals[i])),
      incomplete: report.incomplete,
      sources: report.sources.map(SourceStatus.of),
    });
  }
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
