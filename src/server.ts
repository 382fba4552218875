import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import type { Config } from './config/schema';
import { createContext, type AppDeps, type Context, type Principal } from './context';
import { type ExportHandler } from './export/route';
import { sessionsCsv } from './export/sessions-csv';
import { usageCsv } from './export/usage-csv';
import { exampleReportQuery } from './example-query';
import { focusExportRoute } from './export/focus';
import { graphiqlAsset, graphiqlPage } from './graphiql/page';
import { documentProblem, MAX_DOCUMENT_TOKENS } from './http/document-guard';
import { InFlightRequests } from './http/in-flight';
import type { Logger } from './logger';
import { runInOperation, type OperationScope } from './operation';
import { OperationBudget } from './operation-budget';
import { createErrorFormatter } from './plugins/error-masking';
import { metricsObserver, metricsRegistry, recordOperation } from './metrics';
import { createMetricsPlugin } from './plugins/metrics';
import { createOperationLimitsPlugin } from './plugins/operation-limits';
import { createOperationKindPlugin } from './plugins/operation-kind';
import { createPartialFailuresPlugin } from './plugins/partial-failures';
import { createRequestLogPlugin } from './plugins/request-log';
import { createResponseCachePlugin } from './plugins/response-cache';
import { createApiKeys } from './security/api-keys';
import { APQ_TTL_SECONDS, apqStore } from './security/apq-store';
import { prepareHttpRequest } from './security/documents';
import { createGuard } from './security/guard';
import { operationLimitRules } from './security/limits';
import { loadTrustedDocuments } from './security/manifest';
import { createRateLimiter } from './security/rate-limit';
import { sendRefusal } from './security/refusal';
import { requestIdFor } from './security/request-id';
import { addMonths, monthOfUtc } from './usage/month';
import { connectionScope, createSharedCache } from './upstream/cache';
import { combineObservers, createLogObserver, type UpstreamObserver } from './upstream/observer';
import { StaleAnswers } from './upstream/stale-answers';
import { createConnectors } from './vendors/registry';
import { usageSchema } from '../schema/build';
import { subgraphSchema } from '../schema/subgraph';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish for up to
   * server.shutdownGraceMs, aborts the rest, then closes vendor pools and the
   * cache. Safe to call more than once: every call gets the same shutdown.
   */
  close(): Promise<void>;
}

/** The export routes, each a thin door in src/export/ onto a use case. */
const EXPORTS: Record<string, ExportHandler> = {
  '/export/usage.csv': usageCsv,
  '/export/sessions.csv': sessionsCsv,
  '/export/focus.csv': ({ ctx, params, res }) => focusExportRoute(ctx, params, res, 'csv'),
  '/export/focus.jsonl': ({ ctx, params, res }) => focusExportRoute(ctx, params, res, 'jsonl'),
};

