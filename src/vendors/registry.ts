import { Agent } from 'undici';
import type { Config, ConnectionConfig } from '../config/schema';
import type { Logger } from '../logger';
import { connectionScope, type SharedCache } from '../upstream/cache';
import type { UpstreamObserver } from '../upstream/observer';
import { cognigy } from './cognigy';
import type { ConnectorDeps } from './deps';
import { evovoice } from './evovoice';
import { koreAi } from './koreai';
import type { VendorModule } from './module';
import { talkdesk } from './talkdesk';
import type { VendorConnector } from './types';

/** The one list of vendor modules: the config union, connectors, demo mode and the benchmark loop over it. */
export const VENDOR_MODULES = [koreAi, cognigy, evovoice, talkdesk] as const;

export interface Connectors {
  byName: ReadonlyMap<string, VendorConnector>;
  /** Closes every connection pool; `abort` ends calls still in flight instead of waiting for them (shutdown past its grace period). */
  close(abort?: boolean): Promise<void>;
}

/**
 * Builds one connector per configured connection, each with its own undici
 * pool and, when caching is on, its own scope in the shared cache.
 */
export function createConnectors(
  config: Config,
  logger: Logger,
  cache: SharedCache | null,
  now: () => Date = () => new Date(),
  observer?: UpstreamObserver,
): Connectors {
  const agents: Agent[] = [];
  const byName = new Map<string, VendorConnector>();
  for (const connection of config.connections) {
    const dispatcher = new Agent({ connections: config.upstream.concurrency + 2, keepAliveTimeout: 10_000 });
    agents.push(dispatcher);
    const deps: ConnectorDeps = {
      dispatcher,
      logger: logger.child({ connection: connection.name }),
      upstream: config.upstream,
      now,
      observer,
      ...(cache ? { cache: { shared: cache, scope: connectionScope(connection), policy: config.cache, staleMaxAgeSeconds: config.cache.staleMaxAgeSeconds } } : {}),
    };
    byName.set(connection.name, createConnector(connection, deps));
  }
  return { byName, close: async (abort = false) => void (await Promise.all(agents.map((a) => (abort ? a.destroy() : closeWithin(a, 1000))))) };
}

/**
 * Closes a pool politely, then drops what is still open: a call left running
 * after its request answered (a hung vendor warming the cache) must not hold
 * shutdown for its whole timeout.
 */
async function closeWithin(agent: Agent, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([agent.close().then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
  clearTimeout(timer);
  if (!closed) await agent.destroy().catch(() => undefined);
}

function createConnector(connection: ConnectionConfig, deps: ConnectorDeps): VendorConnector {
  const module = VENDOR_MODULES.find((m) => m.vendor === connection.vendor) as VendorModule<ConnectionConfig> | undefined;
  if (!module) throw new Error(`no vendor module for ${connection.vendor}`);
  return module.createConnector(connection, deps);
}
