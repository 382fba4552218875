import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../src/context';
import { decodeId } from '../src/ids';
import { Account } from '../schema/account/account.type';
import { BillingSession } from '../schema/bot/billing-session.type';
import { Bot } from '../schema/bot/bot.type';
import { Node } from '../schema/common/node.interface';
import { VendorConnection } from '../schema/connection/vendor-connection.type';
import { Organisation } from '../schema/organisation/organisation.type';
import { findAccount, findBot, findOrganisation } from './lookup';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or is not visible.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    const ref = decodeId(id);
    if (!ref || !ctx.principal.connections.has(ref.connection)) return null;
    switch (ref.kind) {
      case 'VendorConnection': {
        const c = ctx.connections.find((v) => v.name === ref.connection);
        return c ? VendorConnection.of(c.name, c.vendor) : null;
      }
      case 'Organisation': {
        const record = await findOrganisation(ctx, ref.connection, ref.externalId);
        return record && Organisation.of(record);
      }
      case 'Account': {
        const record = await findAccount(ctx, ref.connection, ref.externalId);
        return record && Account.of(record);
      }
      case 'Bot': {
        const record = await findBot(ctx, ref.connection, ref.externalId);
        return record && Bot.of(record);
      }
      case 'BillingSession':
        // Kore.ai has no lookup by session id; a session id is resolved through its bot's listing only.
        return null;
    }
  }
}
