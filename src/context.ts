import type { Config } from './config/schema';
import { Freshness } from './freshness';
import { createLoaders, type Loaders } from './loaders';
import type { Logger } from './logger';
import type { OperationScope } from './operation';
import { PartialFailures } from './partial-failures';
import type { StaleAnswers } from './upstream/stale-answers';
import type { Vendor, VendorConnector } from './vendors/types';

/** Who is asking: today every caller sees every connection; API keys narrow it (security issue). */
export interface Principal {
  name: string;
  /** The connections this caller may see. */
  connections: ReadonlySet<string>;
  persistedOnly: boolean;
}

export interface VisibleConnection {
  name: string;
  vendor: Vendor;
}

export interface Context {
  requestId: string;
  principal: Principal;
  /** The connections this caller may see, in configuration order. */
  connections: VisibleConnection[];
  loaders: Loaders;
  /** What the answer was built from; decides whether and how long the response may be cached. */
  freshness: Freshness;
  logger: Logger;
  /** Which connections answered from stale vendor data in this request (absent outside an HTTP operation). */
  staleAnswers?: StaleAnswers;
  /** Connections that failed inside listings that still answer with the others. */
  partialFailures: PartialFailures;
}

/** Long-lived things, made once at start-up and shared by every request. */
export interface AppDeps {
  config: Config;
  connectors: ReadonlyMap<string, VendorConnector>;
  logger: Logger;
  now: () => Date;
}

/** The one place a request's context is built: the operation's request id, principal and fresh loaders. */
export function createContext(deps: AppDeps, operation: OperationScope): Context {
  const { requestId } = operation;
  const principal: Principal = {
    name: 'anonymous',
    connections: new Set(deps.config.connections.map((c) => c.name)),
    persistedOnly: false,
  };
  const freshness = new Freshness(deps.config.cache, deps.now);
  // An answer built on stale vendor data is shown but never kept as a whole response.
  operation.staleAnswers?.onStale(() => freshness.spoil());
  return {
    requestId,
    principal,
    connections: deps.config.connections.filter((c) => principal.connections.has(c.name)).map((c) => ({ name: c.name, vendor: c.vendor })),
    loaders: createLoaders({ connectors: deps.connectors, rates: deps.config.rates, batching: deps.config.upstream.batching, freshness }),
    freshness,
    logger: operation.logger,
    staleAnswers: operation.staleAnswers,
    partialFailures: new PartialFailures(),
  };
}
