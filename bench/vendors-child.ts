import { startDemoVendors, type DemoOptions, type DemoVendors } from '../src/demo';
import { serveCommands } from './ipc';

/**
 * The four vendor simulators in a process of their own, as real vendors are
 * remote: their CPU time does not slow the server under test. Counts and
 * request times are read from their logs over IPC.
 */
export type VendorCommand =
  | { cmd: 'start'; overrides: DemoOptions['overrides']; latencyMs: number }
  | { cmd: 'counts' }
  | { cmd: 'log' }
  | { cmd: 'reset' }
  | { cmd: 'stop' };

export type VendorCounts = Record<keyof DemoVendors['simulators'], number>;

let vendors: DemoVendors | null = null;

async function stop(): Promise<void> {
  const running = vendors;
  vendors = null;
  await running?.close();
}

function simulators() {
  if (!vendors) throw new Error('no simulators started');
  return vendors.simulators;
}

serveCommands<VendorCommand>(async (command) => {
  switch (command.cmd) {
    case 'start':
      await stop();
      vendors = await startDemoVendors({ latencyMs: command.latencyMs, port: 0, overrides: command.overrides });
      return vendors.config;
    case 'counts':
      return Object.fromEntries(Object.entries(simulators()).map(([key, sim]) => [key, sim.count()])) as VendorCounts;
    case 'log':
      // When each vendor call was answered (ms since the epoch), to see the rounds the calls really took.
      return Object.fromEntries(Object.entries(simulators()).map(([name, sim]) => [name, sim.requests.map((r) => r.at)]));
    case 'reset':
      for (const sim of Object.values(simulators())) sim.resetLog();
      return null;
    case 'stop':
      await stop();
      return null;
  }
}, stop);
