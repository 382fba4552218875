import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { request } from 'undici';
import type { GraphQLResponse } from './app';

/**
 * A company's supergraph in miniature, for the federation tests: a small `crm`
 * subgraph that owns customers and refers to our Organisation the way a CRM
 * knows a tenant (by vendor and the vendor's own id), adding a field of its
 * own to it; and a real Apollo Gateway composing it with ours over loopback.
 *
 * The CRM's type is CrmCustomer, not Customer: our schema already has a
 * Customer (Evovoice customers), and two subgraphs owning different value
 * types of one name do not compose (a test shows the error).
 */
export const crmTypeDefs = (customerType = 'CrmCustomer') => `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    "The CRM's customers, in its order; the first ones only when first is given."
    customers(first: Int): [${customerType}!]!
  }

  "A customer as the CRM keeps it."
  type ${customerType} @key(fields: "id") {
    id: ID!
    name: String!
    "The vendor tenant this customer uses, when the CRM knows it."
    organisation: Organisation
  }

  # The usage API's organisation, referred to by the vendor's own id. No description: the owner's
  # is the supergraph's (two different ones compose with an INCONSISTENT_DESCRIPTION hint).
  type Organisation @key(fields: "vendor externalId") {
    vendor: Vendor!
    externalId: String!
    "Who looks after this tenant at the company (the CRM's own field)."
    accountManager: String
  }

  enum Vendor { KORE_AI COGNIGY EVOVOICE TALKDESK }
`;

export interface CrmCustomerSeed {
  id: string;
  name: string;
  organisation: { vendor: string; externalId: string } | null;
  accountManager: string;
}

export interface RunningGraph {
  url: string;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** Posts one operation over real HTTP. */
export async function postGraphQL<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.body.json()) as { data: T; errors?: GraphQLResponse['errors'] };
  return { status: res.statusCode, data: body.data, errors: body.errors };
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** No Apollo GraphOS: nothing leaves loopback. */
const offline = () => [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];

async function serve(server: ApolloServer): Promise<RunningGraph> {
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return {
    url,
    query: (query, variables) => postGraphQL(url, query, variables),
    close: () => server.stop(),
  };
}

/** The CRM subgraph on an ephemeral loopback port, serving the given customers. */
export async function startCrmSubgraph(customers: CrmCustomerSeed[]): Promise<RunningGraph> {
  const managers = new Map(customers.filter((c) => c.organisation).map((c) => [`${c.organisation!.vendor}/${c.organisation!.externalId}`, c.accountManager]));
  const schema = buildSubgraphSchema({
    typeDefs: parse(crmTypeDefs()),
    resolvers: {
      Query: { customers: (_: unknown, { first }: { first?: number | null }) => (first == null ? customers : customers.slice(0, first)) },
      Organisation: {
        __resolveReference: (ref: { vendor: string; externalId: string }) => ({ ...ref }),
        accountManager: (org: { vendor: string; externalId: string }) => managers.get(`${org.vendor}/${org.externalId}`) ?? null,
      },
    },
  });
  return serve(new ApolloServer({ schema, plugins: [...offline(), ApolloServerPluginInlineTraceDisabled()] }));
}

/** A real Apollo Gateway on loopback, composing the subgraphs from their `_service { sdl }` at start-up. */
export async function startGateway(subgraphs: { name: string; url: string }[]): Promise<RunningGraph> {
  const gateway = new ApolloGateway({ supergraphSdl: new IntrospectAndCompose({ subgraphs, logger: quiet }), logger: quiet });
  return serve(new ApolloServer({ gateway, plugins: offline() }));
}

