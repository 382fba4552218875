import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { Context } from '../src/context';
import { decodeCursor, MAX_PAGE_SIZE, paginate } from '../src/ids';
import type { UsageKey } from '../src/loaders/keys';
import { isMonth } from '../src/usage/month';
import type { AccountRecord, BotRecord, OrganisationRecord } from '../src/model';

/**
 * Look-ahead for `organisations`: GraphQL starts an organisation's fields
 * only once the whole list is resolved, i.e. after the slowest vendor's
 * listing. When the query also asks the monthly usage of the organisations'
 * bots or accounts, those loads can start as soon as each connection's own
 * listing is in. They go through the request's loaders with the very keys the
 * field resolvers use, so nothing is fetched that the query would not fetch.
 */

type Entity = 'bots' | 'accounts';

interface UsageAsked {
  entity: Entity;
  first: number;
  after: string | null;
  from: string;
  to: string;
}

const PATHS: Record<Entity, [connection: string, edge: string, node: string]> = {
  bots: ['BotConnection', 'BotEdge', 'Bot'],
  accounts: ['AccountConnection', 'AccountEdge', 'Account'],
};

/** Every `bots`/`accounts { edges { node { monthlyUsage } } }` under the organisations' nodes, with its arguments. */
export function usageAskedOfOrganisations(info: GraphQLResolveInfo): UsageAsked[] {
  const root = parseResolveInfo(info) as ResolveTree | null | undefined;
  if (!root) return [];
  const asked: UsageAsked[] = [];
  for (const edges of children(root, 'OrganisationConnection', 'edges')) {
    for (const node of children(edges, 'OrganisationEdge', 'node')) {
      for (const entity of ['bots', 'accounts'] as const) {
        const [connectionType, edgeType, nodeType] = PATHS[entity];
        for (const list of children(node, 'Organisation', entity)) {
          for (const entityEdges of children(list, connectionType, 'edges')) {
            for (const entityNode of children(entityEdges, edgeType, 'node')) {
              for (const usage of children(entityNode, nodeType, 'monthlyUsage')) {
                asked.push({
                  entity,
                  first: (list.args.first as number | null | undefined) ?? 50,
                  after: (list.args.after as string | null | undefined) ?? null,
                  from: String(usage.args.from),
                  to: String(usage.args.to),
                });
              }
            }
          }
        }
      }
    }
  }
  return asked;
}

function children(tree: ResolveTree, typeName: string, field: string): ResolveTree[] {
  return Object.values(tree.fieldsByTypeName[typeName] ?? {}).filter((child) => child.name === field);
}

/** The page of an organisation's bots or accounts that `Organisation.bots`/`accounts` returns. */
export function entitiesOf<T extends BotRecord | AccountRecord>(all: readonly T[], organisation: OrganisationRecord | { externalId: string }, first: number, after: string | null | undefined) {
  return paginate(all.filter((e) => e.organisationExternalId === organisation.externalId), first, after);
}

/** The loader key of one bot's or account's monthly usage, as `Bot.monthlyUsage`/`Account.monthlyUsage` ask it. */
export function entityUsageKey(entity: Entity, connection: string, externalId: string, from: string, to: string): UsageKey {
  return entity === 'bots' ? { connection, from, to, timeZone: 'UTC', botId: externalId } : { connection, from, to, timeZone: 'UTC', accountId: externalId };
}

/**
 * Starts the asked usage loads of the organisations that will be on the page,
 * connection by connection in page order: a connection's place on the page is
 * known once the connections before it have listed theirs. Nothing is loaded
 * for an organisation the page leaves out.
 */
export function prefetchPage(
  ctx: Context,
  connections: readonly { name: string }[],
  lists: readonly Promise<OrganisationRecord[]>[],
  first: number,
  after: string | null | undefined,
  asked: readonly UsageAsked[],
): void {
  let start: number;
  try {
    start = after ? decodeCursor(after) + 1 : 0;
  } catch {
    return; // the resolver reports the bad cursor
  }
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) return;
  let before = Promise.resolve(0);
  connections.forEach((connection, i) => {
    before = before.then(async (offset) => {
      const list = await lists[i];
      const onPage = list.slice(Math.max(0, start - offset), Math.max(0, start + first - offset));
      if (onPage.length > 0) prefetchUsage(ctx, connection.name, onPage, asked);
      return offset + list.length;
    });
  });
  before.catch(() => undefined); // a failed listing is reported by the resolver
}

/** Starts the asked usage loads of some organisations of one connection; errors stay in the loaders for the resolvers to report. */
function prefetchUsage(ctx: Context, connection: string, organisations: readonly OrganisationRecord[], asked: readonly UsageAsked[]): void {
  for (const a of asked) {
    if (!isMonth(a.from) || !isMonth(a.to)) continue; // the field resolver reports the bad argument
    const listing: Promise<readonly (BotRecord | AccountRecord)[]> = a.entity === 'bots' ? ctx.loaders.bots.load(connection) : ctx.loaders.accounts.load(connection);
    listing
      .then((all) => {
        for (const organisation of organisations) {
          for (const { node } of entitiesOf(all, organisation, a.first, a.after).edges) {
            ctx.loaders.usage.load(entityUsageKey(a.entity, connection, node.externalId, a.from, a.to)).catch(() => undefined);
          }
        }
      })
      .catch(() => undefined);
  }
}
