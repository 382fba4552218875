import { z } from 'zod';
import { VENDOR_MODULES } from '../vendors/registry';
import { USAGE_UNITS, VENDORS } from '../model';
import { connectionName } from './connection-base';

/**
 * The configuration file, key by key (../shared/contract/config.example.yaml).
 * Every object is strict, so a misspelt key is a start-up error naming its path.
 */

const name = connectionName;
const positiveInt = z.number().int().positive();

const limitsSchema = z
  .object({
    maxDepth: positiveInt.default(12),
    maxAliases: positiveInt.default(30),
    maxTokens: positiveInt.default(5000),
    maxCost: positiveInt.default(20000),
    /** Vendor calls one operation may cause that are not served from cache (retries and logins count). */
    maxVendorCallsPerOperation: positiveInt.default(200),
    /** After this the answer goes out with what is there; unfinished sources are FAILED with UPSTREAM_TIMEOUT. */
    operationTimeoutMs: positiveInt.default(15000),
    /** Longest period a `billingSessions` or `reconciliation` argument pair may span. */
    maxSpanDays: positiveInt.default(366),
    /** Longest id list a filter accepts (`accountIds`, `botIds`, `connectionIds`, `organisationIds`). */
    maxIdsPerList: positiveInt.default(500),
    /** Largest response body; a bigger answer is replaced by a RESPONSE_TOO_LARGE error. */
    maxResponseBytes: positiveInt.default(10 * 1024 * 1024),
  })
  .strict();

/** Node's HTTP server settings: no request may hold a socket or memory without bound. */
const httpSchema = z
  .object({
    /** Time a client has to send its request headers. */
    headersTimeoutMs: positiveInt.default(10000),
    /** Time a client has to send its whole request (headers and body). */
    requestTimeoutMs: positiveInt.default(30000),
    /** How long an idle keep-alive connection stays open. */
    keepAliveTimeoutMs: positiveInt.default(5000),
    /** Open connections at once; more are refused by the server. */
    maxConnections: positiveInt.default(1024),
    /** Largest request body; a larger Content-Length is refused before the body is read. */
    maxBodyBytes: positiveInt.default(1024 * 1024),
  })
  .strict();

const serverSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(4000),
    host: z.string().min(1).default('127.0.0.1'),
    graphiql: z.boolean().default(true),
    introspection: z.boolean().default(true),
    /** true: the Apollo Federation 2 subgraph schema (the plain API plus _service and _entities); false: the plain schema. */
    federation: z.boolean().default(true),
    /** GET /metrics (Prometheus text format); false answers 404. */
    metrics: z.boolean().default(true),
    /** When `clients` is set, /metrics asks for a key like the data routes unless this is true (a scraper inside the network). */
    metricsPublic: z.boolean().default(false),
    limits: limitsSchema.default({}),
    http: httpSchema.default({}),
    /** On SIGTERM/SIGINT, in-flight requests get this long to finish before they are aborted. */
    shutdownGraceMs: z.number().int().min(0).default(10000),
  })
  .strict();

const cacheSchema = z
  .object({
    url: z
      .string()
      .refine((u) => /^(memory:\/\/|rediss?:\/\/)/.test(u), 'memory:// or a redis:// URL')
      .default('memory://'),
    namespace: z.string().min(1).default('usagegraph'),
    /** Shared-cache switch; the benchmark turns it off to measure the uncached baseline. */
    enabled: z.boolean().default(true),
    /** Bound of the in-process tier in entries (a second bound next to maxBytes). */
    maxEntries: positiveInt.default(10000),
    /** Bound of the in-process tier in bytes of stored text; an entry over a tenth of it is not kept in process. */
    maxBytes: positiveInt.default(256 * 1024 * 1024),
    /** How long an expired vendor answer is kept, to be served STALE when the vendor fails. */
    staleMaxAgeSeconds: z.number().int().min(0).default(7 * 86400),
    /** Deadline of one Redis call on a live connection; slower is a miss. */
    callTimeoutMs: positiveInt.default(250),
    /** How long start-up waits for Redis before starting without it (it keeps reconnecting). */
    connectTimeoutMs: positiveInt.default(2000),
    /** A month that ended more than this many days ago is settled. */
    settleDays: z.number().int().min(0).default(3),
    settledTtlSeconds: positiveInt.default(86400),
    openTtlSeconds: positiveInt.default(300),
    listingTtlSeconds: positiveInt.default(900),
  })
  .strict();

