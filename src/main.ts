import 'reflect-metadata';
import { loadConfigFile } from './config/load';
import { ConfigError } from './errors';
import { createLogger, logLevelFrom } from './logger';
import { startDemoVendors } from './demo';
import { exampleReportQuery } from './example-query';
import { startServer } from './server';
import { addMonths, monthOfUtc } from './usage/month';

/** Starts the server: with USAGEGRAPH_CONFIG from that file, otherwise in demo mode. */
async function main(): Promise<void> {
  const logger = createLogger(logLevelFrom(process.env.LOG_LEVEL));
  const configPath = process.env.USAGEGRAPH_CONFIG;
  const demo = configPath ? null : await startDemoVendors({ port: portFromEnv(), latencyMs: demoLatencyFromEnv(), faultRoute: process.env.USAGEGRAPH_DEMO_FAULTS === '1' });
  const config = demo ? demo.config : loadConfigFile(configPath!);
  const server = await startServer(config, logger);

  const thisMonth = monthOfUtc(new Date());
  if (demo) {
    logger.info('demo mode: built-in vendor simulators with seeded data on loopback, in-memory cache; set USAGEGRAPH_CONFIG to use real vendors', {
      simulators: Object.values(demo.simulators).map((s) => s.url),
    });
    process.stdout.write(`\nExample query (paste into GraphiQL):\n${exampleReportQuery(addMonths(thisMonth, -11), thisMonth)}\n\n`);
  }
  process.stdout.write(`usagegraph ready: GraphQL API and GraphiQL at ${server.url}/graphql\n`);

  // The one owner of termination signals (Apollo's own handler is off): the first
  // shuts down in order, a second one means "now" and exits at once.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting without finishing the shutdown', { signal });
      process.exit(1);
    }
    stopping = true;
    // close() stops accepting synchronously; the line comes after, so whoever reads it finds the port closed.
    const closed = server.close();
    logger.info('shutting down', { signal, graceMs: config.server.shutdownGraceMs });
    try {
      await closed;
      await demo?.close();
    } catch (err) {
      logger.error('shutdown failed', { error: (err as Error).message });
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** USAGEGRAPH_DEMO_LATENCY_MS adds that much to every simulated vendor answer (to try slow vendors in demo mode). */
function demoLatencyFromEnv(): number {
  const value = process.env.USAGEGRAPH_DEMO_LATENCY_MS;
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value)) throw new ConfigError(`USAGEGRAPH_DEMO_LATENCY_MS must be a whole number of milliseconds, received "${value}"`);
  return Number(value);
}

/** PORT overrides the configured port (demo mode reads it here; config files read it in loadConfigFile). */
function portFromEnv(): number | undefined {
  const port = process.env.PORT;
  if (port === undefined || port === '') return undefined;
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new ConfigError(`PORT must be a port number 0-65535, received "${port}"`);
  return Number(port);
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `the port is already in use (${(err as Error).message})` : `start-up failed: ${(err as Error).message}`;
  process.stderr.write(`usagegraph: ${message}\n`);
  process.exit(1);
});
