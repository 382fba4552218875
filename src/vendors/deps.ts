import type { Dispatcher } from 'undici';
import type { UpstreamConfig } from '../config/schema';
import type { Logger } from '../logger';
import type { ConnectionCache } from '../upstream/http';

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
}
