import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import { VendorConnection } from '../schema/connection/vendor-connection.type';
import { Organisation } from '../schema/organisation/organisation.type';

@Resolver(() => VendorConnection)
export class ConnectionResolver {
  @Query(() => [VendorConnection], { description: 'The vendor connections this caller may see (from configuration).' })
  connections(@Ctx() ctx: Context): VendorConnection[] {
    return ctx.connections.map((c) => VendorConnection.of(c.name, c.vendor));
  }

  @FieldResolver(() => [Organisation], { description: 'The tenants this connection reaches.' })
  async organisations(@Root() connection: VendorConnection, @Ctx() ctx: Context): Promise<Organisation[]> {
    return (await ctx.loaders.organisations.load(connection.name)).map(Organisation.of);
  }
}
