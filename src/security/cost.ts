import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isListType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  isCompositeType,
} from 'graphql';
import { decodeId, MAX_PAGE_SIZE } from '../ids';
import { isMonth, monthsApart } from '../usage/month';

/**
 * An estimate of the upstream work an operation causes, in vendor requests,
 * made from the document and its variables before anything runs. It follows
 * how the loaders really fetch:
 *
 * - listings (organisations, bots, accounts, customers) and the lookups of an
 *   entity by id or by reference are one request per connection, however many
 *   parents ask, since a request's loaders memoise them: min(parents, C);
 * - monthly usage of organisations, accounts and bots is batched per
 *   connection and month range: min(parents, C) x months;
 * - `usage` is C x months, C narrowed by the filter's vendors, connections and entity ids;
 * - a customer's usage, a bot's billing sessions and its reconciliation are
 *   asked per parent: parents x months (a period counts 30-day months, at least 1).
 *
 * "Parents" is the product of the enclosing page sizes (`first`, or its
 * default), C (the caller's visible connections) under `connections`, and
 * NOMINAL_LIST_SIZE under any other list. Fields that cost nothing (scalars,
 * `connection`) add nothing. The README works an example through.
 */
export const NOMINAL_LIST_SIZE = 25;

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /** The connections the caller may see. */
  connections: readonly { name: string; vendor: string }[];
}

export interface CostResult {
  cost: number;
  /** `first` arguments above MAX_PAGE_SIZE, by response path (e.g. `organisations.edges.node.bots.first`). */
  oversizedPages: { path: string; value: number }[];
}

type Args = Record<string, unknown>;
type Connections = CostInput['connections'];
/** The work of one field, given its arguments, how many parent objects ask it and the visible connections. */
type FieldCost = (args: Args, parents: number, connections: Connections) => number;

const DAY_MS = 24 * 60 * 60 * 1000;
const MONTH_MS = 30 * DAY_MS;

const listing: FieldCost = (_args, parents, connections) => Math.min(parents, connections.length);
const monthlyUsage: FieldCost = (args, parents, connections) => Math.min(parents, connections.length) * months(args);

/** The fields that cause vendor requests, by schema coordinate; any other field costs nothing. */
const FIELD_COSTS: Record<string, FieldCost> = {
  'Query.organisations': (args, _parents, connections) => filteredConnections(args.filter, connections),
  'Query.usage': (args, _parents, connections) => filteredConnections(args.filter, connections) * months(args.filter),
  'Query.node': () => 1,
  'Query.organisation': () => 1,
  'Query.account': () => 1,
  'Query.bot': () => 1,
  'VendorConnection.organisations': listing,
  'Organisation.bots': listing,
  'Organisation.accounts': listing,
  'Account.customers': listing,
  'Account.organisation': listing,
  'Bot.organisation': listing,
  'Customer.account': listing,
  'BillingSession.bot': listing,
  'UsageRow.organisation': listing,
  'UsageRow.account': listing,
  'UsageRow.bot': listing,
  'MonthlyUsage.organisation': listing,
  'MonthlyUsage.account': listing,
  'MonthlyUsage.bot': listing,
  'Organisation.monthlyUsage': monthlyUsage,
  'Account.monthlyUsage': monthlyUsage,
  'Bot.monthlyUsage': monthlyUsage,
  'Customer.monthlyUsage': (args, parents) => parents * months(args),
  'Bot.billingSessions': (args, parents) => parents * periodMonths(args, 0),
  // Reconciliation reads a day past the period for conversations that started inside it.
  'Bot.reconciliation': (args, parents) => parents * periodMonths(args, DAY_MS),
};

