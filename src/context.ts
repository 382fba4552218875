import type { Config, LimitsConfig, RateConfig } from './config/schema';
import { Freshness } from './freshness';
import { createLoaders, type Loaders } from './loaders';
import type { Logger } from './logger';
import type { OperationScope } from './operation';
import type { Vendor } from './model';
import { PartialFailures } from './partial-failures';
import type { StaleAnswers } from './upstream/stale-answers';
import type { VendorConnector } from './vendors/types';

/** Who is asking: the client an API key belongs to (src/security/api-keys.ts), or `anonymous` when no keys are configured. */
export interface Principal {
  name: string;
  /** The connections this caller may see; every other connection does not exist for it. */
  connections: ReadonlySet<string>;
  /** May run only documents from the trusted-document manifest. */
  persistedOnly: boolean;
  /** Requests per window, counted per client name; null for no limit. */
  rateLimit?: { requests: number; perSeconds: number } | null;
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
  /** The configured rate card (`rates:`), for doors that say how a record was priced (FOCUS). */
  rates: readonly RateConfig[];
  /** The clock (month in progress, projections); tests inject it through AppDeps. */
  now: () => Date;
  /** The per-operation limits (spans, id lists) use cases check arguments against. */
  limits: LimitsConfig;
  /** Epoch ms after which a use case answers with what it has; null when the operation has no deadline. */
  deadlineAt: number | null;
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

/**
 * The one place a request's context is built: the operation's request id and
 * logger, the principal the guard resolved from the request, the connections
 * it may see (everything below reads only these) and fresh loaders.
 */
export function createContext(deps: AppDeps, operation: OperationScope, principal: Principal): Context {
  const { requestId } = operation;
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
    rates: deps.config.rates,
    now: deps.now,
    limits: deps.config.server.limits,
    deadlineAt: operation.deadlineAt ?? null,
    staleAnswers: operation.staleAnswers,
    partialFailures: new PartialFailures(),
  };
}
