import { startDemoVendors, type DemoVendors, type DemoOptions } from '../src/demo';
import { silentLogger } from '../src/logger';
import { startServer, type RunningServer } from '../src/server';

/**
 * The server under test, in its own process (forked by run.ts), so the load
 * generator and the server do not share one event loop and the RSS measured
 * is the server's. Driven by IPC messages: start, counts, reset, rss, stop.
 */

export type ChildCommand =
  | { cmd: 'start'; overrides: DemoOptions['overrides']; latencyMs: number }
  | { cmd: 'counts' }
  | { cmd: 'reset' }
  | { cmd: 'log' }
  | { cmd: 'rss' }
  | { cmd: 'stop' };

export type VendorCounts = Record<'koreai' | 'cognigy' | 'evovoice' | 'talkdesk', number>;

let running: { vendors: DemoVendors; server: RunningServer } | null = null;

async function stop(): Promise<void> {
  if (!running) return;
  const { vendors, server } = running;
  running = null;
  await server.close();
  await vendors.close();
}

async function handle(message: ChildCommand): Promise<unknown> {
  switch (message.cmd) {
    case 'start': {
      await stop();
      const vendors = await startDemoVendors({ latencyMs: message.latencyMs, port: 0, overrides: message.overrides });
      const server = await startServer(vendors.config, silentLogger);
      running = { vendors, server };
      return { url: server.url };
    }
    case 'counts': {
      const s = required().vendors.simulators;
      return { koreai: s.koreai.count(), cognigy: s.cognigy.count(), evovoice: s.evovoice.count(), talkdesk: s.talkdesk.count() } satisfies VendorCounts;
    }
    case 'log': {
      // When each vendor call was answered (ms since the epoch), to see the rounds the calls really took.
      const s = required().vendors.simulators;
      return Object.fromEntries(Object.entries(s).map(([name, sim]) => [name, sim.requests.map((r) => r.at)]));
    }
    case 'reset': {
      for (const sim of Object.values(required().vendors.simulators)) sim.resetLog();
      return null;
    }
    case 'rss': {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) for (let i = 0; i < 3; i++) gc();
      const m = process.memoryUsage();
      return { rss: m.rss, heapUsed: m.heapUsed, gc: gc !== undefined };
    }
    case 'stop':
      await stop();
      return null;
  }
}

function required(): { vendors: DemoVendors; server: RunningServer } {
  if (!running) throw new Error('no server started');
  return running;
}

process.on('message', (msg: { id: number; command: ChildCommand }) => {
  handle(msg.command).then(
    (result) => process.send?.({ id: msg.id, result }),
    (err: Error) => process.send?.({ id: msg.id, error: err.stack ?? err.message }),
  );
});
process.on('disconnect', () => {
  void stop().finally(() => process.exit(0));
});