export function estimateCost(input: CostInput): CostResult {
  const operation = input.document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (input.operationName ? d.name?.value === input.operationName : true),
  );
  const fragments = new Map(
    input.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const result: CostResult = { cost: 0, oversizedPages: [] };
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return result;
  const root = input.schema.getRootType(operation.operation);
  if (!root) return result;
  const variables = input.variables ?? {};

  const walk = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, parents: number, pageSize: number, path: string[]): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? input.schema.getType(selection.typeCondition.name.value) : type;
        if (on && isCompositeType(on)) walk(selection.selectionSet, on, parents, pageSize, path);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && input.schema.getType(fragment.typeCondition.name.value);
        // Validation has refused fragment cycles before this runs.
        if (fragment && on && isCompositeType(on)) walk(fragment.selectionSet, on, parents, pageSize, path);
        continue;
      }
      const field = 'getFields' in type ? type.getFields()[selection.name.value] : undefined;
      if (!field) continue; // __typename and introspection
      const here = [...path, selection.alias?.value ?? selection.name.value];
      let args: Args = {};
      try {
        args = getArgumentValues(field, selection, variables);
      } catch {
        // Arguments that do not coerce are reported by execution; they count as their defaults here.
      }
      if (typeof args.first === 'number' && args.first > MAX_PAGE_SIZE) result.oversizedPages.push({ path: [...here, 'first'].join('.'), value: args.first });
      result.cost += FIELD_COSTS[`${type.name}.${field.name}`]?.(args, parents, input.connections) ?? 0;
      if (!selection.selectionSet) continue;
      const named = getNamedType(field.type);
      if (!isCompositeType(named)) continue;
      // A page (`first`) multiplies at its `edges`; a plain list multiplies at once.
      const firstArg = field.args.find((a) => a.name === 'first');
      const first = typeof args.first === 'number' ? args.first : Number(firstArg?.defaultValue ?? 0);
      const childPage = firstArg ? Math.min(Math.max(0, first), MAX_PAGE_SIZE) : pageSize;
      let childParents = parents;
      if (field.name === 'edges' && named.name.endsWith('Edge')) childParents = parents * pageSize;
      else if (isListType(getNullableType(field.type))) childParents = parents * (`${type.name}.${field.name}` === 'Query.connections' ? input.connections.length : NOMINAL_LIST_SIZE);
      walk(selection.selectionSet, named, childParents, childPage, here);
    }
  };
  walk(operation.selectionSet, root, 1, 0, []);
  return result;
}

/** Months from `from` to `to` inclusive (Month arguments or a usage filter); 1 when they are not months. */
function months(args: unknown): number {
  const { from, to } = (args ?? {}) as { from?: unknown; to?: unknown };
  if (typeof from !== 'string' || typeof to !== 'string' || !isMonth(from) || !isMonth(to)) return 1;
  return Math.max(1, monthsApart(from, to) + 1);
}

/** A DateTime period [from, to + tail) in 30-day months, at least 1. */
function periodMonths(args: Args, tailMs: number): number {
  const from = new Date(args.from as string | Date).getTime();
  const to = new Date(args.to as string | Date).getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return 1;
  return Math.max(1, Math.ceil((to + tailMs - from) / MONTH_MS));
}

/** How many visible connections a filter (organisations' or usage's) leaves to ask. */
function filteredConnections(filter: unknown, connections: Connections): number {
  const f = (filter ?? {}) as { vendors?: unknown; connectionIds?: unknown; organisationIds?: unknown; accountIds?: unknown; botIds?: unknown };
  let count = Array.isArray(f.vendors) ? connections.filter((c) => (f.vendors as unknown[]).includes(c.vendor)).length : connections.length;
  if (Array.isArray(f.connectionIds)) count = Math.min(count, f.connectionIds.length);
  for (const ids of [f.organisationIds, f.accountIds, f.botIds]) {
    if (!Array.isArray(ids)) continue;
    const named = new Set(ids.map((id) => (typeof id === 'string' ? decodeId(id)?.connection : undefined)).filter((c) => c !== undefined));
    count = Math.min(count, named.size);
  }
  return count;
}
