import { configSchema, type Config } from './config/schema';
import { VENDOR_MODULES } from './vendors/registry';
import type { SimulatorServer } from './vendors/simulator-kit';

/** The demo's simulators by vendor folder name (`koreai`, `cognigy`, `evovoice`, `talkdesk`). */
export type DemoSimulators = Record<(typeof VENDOR_MODULES)[number]['key'], SimulatorServer>;

export interface DemoVendors {
  config: Config;
  simulators: DemoSimulators;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Added to every simulated vendor answer (the benchmark uses 50 ms). */
  latencyMs?: number;
  port?: number;
  /** The simulators' "today": data up to this instant (default now); tests move it to show the history holds still. */
  until?: Date;
  /** Extra configuration merged over the demo's (e.g. cache or upstream switches). */
  overrides?: Partial<Record<'server' | 'cache' | 'upstream', Record<string, unknown>>>;
  /** Opens each simulator's loopback-only POST/DELETE /__faults route (USAGEGRAPH_DEMO_FAULTS=1); off by default. */
  faultRoute?: boolean;
}

/**
 * Demo mode: every vendor module's simulator on loopback (ephemeral ports) with
 * seeded data for 2025 and 2026-to-date, and a configuration pointing at them,
 * with each module's demo connection name and rate.
 */
export async function startDemoVendors(options: DemoOptions = {}): Promise<DemoVendors> {
  const latencyMs = options.latencyMs ?? 0;
  const started = await Promise.all(VENDOR_MODULES.map(async (m) => ({ module: m, sim: await m.startSimulator({ latencyMs, until: options.until }) })));
  if (options.faultRoute) for (const { sim } of started) sim.enableFaultRoute();
  const config = configSchema.parse({
    server: { port: options.port ?? 4000, ...options.overrides?.server },
    cache: { ...options.overrides?.cache },
    upstream: { ...options.overrides?.upstream },
    connections: started.map(({ module, sim }) => sim.connectionConfig(module.demo.connection)),
    rates: started.flatMap(({ module }) => (module.demo.rate ? [{ vendor: module.vendor, ...module.demo.rate }] : [])),
  });
  return {
    config,
    simulators: Object.fromEntries(started.map(({ module, sim }) => [module.key, sim])) as DemoSimulators,
    close: async () => void (await Promise.all(started.map(({ sim }) => sim.close()))),
  };
}