/** Builds the app from a validated Config and starts listening. */
export async function startServer(config: Config, logger: Logger, options: { observer?: UpstreamObserver } = {}): Promise<RunningServer> {
  // One observer for every upstream layer: the log, and whoever else listens (metrics, the soak benchmark).
  const observer = combineObservers(createLogObserver(logger), ...(config.server.metrics ? [metricsObserver] : []), ...(options.observer ? [options.observer] : []));
  // Redis is connected here, before the first request, so no request pays for the connection set-up.
  const cache = config.cache.enabled ? await createSharedCache(config.cache, { logger, observer }) : null;
  const now = () => new Date();
  const connectors = createConnectors(config, logger, cache, now, observer);
  const deps: AppDeps = { config, connectors: connectors.byName, logger, now };
  const keys = createApiKeys(config);
  const limiter = createRateLimiter(config.cache, logger);
  const guardRequest = createGuard(keys, limiter, logger);
  // Relative to the working directory, where `npm run codegen` writes it.
  const trusted = config.persistedQueries.manifest ? loadTrustedDocuments(resolve(config.persistedQueries.manifest), logger) : null;
  const { limits } = config.server;
  if (keys.required) logger.info('API keys required', { clients: config.clients!.map((c) => c.name) });
  else logger.info('no clients configured: requests need no API key and see every connection (demo and local use only)');
  const maxBodyBytes = config.server.http.maxBodyBytes;
  let ready = false;
  let stopping = false;
  const inFlight = new InFlightRequests();
  const httpServer: Server = createServer((req, res) => {
    const stopped = inFlight.track(res);
    if (stopping) res.setHeader('connection', 'close');
    route(req, res, stopped).catch((err) => {
      logger.error('request failed', { error: (err as Error).stack });
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ errors: [{ message: 'Internal server error' }] }));
    });
  });
  applyHttpLimits(httpServer, config.server.http);
  const apollo = new ApolloServer<Context>({
    schema: config.server.federation ? subgraphSchema() : usageSchema(),
    // Signals have one owner (main.ts); Apollo's own handler would stop the server a second time.
    stopOnTerminationSignals: false,
    introspection: config.server.introspection,
    // Without introspection, error messages do not leak the schema either ("Did you mean ...").
    hideSchemaDetailsFromClientErrors: !config.server.introspection,
    // A browser sends x-api-key or Authorization cross-site only after a CORS preflight, so either proves a GET is not a forged simple request.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'x-api-key', 'authorization'] },
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
    validationRules: operationLimitRules(limits),
    // The documents of the APQ store were counted when registered; this bounds any other way in, never above the hard ceiling.
    parseOptions: { maxTokens: Math.min(limits.maxTokens, MAX_DOCUMENT_TOKENS) },
    persistedQueries: !config.persistedQueries.apq ? false : cache ? { cache: apqStore(cache), ttl: APQ_TTL_SECONDS } : {},
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      createOperationKindPlugin<Context>(),
      createRequestLogPlugin(),
      createMetricsPlugin(),
      createOperationLimitsPlugin(limits.maxCost),
      // A subgraph gets field traces for the company's router when it asks (Apollo installs this anyway, and says so on the console); error messages in them stay masked.
      ...(config.server.federation ? [ApolloServerPluginInlineTrace({ includeErrors: { masked: true } })] : []),
      // Before the response cache: an answer with a failed connection in a listing is not kept.
      createPartialFailuresPlugin(),
      ...(cache ? [createResponseCachePlugin(cache, now, config.connections.map(connectionScope))] : []),
    ],
  });
  await apollo.start();

  const thisMonth = monthOfUtc(new Date());
  const page = graphiqlPage('/graphql', exampleReportQuery(addMonths(thisMonth, -11), thisMonth), { apiKeyHeader: keys.required });

  async function route(req: IncomingMessage, res: ServerResponse, stopped: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return send(res, 200, 'application/json', '{"status":"alive"}');
    if (url.pathname === '/readyz') {
      // Ready without Redis (the in-process tier and the vendors serve), but the details say so.
      const details = { cache: cache ? cache.status() : { redis: 'not configured', memoryBytes: 0, enabled: false } };
      return send(res, ready ? 200 : 503, 'application/json', JSON.stringify({ status: ready ? 'ready' : 'starting', details }));
    }
    if (url.pathname.startsWith('/graphiql/assets/') && config.server.graphiql) {
      const asset = graphiqlAsset(url.pathname.slice('/graphiql/assets/'.length));
      return asset ? send(res, 200, asset.type, asset.body, { 'cache-control': 'public, max-age=86400' }) : send(res, 404, 'text/plain', 'not found');
    }
    // A newcomer types the host alone; browsers ask for a favicon (no icon here, and no 404 in the console).
    if (url.pathname === '/') return send(res, 302, 'text/plain', 'see /graphql', { location: '/graphql' });
    if (url.pathname === '/favicon.ico') return send(res, 204, 'image/x-icon', '', { 'cache-control': 'public, max-age=86400' });
    if (url.pathname === '/metrics' && config.server.metrics) return metrics(req, res);
    const exportHandler = EXPORTS[url.pathname];
    if (exportHandler) return runExport(req, res, url, stopped, exportHandler);
    if (url.pathname !== '/graphql') return send(res, 404, 'text/plain', 'not found: the API is at /graphql');
    const wantsPage = req.method === 'GET' && !url.searchParams.has('query') && !url.searchParams.has('extensions') && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage && config.server.graphiql) return send(res, 200, 'text/html; charset=utf-8', page);
    return graphql(req, res, url, stopped);
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL, stopped: AbortSignal): Promise<void> {
    const principal = await guardRequest(req, res);
    if (!principal) return;
    const tooLarge = () => sendErrors(res, 413, `the request body is larger than ${maxBodyBytes} bytes (server.http.maxBodyBytes)`, 'BAD_REQUEST', { connection: 'close' });
    // Refused from the header, before a byte of the body is read.
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge();
    const text = await readBody(req, maxBodyBytes);
    if (text === TOO_LARGE) return tooLarge();
    if (text === ABORTED) return void logger.info('client went away before sending its whole request', { method: req.method, path: url.pathname });
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ errors: [{ message: 'request body is not valid JSON' }] }));
      }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const prepared = prepareHttpRequest(principal, method, body, url.searchParams, { trusted, maxTokens: limits.maxTokens });
    if (!prepared.ok) return sendRefusal(res, prepared.error, prepared.status);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    const problem = documentProblem(req.method === 'GET' ? url.searchParams.get('query') : (body as { query?: unknown } | undefined)?.query);
    if (problem) return sendErrors(res, 400, problem, 'GRAPHQL_PARSE_FAILED');
    const operation = operationFor(req, res, stopped, principal.name);
    const result = await runInOperation(operation, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: prepared.search, body: prepared.body },
        context: async () => createContext(deps, operation, principal),
      }),
    );
    if (result.body.kind === 'complete' && Buffer.byteLength(result.body.string) > limits.maxResponseBytes) {
      const bytes = Buffer.byteLength(result.body.string);
      operation.logger.warn('response too large', { bytes });
      return sendErrors(res, 200, `the answer is ${bytes} bytes, more than the ${limits.maxResponseBytes} allowed (server.limits.maxResponseBytes); ask for fewer fields, a shorter period or a smaller page`, 'RESPONSE_TOO_LARGE');
    }
    res.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) res.setHeader(key, value);
    if (result.body.kind === 'complete') return void res.end(result.body.string);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /** A data route (/export/*): the caller's principal, an operation scope like GraphQL's, and a context built the same way. */
  async function runExport(req: IncomingMessage, res: ServerResponse, url: URL, stopped: AbortSignal, handler: ExportHandler): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'exports answer GET only', { allow: 'GET, HEAD' });
    const principal = await principalFor(req, res);
    if (!principal) return;
    const operation = operationFor(req, res, stopped, principal.name);
    operation.operationName = `GET ${url.pathname}`;
    const started = Date.now();
    await runInOperation(operation, () => handler({ ctx: createContext(deps, operation, principal), params: url.searchParams, res, connectors: deps.connectors }));
    const outcome = res.statusCode < 400 && res.writableFinished ? 'ok' : 'error';
    recordOperation({ name: operation.operationName, outcome, ms: Date.now() - started });
    operation.logger[outcome === 'ok' ? 'info' : 'warn']('export', { status: res.statusCode, complete: res.writableFinished, ms: Date.now() - started });
  }

  /** GET /metrics: Prometheus text format; behind the API keys when `clients` is set, unless `server.metricsPublic`. */
  async function metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (config.clients && !config.server.metricsPublic && !(await principalFor(req, res))) return;
    send(res, 200, metricsRegistry.contentType, await metricsRegistry.metrics());
  }

  /** The caller of a data route (/export/*, /metrics): the same guard as /graphql (it answers 401/429 itself and returns null). */
  function principalFor(req: IncomingMessage, res: ServerResponse): Promise<Principal | null> {
    return guardRequest(req, res);
  }

  /**
   * A request's operation scope: its vendor-call budget and deadline, and a
   * signal aborted when the client goes away before the answer is sent, when
   * the deadline passes, or when a shutdown's grace period ends.
   */
  function operationFor(req: IncomingMessage, res: ServerResponse, stopped: AbortSignal, client: string): OperationScope {
    const requestId = requestIdFor(req, res);
    const deadlineAt = Date.now() + limits.operationTimeoutMs;
    const budget = new OperationBudget(limits.maxVendorCallsPerOperation, deadlineAt, limits.operationTimeoutMs);
    // One controller, aborted by whichever comes first: the client going away, the deadline, the end of a
    // shutdown's grace period. Listeners and timer go when the response closes (AbortSignal.any and
    // AbortSignal.timeout per request cost Node 20 weak references and GC work on every request).
    const operation = new AbortController();
    const abort = () => operation.abort();
    const deadline = setTimeout(abort, limits.operationTimeoutMs);
    stopped.addEventListener('abort', abort, { once: true });
    res.once('close', () => {
      if (!res.writableFinished) abort();
      clearTimeout(deadline);
      stopped.removeEventListener('abort', abort);
    });
    const { signal } = operation;
    // Every vendor call the operation waits for listens on it: hundreds are normal, not a leak.
    setMaxListeners(0, signal);
    return { requestId, client, logger: logger.child({ requestId, client }), signal, budget, deadlineAt, startedAt: Date.now(), staleAnswers: new StaleAnswers() };
  }

  /** The shutdown, in order; runs once however often close() is called. */
  async function shutdown(): Promise<void> {
    ready = false;
    stopping = true;
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    inFlight.closeConnectionsWhenSent();
    httpServer.closeIdleConnections();
    const left = await inFlight.settle(config.server.shutdownGraceMs);
    if (left > 0) {
      logger.warn('shutdown: aborting requests still running after the grace period', { requests: left, graceMs: config.server.shutdownGraceMs });
      inFlight.abortAll();
    }
    httpServer.closeAllConnections();
    await closed;
    await apollo.stop();
    trusted?.close();
    await connectors.close(left > 0);
    await limiter.close();
    await cache?.close();
  }
  let closing: Promise<void> | null = null;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.server.port, config.server.host, resolve);
  });
  ready = true;
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.server.host}:${port}`,
    close: () => (closing ??= shutdown()),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

function sendErrors(res: ServerResponse, status: number, message: string, code: string, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json', JSON.stringify({ errors: [{ message, extensions: { code } }] }), headers);
}

/** Node's defaults allow a request 300 s and any number of connections; these come from server.http. */
function applyHttpLimits(server: Server, http: Config['server']['http']): void {
  server.headersTimeout = http.headersTimeoutMs;
  server.requestTimeout = http.requestTimeoutMs;
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.maxConnections = http.maxConnections;
}

const TOO_LARGE = Symbol('too large');
const ABORTED = Symbol('aborted');

/** The request body as text; TOO_LARGE past the limit (reading stops there), ABORTED when the client went away mid-body. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | typeof TOO_LARGE | typeof ABORTED> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(TOO_LARGE);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that hangs up mid-body is ordinary: one log line by the caller, no stack.
    req.on('error', () => resolve(ABORTED));
    req.on('close', () => {
      if (!req.complete) resolve(ABORTED);
    });
  });
}
