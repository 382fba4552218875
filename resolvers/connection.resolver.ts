import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import { VendorConnection } from '../schema/connection/vendor-connection.type';
import { Organisation } from '../schema/organisation/organisation.type';
import { listingPart } from './lookup';

@Resolver(() => VendorConnection)
export class ConnectionResolver {
  @Query(() => [VendorConnection], { description: 'The vendor connections this caller may see (from configuration).' })
  connections(@Ctx() ctx: Context): VendorConnection[] {
    return ctx.connections.map((c) => VendorConnection.of(c.name, c.vendor));
  }

  @FieldResolver(() => [Organisation], { description: 'The tenants this connection reaches.' })
  async organisations(@Root() connection: VendorConnection, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<Organisation[]> {
    return (await listingPart(ctx, info, connection.name, ctx.loaders.organisations.load(connection.name))).map(Organisation.of);
  }
}
