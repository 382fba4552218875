import { loadConfigFile } from '../config/load';
import type { Config } from '../config/schema';
import { startDemoVendors, type DemoVendors } from '../demo';
import { ConfigError } from '../errors';
import { checkConnections } from './check';
import { checksTable } from './table';

/**
 * `usagegraph doctor [--demo]`: every configuration problem at once, then each
 * connection checked for real with progress on stderr, then the table on stdout.
 * Exit code 0 when every connection works, 1 otherwise. Nothing printed comes from
 * a credential: messages are our own words for the error codes.
 */
export async function runDoctor(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--demo');
  if (unknown.length) {
    process.stderr.write(`usagegraph doctor: unknown option ${unknown[0]} (known: --demo)\n`);
    return 2;
  }
  let demo: DemoVendors | null = null;
  let config: Config;
  try {
    if (args.includes('--demo')) {
      demo = await startDemoVendors({ port: 0 });
      config = demo.config;
    } else {
      const path = process.env.USAGEGRAPH_CONFIG;
      if (!path) throw new ConfigError('USAGEGRAPH_CONFIG is not set: point it at the configuration file to check, or use --demo');
      config = loadConfigFile(path);
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`usagegraph doctor: ${err.message}\n`);
    return 1;
  }
  try {
    process.stderr.write(`checking ${config.connections.length} connection${config.connections.length === 1 ? '' : 's'}${demo ? ' (demo mode)' : ''}\n`);
    const checks = await checkConnections(config, ({ connection, done }) => {
      if (!done) process.stderr.write(`  ${connection}: checking...\n`);
      else process.stderr.write(`  ${connection}: ${done.problem ? 'FAILED' : 'ok'} (${done.ms} ms)\n`);
    });
    process.stdout.write(`${checksTable(checks)}\n`);
    const failed = checks.filter((c) => c.problem !== null);
    process.stdout.write(failed.length ? `\n${failed.length} of ${checks.length} connections failed: ${failed.map((c) => c.connection).join(', ')}\n` : `\nall ${checks.length} connections work\n`);
    return failed.length ? 1 : 0;
  } finally {
    await demo?.close();
  }
}
