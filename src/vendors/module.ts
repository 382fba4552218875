import type { z } from 'zod';
import type { ConnectorDeps } from './deps';
import type { SimulatorServer } from './simulator-kit';
import type { UsageUnit, Vendor } from '../model';
import type { VendorConnector } from './types';

/**
 * Everything one vendor brings, exported by its folder's index.ts: adding a vendor
 * is its folder plus one line in registry.ts's list. The config union, demo mode
 * and the benchmark loop over that list.
 */
export interface VendorModule<C extends { name: string; vendor: Vendor } = { name: string; vendor: Vendor }, S extends SimulatorServer = SimulatorServer> {
  vendor: Vendor;
  /** The folder name: key of the vendor's simulator in demo mode and of its golden fixtures. */
  key: string;
  /** The connection's configuration keys (strict), with `vendor` as the discriminator. */
  configSchema: z.ZodType<C, z.ZodTypeDef, unknown>;
  createConnector(config: C, deps: ConnectorDeps): VendorConnector;
  /** The vendor's API on loopback with seeded data. */
  startSimulator(options: { latencyMs?: number; port?: number; until?: Date }): Promise<S & { connectionConfig(name: string): C }>;
  /** Demo mode: the connection's name and, for a vendor that reports no money, the demo's price. */
  demo: { connection: string; rate?: { unit: UsageUnit; price: number; currency: string } };
  /** Golden fixtures of the vendor's documented shapes, relative to the project root. */
  fixtures: string;
}

/** Checks a module's shape where it is defined, keeping its precise config and simulator types. */
export function defineVendor<C extends { name: string; vendor: Vendor }, S extends SimulatorServer>(module: VendorModule<C, S>): VendorModule<C, S> {
  return module;
}