const upstreamSchema = z
  .object({
    /** DataLoader batching of vendor calls; the benchmark turns it off for the baseline. */
    batching: z.boolean().default(true),
    /** Pages fetched at once per connection where the vendor reports a total. */
    concurrency: positiveInt.default(4),
    timeoutMs: positiveInt.default(10000),
    retries: z.number().int().min(0).max(10).default(2),
    /** Calls that may wait for a connection's slots; more are refused at once (UPSTREAM_UNAVAILABLE). */
    queueLimit: positiveInt.default(500),
    /** Consecutive vendor faults (unreachable, timeout, 5xx) that open a connection's circuit breaker. */
    breakerFailures: positiveInt.default(5),
    /** How long an open breaker (or rejected credentials) keeps a connection from being called. */
    breakerCooldownMs: positiveInt.default(30000),
    /** How long an operation waits for one source before answering without it (or with its stale answer). */
    sourceDeadlineMs: positiveInt.default(8000),
    /** Vendor bodies longer than this are cut off while streaming (UPSTREAM_BAD_RESPONSE). */
    maxResponseBytes: positiveInt.default(50 * 1024 * 1024),
  })
  .strict();

/**
 * One connection: the union of every vendor's own keys (src/vendors/<vendor>/config.ts), built from
 * the registry's one list of vendor modules, discriminated by `vendor`.
 */
type VendorConfigSchema = (typeof VENDOR_MODULES)[number]['configSchema'];
const connectionSchema = z.discriminatedUnion(
  'vendor',
  VENDOR_MODULES.map((m) => m.configSchema) as unknown as [z.ZodDiscriminatedUnionOption<'vendor'>, ...z.ZodDiscriminatedUnionOption<'vendor'>[]],
) as unknown as z.ZodType<z.infer<VendorConfigSchema>, z.ZodTypeDef, unknown>;

const rateSchema = z
  .object({
    vendor: z.enum(VENDORS),
    unit: z.enum(USAGE_UNITS),
    price: z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number')]).transform(String),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as USD'),
  })
  .strict();

const clientSchema = z
  .object({
    name,
    apiKey: z.string().min(16, 'at least 16 characters').optional(),
    apiKeySha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits').optional(),
    connections: z.union([z.literal('*'), z.array(name)]).default('*'),
    persistedOnly: z.boolean().default(false),
    rateLimit: z.object({ requests: positiveInt, perSeconds: positiveInt }).strict().optional(),
  })
  .strict()
  .refine((c) => (c.apiKey === undefined) !== (c.apiKeySha256 === undefined), {
    message: 'exactly one of apiKey or apiKeySha256',
  });

const persistedQueriesSchema = z
  .object({ apq: z.boolean().default(true), manifest: z.string().min(1).optional() })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.default({}),
    cache: cacheSchema.default({}),
    upstream: upstreamSchema.default({}),
    connections: z.array(connectionSchema).min(1, 'at least one connection'),
    rates: z.array(rateSchema).default([]),
    clients: z.array(clientSchema).optional(),
    persistedQueries: persistedQueriesSchema.default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const unique = (names: string[], path: string) => {
      const seen = new Set<string>();
      names.forEach((n, i) => {
        if (seen.has(n)) ctx.addIssue({ code: 'custom', path: [path, i, 'name'], message: `a unique name, "${n}" is already used above` });
        seen.add(n);
      });
    };
    unique(config.connections.map((c) => c.name), 'connections');
    unique((config.clients ?? []).map((c) => c.name), 'clients');
    const known = new Set(config.connections.map((c) => c.name));
    (config.clients ?? []).forEach((client, i) => {
      if (client.connections === '*') return;
      client.connections.forEach((c, j) => {
        if (!known.has(c)) ctx.addIssue({ code: 'custom', path: ['clients', i, 'connections', j], message: `the name of a configured connection, there is none named "${c}"` });
      });
    });
    config.rates.forEach((rate, i) => {
      const twin = config.rates.findIndex((r) => r.vendor === rate.vendor && r.unit === rate.unit);
      if (twin !== i) ctx.addIssue({ code: 'custom', path: ['rates', i], message: `one rate per vendor and unit, ${rate.vendor} ${rate.unit} has a second one` });
    });
  });

export type Config = z.infer<typeof configSchema>;
export type ConnectionConfig = Config['connections'][number];
// Each vendor's connection type lives in its folder; re-exported here, where callers have always found them.
export type { KoreAiConnectionConfig } from '../vendors/koreai/config';
export type { CognigyConnectionConfig } from '../vendors/cognigy/config';
export type { EvovoiceConnectionConfig } from '../vendors/evovoice/config';
export type { TalkdeskConnectionConfig } from '../vendors/talkdesk/config';
export { KORE_ADMIN_BILLING_PATHS } from '../vendors/koreai/config';
export { TALKDESK_DEFAULT_SCOPES } from '../vendors/talkdesk/config';
export type RateConfig = Config['rates'][number];
export type ClientConfig = NonNullable<Config['clients']>[number];
export type UpstreamConfig = Config['upstream'];
export type CacheConfig = Config['cache'];
export type LimitsConfig = Config['server']['limits'];
