import type { Context } from '../src/context';
import { BadUserInputError } from '../src/errors';
import { decodeId, type NodeRef } from '../src/ids';
import type { AccountRecord, BotRecord, OrganisationRecord } from '../src/vendors/types';

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

/** The organisation an entity belongs to; a vendor that lists none still has the connection's one. */
export async function organisationOf(ctx: Context, connection: string, externalId: string): Promise<OrganisationRecord> {
  const found = await findOrganisation(ctx, connection, externalId);
  if (found) return found;
  const vendor = ctx.connections.find((c) => c.name === connection)?.vendor ?? 'KORE_AI';
  return { vendor, connection, externalId, name: externalId, disabled: false };
}

/** Decodes an id argument of one kind; null when it is not ours or of another kind (the entity does not exist). */
export function refOf(id: string, kind: NodeRef['kind']): NodeRef | null {
  const ref = decodeId(id);
  return ref && ref.kind === kind ? ref : null;
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
