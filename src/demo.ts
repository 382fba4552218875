import { configSchema, type Config } from './config/schema';
import { startCognigySimulator } from './vendors/cognigy/simulator';
import { startEvovoiceSimulator } from './vendors/evovoice/simulator';
import { startKoreAiSimulator } from './vendors/koreai/simulator';
import { startTalkdeskSimulator } from './vendors/talkdesk/simulator';
import type { SimulatorServer } from './vendors/simulator-kit';

export interface DemoVendors {
  config: Config;
  simulators: { koreai: SimulatorServer; cognigy: SimulatorServer; evovoice: SimulatorServer; talkdesk: SimulatorServer };
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Added to every simulated vendor answer (the benchmark uses 50 ms). */
  latencyMs?: number;
  port?: number;
  /** Extra configuration merged over the demo's (e.g. cache or upstream switches). */
  overrides?: Partial<Record<'server' | 'cache' | 'upstream', Record<string, unknown>>>;
  /** Opens each simulator's loopback-only POST/DELETE /__faults route (USAGEGRAPH_DEMO_FAULTS=1); off by default. */
  faultRoute?: boolean;
}

/**
 * Demo mode: the four vendor simulators on loopback (ephemeral ports) with
 * seeded data for 2025 and 2026-to-date, and a configuration pointing at them.
 */
export async function startDemoVendors(options: DemoOptions = {}): Promise<DemoVendors> {
  const latencyMs = options.latencyMs ?? 0;
  const [koreai, cognigy, evovoice, talkdesk] = await Promise.all([
    startKoreAiSimulator({ latencyMs }),
    startCognigySimulator({ latencyMs }),
    startEvovoiceSimulator({ latencyMs }),
    startTalkdeskSimulator({ latencyMs }),
  ]);
  if (options.faultRoute) for (const sim of [koreai, cognigy, evovoice, talkdesk]) sim.enableFaultRoute();
  const config = configSchema.parse({
    server: { port: options.port ?? 4000, ...options.overrides?.server },
    cache: { ...options.overrides?.cache },
    upstream: { ...options.overrides?.upstream },
    connections: [
      koreai.connectionConfig('kore-demo'),
      cognigy.connectionConfig('cognigy-demo'),
      evovoice.connectionConfig('evo-demo'),
      talkdesk.connectionConfig('talkdesk-demo'),
    ],
    rates: [
      { vendor: 'KORE_AI', unit: 'SESSIONS', price: 0.05, currency: 'USD' },
      { vendor: 'EVOVOICE', unit: 'MINUTES', price: 0.02, currency: 'USD' },
    ],
  });
  return {
    config,
    simulators: { koreai, cognigy, evovoice, talkdesk },
    close: async () => void (await Promise.all([koreai, cognigy, evovoice, talkdesk].map((s) => s.close()))),
  };
}
