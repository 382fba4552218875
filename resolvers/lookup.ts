import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { Context } from '../src/context';
import { decodeId, type NodeRef } from '../src/ids';
import type { AccountRecord, BotRecord, OrganisationRecord, Vendor } from '../src/model';

/**
 * Finding one entity by its connection and vendor id, through the request's
 * loaders: the listing is fetched once per request however many lookups follow.
 */

export function canSee(ctx: Context, connection: string): boolean {
  return ctx.principal.connections.has(connection);
}

export async function findOrganisation(ctx: Context, connection: string, externalId: string): Promise<OrganisationRecord | null> {
  if (!canSee(ctx, connection)) return null;
  return (await ctx.loaders.organisations.load(connection)).find((o) => o.externalId === externalId) ?? null;
}

export async function findAccount(ctx: Context, connection: string, externalId: string): Promise<AccountRecord | null> {
  if (!canSee(ctx, connection)) return null;
  return (await ctx.loaders.accounts.load(connection)).find((a) => a.externalId === externalId) ?? null;
}

export async function findBot(ctx: Context, connection: string, externalId: string): Promise<BotRecord | null> {
  if (!canSee(ctx, connection)) return null;
  return (await ctx.loaders.bots.load(connection)).find((b) => b.externalId === externalId) ?? null;
}

function vendorOf(ctx: Context, connection: string): Vendor {
  const found = ctx.connections.find((c) => c.name === connection);
  if (!found) throw new Error(`connection ${connection} is not visible to this caller`);
  return found.vendor;
}

/*
 * The entity an id in vendor data points at. One the listing does not (or no
 * longer) has still shows, with its id and no name, rather than failing the
 * usage or session it belongs to.
 */

export async function organisationOf(ctx: Context, connection: string, externalId: string): Promise<OrganisationRecord> {
  return (await findOrganisation(ctx, connection, externalId)) ?? { vendor: vendorOf(ctx, connection), connection, externalId, name: externalId, disabled: false };
}

export async function accountOf(ctx: Context, connection: string, externalId: string): Promise<AccountRecord> {
  return (await findAccount(ctx, connection, externalId)) ?? { vendor: vendorOf(ctx, connection), connection, organisationExternalId: connection, externalId, name: null };
}

export async function botOf(ctx: Context, connection: string, externalId: string): Promise<BotRecord> {
  return (await findBot(ctx, connection, externalId)) ?? { vendor: vendorOf(ctx, connection), connection, organisationExternalId: connection, externalId, name: null };
}

/** Decodes an id argument of one kind; null when it is not ours or of another kind (the entity does not exist). */
export function refOf(id: string, kind: NodeRef['kind']): NodeRef | null {
  const ref = decodeId(id);
  return ref && ref.kind === kind ? ref : null;
}

/**
 * One connection's part of a listing that degrades per connection: when it
 * fails, the field answers without it and the connection is named in an error
 * at the field's path, never `data: null` for the whole field.
 */
export async function listingPart<T>(ctx: Context, info: GraphQLResolveInfo, connection: string, load: Promise<readonly T[]>): Promise<readonly T[]> {
  try {
    return await load;
  } catch (err) {
    ctx.partialFailures.add(err, responsePathAsArray(info.path), connection);
    return [];
  }
}
