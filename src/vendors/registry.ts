import { Agent } from 'undici';
import type { Config, ConnectionConfig } from '../config/schema';
import type { Logger } from '../logger';
import { connectionScope, type SharedCache } from '../upstream/cache';
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
export function createConnectors(config: Config, logger: Logger, cache: SharedCache | null, now: () => Date = () => new Date()): Connectors {
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
      ...(cache ? { cache: { shared: cache, scope: connectionScope(connection), policy: config.cache } } : {}),
    };
    byName.set(connection.name, createConnector(connection, deps));
  }
  return { byName, close: async (abort = false) => void (await Promise.all(agents.map((a) => (abort ? a.destroy() : a.close())))) };
}

function createConnector(connection: ConnectionConfig, deps: ConnectorDeps): VendorConnector {
  const module = VENDOR_MODULES.find((m) => m.vendor === connection.vendor) as VendorModule<ConnectionConfig> | undefined;
  if (!module) throw new Error(`no vendor module for ${connection.vendor}`);
  return module.createConnector(connection, deps);
}
