import { join } from 'node:path';
import { configSchema, type Config } from '../src/config/schema';
import { silentLogger } from '../src/logger';
import { startServer, type RunningServer } from '../src/server';
import { ChildProcessClient, serveCommands } from './ipc';
import type { VendorCommand } from './vendors-child';

/**
 * The server under test, in its own process (forked by run.ts), so the load
 * generator and the server do not share one event loop and the RSS measured
 * is the server's. The simulators it talks to run in a third process.
 * Driven by IPC messages: start, counts, reset, log, rss, stop.
 */
export type ChildCommand =
  /** `clients`: the configuration's `clients:` (API keys), for the security benchmark. */
  | (Extract<VendorCommand, { cmd: 'start' }> & { clients?: unknown[] })
  | { cmd: 'counts' }
  | { cmd: 'reset' }
  | { cmd: 'log' }
  | { cmd: 'rss' }
  | { cmd: 'stop' };

export type { VendorCounts } from './vendors-child';

const vendors = new ChildProcessClient<VendorCommand>(join(__dirname, 'vendors-child.js'), 'vendors');
let server: RunningServer | null = null;

async function stop(): Promise<void> {
  const running = server;
  server = null;
  await running?.close();
  await vendors.send({ cmd: 'stop' });
}

serveCommands<ChildCommand>(async (command) => {
  switch (command.cmd) {
    case 'start': {
      await stop();
      const { clients, ...start } = command;
      const config = await vendors.send<Config>(start);
      server = await startServer(clients ? configSchema.parse({ ...config, clients }) : config, silentLogger);
      return { url: server.url };
    }
    case 'counts':
    case 'log':
    case 'reset':
      return vendors.send(command);
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
}, async () => {
  await stop();
  await vendors.close();
});
