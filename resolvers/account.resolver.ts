import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import { assertMonthRange } from '../src/usage/filter';
import { Account } from '../schema/account/account.type';
import { Customer } from '../schema/account/customer.type';
import { MonthRangeArgs } from '../schema/common/args';
import { Organisation } from '../schema/organisation/organisation.type';
import { MonthlyUsage } from '../schema/usage/monthly-usage.type';
import { entityUsageKey } from './lookahead';
import { accountOf, findAccount, organisationOf, refOf } from './lookup';

@Resolver(() => Account)
export class AccountResolver {
  @Query(() => Account, { nullable: true, description: 'One account by id; null when it does not exist or is not visible.' })
  async account(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Account | null> {
    const ref = refOf(id, 'Account');
    const record = ref && (await findAccount(ctx, ref.connection, ref.externalId));
    return record ? Account.of(record) : null;
  }

  @FieldResolver(() => Organisation, { description: 'The organisation it belongs to.' })
  async organisation(@Root() account: Account, @Ctx() ctx: Context): Promise<Organisation> {
    return Organisation.of(await organisationOf(ctx, account.connectionName, account.organisationExternalId));
  }

  @FieldResolver(() => [Customer], { description: 'Evovoice customers under this account; empty for other vendors.' })
  async customers(@Root() account: Account, @Ctx() ctx: Context): Promise<Customer[]> {
    return (await ctx.loaders.customers.load({ connection: account.connectionName, accountId: account.externalId })).map(Customer.of);
  }

  @FieldResolver(() => [MonthlyUsage], { description: 'Its usage per month and metric (customer usage is on Customer, never added here twice).' })
  async monthlyUsage(@Root() account: Account, @Args() { from, to }: MonthRangeArgs, @Ctx() ctx: Context): Promise<MonthlyUsage[]> {
    assertMonthRange(from, to);
    const records = await ctx.loaders.usage.load(entityUsageKey('accounts', account.connectionName, account.externalId, from, to));
    return records.map(MonthlyUsage.of);
  }
}

@Resolver(() => Customer)
export class CustomerResolver {
  @FieldResolver(() => Account, { description: 'The account it belongs to.' })
  async account(@Root() customer: Customer, @Ctx() ctx: Context): Promise<Account> {
    return Account.of(await accountOf(ctx, customer.connectionName, customer.accountExternalId));
  }

  @FieldResolver(() => [MonthlyUsage], { description: "The customer's usage per month." })
  async monthlyUsage(@Root() customer: Customer, @Args() { from, to }: MonthRangeArgs, @Ctx() ctx: Context): Promise<MonthlyUsage[]> {
    assertMonthRange(from, to);
    const records = await ctx.loaders.customerUsage.load({
      connection: customer.connectionName, from, to, timeZone: 'UTC', accountId: customer.accountExternalId,
    });
    return records.filter((r) => r.customerExternalId === customer.externalId).map(MonthlyUsage.of);
  }
}
