import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import type { OrganisationRecord } from '../src/model';
import { paginate } from '../src/ids';
import { assertIdListWithin } from '../src/usage/argument-limits';
import { assertMonthRange } from '../src/usage/filter';
import { MonthlyUsage } from '../schema/usage/monthly-usage.type';
import { VendorConnection } from '../schema/connection/vendor-connection.type';
import { Account, AccountConnection } from '../schema/account/account.type';
import { Bot, BotConnection } from '../schema/bot/bot.type';
import { Organisation, OrganisationConnection } from '../schema/organisation/organisation.type';
import { OrganisationFilter } from '../schema/organisation/organisation-filter.input';
import { MonthRangeArgs, PageArgs } from '../schema/common/args';
import { entitiesOf, prefetchPage, usageAskedOfOrganisations } from './lookahead';
import { connectionNamesOf } from '../src/usage/usage-report';
import { findOrganisation, listingPart, refOf } from './lookup';

@ArgsType()
class OrganisationsArgs {
  @Field(() => OrganisationFilter, { nullable: true, description: 'Which organisations to list.' })
  filter?: OrganisationFilter | null;

  @Field(() => Int, { nullable: true, defaultValue: 25, description: 'Page size (at most 500).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' })
  after?: string | null;
}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => OrganisationConnection, { description: 'Vendor tenants across every visible connection: connections in configuration order, each as its vendor lists them.' })
  async organisations(@Args() { filter, first, after }: OrganisationsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    let connections = ctx.connections;
    if (filter?.vendors) connections = connections.filter((c) => filter.vendors!.includes(c.vendor));
    if (filter?.connectionIds) {
      assertIdListWithin(filter.connectionIds, ctx.limits.maxIdsPerList, 'filter.connectionIds');
      const names = new Set(connectionNamesOf(ctx, filter.connectionIds, 'filter.connectionIds'));
      connections = connections.filter((c) => names.has(c.name));
    }
    const search = filter?.search?.toLowerCase();
    const wanted = (o: OrganisationRecord) => ((filter?.includeDisabled ?? true) || !o.disabled) && (!search || o.name.toLowerCase().includes(search));
    const lists = connections.map((c) => listingPart(ctx, info, c.name, ctx.loaders.organisations.load(c.name)).then((all) => all.filter(wanted)));
    const asked = usageAskedOfOrganisations(info);
    if (asked.length > 0 && ctx.loaders.memoised) prefetchPage(ctx, connections, lists, first ?? 25, after, asked);
    const organisations = (await Promise.all(lists)).flat().map(Organisation.of);
    return paginate(organisations, first ?? 25, after);
  }

  @Query(() => Organisation, { nullable: true, description: 'One organisation by id; null when it does not exist or is not visible.' })
  async organisation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Organisation | null> {
    const ref = refOf(id, 'Organisation');
    const record = ref && (await findOrganisation(ctx, ref.connection, ref.externalId));
    return record ? Organisation.of(record) : null;
  }

  @FieldResolver(() => VendorConnection, { description: 'The connection it was read through.' })
  connection(@Root() organisation: Organisation): VendorConnection {
    return VendorConnection.of(organisation.connectionName, organisation.vendor);
  }

  @FieldResolver(() => AccountConnection, { description: 'Billable accounts under it (Talkdesk, Evovoice).' })
  async accounts(@Root() organisation: Organisation, @Args() { first, after }: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const accounts = await listingPart(ctx, info, organisation.connectionName, ctx.loaders.accounts.load(organisation.connectionName));
    const page = entitiesOf(accounts, organisation, first ?? 50, after);
    return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: Account.of(node) })) };
  }

  @FieldResolver(() => BotConnection, { description: 'Virtual assistants under it (Kore.ai).' })
  async bots(@Root() organisation: Organisation, @Args() { first, after }: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const bots = await listingPart(ctx, info, organisation.connectionName, ctx.loaders.bots.load(organisation.connectionName));
    const page = entitiesOf(bots, organisation, first ?? 50, after);
    return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: Bot.of(node) })) };
  }

  @FieldResolver(() => [MonthlyUsage], { description: 'Its usage per month, metric and entity, in UTC months.' })
  async monthlyUsage(@Root() organisation: Organisation, @Args() { from, to }: MonthRangeArgs, @Ctx() ctx: Context): Promise<MonthlyUsage[]> {
    assertMonthRange(from, to);
    const records = await ctx.loaders.usage.load({ connection: organisation.connectionName, from, to, timeZone: 'UTC' });
    return records.filter((r) => r.organisationExternalId === organisation.externalId).map(MonthlyUsage.of);
  }
}
