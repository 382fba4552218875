import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { Context } from '../src/context';
import { BadUserInputError } from '../src/errors';
import { paginate } from '../src/ids';
import { assertSpanWithin } from '../src/usage/argument-limits';
import { assertMonthRange } from '../src/usage/filter';
import { reconcileSessions } from '../src/usage/reconcile';
import { BillingSession, BillingSessionConnection } from '../schema/bot/billing-session.type';
import { Bot } from '../schema/bot/bot.type';
import { Reconciliation } from '../schema/bot/reconciliation.type';
import { MonthRangeArgs } from '../schema/common/args';
import { Organisation } from '../schema/organisation/organisation.type';
import { MonthlyUsage } from '../schema/usage/monthly-usage.type';
import { entityUsageKey } from './lookahead';
import { botOf, findBot, organisationOf, refOf } from './lookup';

@ArgsType()
class PeriodArgs {
  @Field(() => GraphQLDateTime, { description: 'Start of the period, inclusive.' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'End of the period, exclusive.' })
  to!: Date;
}

@ArgsType()
class BillingSessionsArgs extends PeriodArgs {
  @Field(() => String, { nullable: true, description: 'Only this channel (case-insensitive).' })
  channel?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size (at most 500).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' })
  after?: string | null;
}

/**
 * How far either side of the period reconciliation looks: later sessions of conversations that
 * started inside it, and earlier ones of conversations that started before (judged there, not here).
 */
const RECONCILE_MARGIN_MS = 24 * 60 * 60 * 1000;

function assertPeriod(ctx: Context, from: Date, to: Date): void {
  if (from.getTime() >= to.getTime()) throw new BadUserInputError(`to (${to.toISOString()}) must be after from (${from.toISOString()})`, 'to');
  assertSpanWithin(from, to, ctx.limits.maxSpanDays);
}

@Resolver(() => Bot)
export class BotResolver {
  @Query(() => Bot, { nullable: true, description: 'One bot by id; null when it does not exist or is not visible.' })
  async bot(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Bot | null> {
    const ref = refOf(id, 'Bot');
    const record = ref && (await findBot(ctx, ref.connection, ref.externalId));
    return record ? Bot.of(record) : null;
  }

  @FieldResolver(() => Organisation, { description: 'The organisation (Kore.ai workspace) it belongs to.' })
  async organisation(@Root() bot: Bot, @Ctx() ctx: Context): Promise<Organisation> {
    return Organisation.of(await organisationOf(ctx, bot.connectionName, bot.organisationExternalId));
  }

  @FieldResolver(() => BillingSessionConnection, {
    description: 'Billing sessions that started in [from, to). Spans longer than the vendor allows per call are split transparently.',
  })
  async billingSessions(@Root() bot: Bot, @Args() { from, to, channel, first, after }: BillingSessionsArgs, @Ctx() ctx: Context) {
    assertPeriod(ctx, from, to);
    const sessions = await ctx.loaders.billingSessions.load({
      connection: bot.connectionName, botId: bot.externalId, from, to, ...(channel ? { channel: channel.toLowerCase() } : {}),
    });
    return paginate(sessions.map(BillingSession.of), first ?? 50, after);
  }

  @FieldResolver(() => [MonthlyUsage], { description: 'Its billing sessions counted per month, channel and type, in UTC months.' })
  async monthlyUsage(@Root() bot: Bot, @Args() { from, to }: MonthRangeArgs, @Ctx() ctx: Context): Promise<MonthlyUsage[]> {
    assertMonthRange(from, to);
    const records = await ctx.loaders.usage.load(entityUsageKey('bots', bot.connectionName, bot.externalId, from, to));
    return records.map(MonthlyUsage.of);
  }

  @FieldResolver(() => Reconciliation, {
    description: "Billed sessions checked against the vendor's rule: one session per started 15 minutes of conversation, one per alert.",
  })
  async reconciliation(@Root() bot: Bot, @Args() { from, to }: PeriodArgs, @Ctx() ctx: Context): Promise<Reconciliation> {
    assertPeriod(ctx, from, to);
    const sessions = await ctx.loaders.billingSessions.load({
      connection: bot.connectionName, botId: bot.externalId, from: new Date(from.getTime() - RECONCILE_MARGIN_MS), to: new Date(to.getTime() + RECONCILE_MARGIN_MS),
    });
    return reconcileSessions(sessions, from, to);
  }
}

@Resolver(() => BillingSession)
export class BillingSessionResolver {
  @FieldResolver(() => Bot, { description: 'The bot it was billed to.' })
  async bot(@Root() session: BillingSession, @Ctx() ctx: Context): Promise<Bot> {
    return Bot.of(await botOf(ctx, session.connectionName, session.botExternalId));
  }
}
