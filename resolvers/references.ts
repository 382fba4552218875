import type { Context } from '../src/context';
import type { Vendor } from '../src/vendors/types';
import { Account } from '../schema/account/account.type';
import { Bot } from '../schema/bot/bot.type';
import { VendorConnection } from '../schema/connection/vendor-connection.type';
import { Organisation } from '../schema/organisation/organisation.type';
import { findAccount, findBot, findOrganisation, refOf } from './lookup';

/**
 * Federation entity references (`__resolveReference`): the gateway hands us a
 * key, we answer with the entity or null. They go through the same lookup
 * helpers as `node` and `organisation(id:)`, so the caller's visible
 * connections decide (another tenant's reference is null) and the request's
 * loaders batch: a hundred references on one connection read its listing once.
 */

interface IdReference {
  id?: string;
}

interface OrganisationReference extends IdReference {
  vendor?: Vendor;
  externalId?: string;
}

async function organisationReference(reference: OrganisationReference, ctx: Context): Promise<Organisation | null> {
  if (reference.id !== undefined) {
    const ref = refOf(reference.id, 'Organisation');
    const record = ref && (await findOrganisation(ctx, ref.connection, ref.externalId));
    return record ? Organisation.of(record) : null;
  }
  if (reference.vendor === undefined || reference.externalId === undefined) return null;
  // A vendor's tenant ids are unique within that vendor; two connections reaching the same tenant
  // (say, two credentials) give the same organisation, and the first visible one in configuration order answers.
  const candidates = ctx.connections.filter((c) => c.vendor === reference.vendor);
  const found = await Promise.all(candidates.map((c) => findOrganisation(ctx, c.name, reference.externalId!)));
  const record = found.find((r) => r !== null);
  return record ? Organisation.of(record) : null;
}

async function accountReference(reference: IdReference, ctx: Context): Promise<Account | null> {
  const ref = reference.id === undefined ? null : refOf(reference.id, 'Account');
  const record = ref && (await findAccount(ctx, ref.connection, ref.externalId));
  return record ? Account.of(record) : null;
}

async function botReference(reference: IdReference, ctx: Context): Promise<Bot | null> {
  const ref = reference.id === undefined ? null : refOf(reference.id, 'Bot');
  const record = ref && (await findBot(ctx, ref.connection, ref.externalId));
  return record ? Bot.of(record) : null;
}

function connectionReference(reference: IdReference, ctx: Context): VendorConnection | null {
  const ref = reference.id === undefined ? null : refOf(reference.id, 'VendorConnection');
  const connection = ref && ctx.connections.find((c) => c.name === ref.connection);
  return connection ? VendorConnection.of(connection.name, connection.vendor) : null;
}

/** Merged into the type-graphql resolvers when the subgraph schema is built (schema/subgraph.ts). */
export const referenceResolvers = {
  Organisation: { __resolveReference: organisationReference },
  Account: { __resolveReference: accountReference },
  Bot: { __resolveReference: botReference },
  VendorConnection: { __resolveReference: connectionReference },
};
