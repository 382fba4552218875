import type { Dispatcher } from 'undici';
import type { UpstreamConfig } from '../config/schema';
import type { Logger } from '../logger';
import { UpstreamHttp, type ConnectionCache } from '../upstream/http';
import type { Vendor } from '../model';
import type { UpstreamObserver } from '../upstream/observer';

/** What a connector is given at start-up; long-lived, shared by every request. */
export interface ConnectorDeps {
  /** The undici dispatcher (connection pool) of this connection. */
  dispatcher: Dispatcher;
  logger: Logger;
  upstream: UpstreamConfig;
  /** The clock; tests and the TTL policy read time only through it. */
  now: () => Date;
  /** The shared vendor-answer cache for this connection; absent when caching is off. */
  cache?: ConnectionCache;
  /** Receives every upstream event (logs, metrics); silent when absent. */
  observer?: UpstreamObserver;
}

/** The connection's HTTP client, set up the same way for every vendor from its deps. */
export function upstreamHttpFor(
  vendor: Vendor,
  connection: string,
  deps: ConnectorDeps,
  vendorErrorCode: (body: unknown) => string | undefined,
): UpstreamHttp {
  return new UpstreamHttp({
    vendor,
    connection,
    dispatcher: deps.dispatcher,
    logger: deps.logger,
    observer: deps.observer,
    ...deps.upstream,
    cache: deps.cache,
    now: deps.now,
    vendorErrorCode,
  });
}
