import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from './config/schema';
import { createContext, type AppDeps, type Context } from './context';
import { exampleReportQuery } from './example-query';
import { graphiqlAsset, graphiqlPage } from './graphiql/page';
import type { Logger } from './logger';
import { runInOperation, type OperationScope } from './operation';
import { createErrorFormatter } from './plugins/error-masking';
import { createPartialFailuresPlugin } from './plugins/partial-failures';
import { createRequestLogPlugin } from './plugins/request-log';
import { createResponseCachePlugin } from './plugins/response-cache';
import { addMonths, monthOfUtc } from './usage/month';
import { connectionScope, createSharedCache } from './upstream/cache';
import { combineObservers, createLogObserver, type UpstreamObserver } from './upstream/observer';
import { StaleAnswers } from './upstream/stale-answers';
import { createConnectors } from './vendors/registry';
import { usageSchema } from '../schema/build';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, closes vendor pools. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Builds the app from a validated Config and starts listening. */
export async function startServer(config: Config, logger: Logger, options: { observer?: UpstreamObserver } = {}): Promise<RunningServer> {
  // One observer for every upstream layer: the log, and whoever else listens (metrics, the soak benchmark).
  const observer = options.observer ? combineObservers(createLogObserver(logger), options.observer) : createLogObserver(logger);
  // Redis is connected here, before the first request, so no request pays for the connection set-up.
  const cache = config.cache.enabled ? await createSharedCache(config.cache, { logger, observer }) : null;
  const now = () => new Date();
  const connectors = createConnectors(config, logger, cache, now, observer);
  const deps: AppDeps = { config, connectors: connectors.byName, logger, now };
  let ready = false;
  const httpServer: Server = createServer((req, res) => {
    route(req, res).catch((err) => {
      logger.error('request failed', { error: (err as Error).stack });
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ errors: [{ message: 'Internal server error' }] }));
    });
  });
  const apollo = new ApolloServer<Context>({
    schema: usageSchema(),
    introspection: config.server.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      createRequestLogPlugin(logger),
      // Before the response cache: an answer with a failed connection in a listing is not kept.
      createPartialFailuresPlugin(),
      ...(cache ? [createResponseCachePlugin(cache, now, config.connections.map(connectionScope))] : []),
    ],
  });
  await apollo.start();

  const thisMonth = monthOfUtc(new Date());
  const page = graphiqlPage('/graphql', exampleReportQuery(addMonths(thisMonth, -11), thisMonth));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    if (url.pathname !== '/graphql') return send(res, 404, 'text/plain', 'not found: the API is at /graphql');
    const wantsPage = req.method === 'GET' && !url.searchParams.has('query') && !url.searchParams.has('extensions') && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage && config.server.graphiql) return send(res, 200, 'text/html; charset=utf-8', page);
    return graphql(req, res, url);
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const text = await readBody(req);
    if (text === null) return send(res, 413, 'application/json', JSON.stringify({ errors: [{ message: `request body is larger than ${MAX_BODY_BYTES} bytes` }] }));
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ errors: [{ message: 'request body is not valid JSON' }] }));
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    const operation = operationFor(res);
    const result = await runInOperation(operation, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
        context: async () => createContext(deps, operation),
      }),
    );
    res.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) res.setHeader(key, value);
    if (result.body.kind === 'complete') return void res.end(result.body.string);
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /** A request's operation scope; its signal is aborted when the client goes away before the answer is sent. */
  function operationFor(res: ServerResponse): OperationScope {
    const requestId = randomUUID();
    const abandoned = new AbortController();
    // Every vendor call the operation waits for listens on it: hundreds are normal, not a leak.
    setMaxListeners(0, abandoned.signal);
    res.once('close', () => {
      if (!res.writableFinished) abandoned.abort();
    });
    return { requestId, client: 'anonymous', logger: logger.child({ requestId }), signal: abandoned.signal, startedAt: Date.now(), staleAnswers: new StaleAnswers() };
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.server.port, config.server.host, resolve);
  });
  ready = true;
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.server.host}:${port}`,
    async close() {
      ready = false;
      await apollo.stop();
      await connectors.close();
      await cache?.close();
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

/** The request body as text, or null when it exceeds the limit. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
