import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configSchema } from '../src/config/schema';
import { silentLogger } from '../src/logger';
import { createApiKeys } from '../src/security/api-keys';
import { createRateLimiter } from '../src/security/rate-limit';
import { load, postGraphQL, ServerProcess, type AutocannonResult } from './load';
import { lastTwelveMonths } from './minimum';

/**
 * npm run bench:keys: what API keys cost. Warm report throughput (autocannon,
 * 50 connections) on the same build, same simulators (50 ms per vendor call),
 * without `clients:` (A) and with a client whose key every request carries and
 * which has a rate limit (B). A and B alternate, ROUNDS times, each on a fresh
 * server warmed the same way, so a busy shared machine hits both alike; the
 * medians are compared against the target (B at most 10 % below A). Since a
 * busy machine moves those figures a lot, it also times what a key adds to a
 * request in-process: authentication and the rate-limit count, 100,000 times.
 */
const ROUNDS = 5;
const GUARD_CALLS = 100_000;
const SECONDS = 10;
const CONNECTIONS = 50;
const KEY = 'bench-analyst-key-0123456789abcdef';
const CLIENTS = [{ name: 'analysts', apiKey: KEY, rateLimit: { requests: 10_000_000, perSeconds: 60 } }];

type Mode = 'A: no keys' | 'B: key + rate limit';

async function main(): Promise<void> {
  const { from, to } = lastTwelveMonths(new Date());
  const body = { query: readFileSync(join(__dirname, '..', '..', 'operations', 'monthly-report.graphql'), 'utf8'), variables: { from, to } };
  const server = new ServerProcess();
  const results: Record<Mode, AutocannonResult[]> = { 'A: no keys': [], 'B: key + rate limit': [] };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of Object.keys(results) as Mode[]) {
        const keyed = mode.startsWith('B');
        const headers: Record<string, string> = keyed ? { 'x-api-key': KEY } : {};
        const { url } = await server.send<{ url: string }>({ cmd: 'start', overrides: {}, latencyMs: 50, ...(keyed ? { clients: CLIENTS } : {}) });
        const first = await postGraphQL(url, body, headers);
        if (first.status !== 200 || first.body.errors) throw new Error(`${mode}: the report failed (${first.status} ${JSON.stringify(first.body.errors)})`);
        await load(url, body, { connections: CONNECTIONS, duration: 3, headers }); // JIT and caches warm, same for both
        process.stderr.write(`[bench:keys] round ${round}, ${mode}\n`);
        const result = await load(url, body, { connections: CONNECTIONS, duration: SECONDS, headers });
        if (result.non2xx || result.errors) throw new Error(`${mode}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
        results[mode].push(result);
      }
    }
  } finally {
    await server.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const line = (mode: Mode) => {
    const r = results[mode];
    const rates = r.map((x) => Math.round(x.requests.average));
    return `${mode.padEnd(20)} req/s per round ${rates.join(' / ')}; median ${median(rates)}; p50 ${median(r.map((x) => x.latency.p50))} ms, p99 ${median(r.map((x) => x.latency.p99))} ms`;
  };
  const guardMicros = await guardCost();
  const a = median(results['A: no keys'].map((x) => x.requests.average));
  const b = median(results['B: key + rate limit'].map((x) => x.requests.average));
  const change = ((b - a) / a) * 100;
  process.stdout.write(
    [
      `Warm 12-month report, autocannon ${CONNECTIONS} connections x ${SECONDS} s, ${ROUNDS} alternating rounds (shared machine: figures move between runs)`,
      line('A: no keys'),
      line('B: key + rate limit'),
      `B against A: ${change >= 0 ? '+' : ''}${change.toFixed(1)} % (target: no worse than -10 %): ${change >= -10 ? 'met' : 'MISSED'}`,
      `What a key adds per request, in process (${GUARD_CALLS.toLocaleString('en-US')} calls: SHA-256 + constant-time compare + in-memory rate count): ${guardMicros.toFixed(2)} µs`,
      `  = ${((guardMicros / (1e6 / a)) * 100).toFixed(2)} % of a warm report at A's median rate`,
    ].join('\n') + '\n',
  );
}

/** Microseconds per authenticate + rate-limit count, the work B does and A does not. */
async function guardCost(): Promise<number> {
  const config = configSchema.parse({
    connections: [{ name: 'talkdesk', vendor: 'TALKDESK', baseUrl: 'http://127.0.0.1:1', tokenUrl: 'http://127.0.0.1:1/token', clientId: 'x', clientSecret: 'y' }],
    clients: CLIENTS,
  });
  const keys = createApiKeys(config);
  const limiter = createRateLimiter(config.cache, silentLogger);
  const headers = { 'x-api-key': KEY };
  const started = performance.now();
  for (let i = 0; i < GUARD_CALLS; i++) {
    const principal = keys.authenticate(headers);
    if (!principal?.rateLimit || !(await limiter.take(principal.name, principal.rateLimit)).allowed) throw new Error('the guard refused its own key');
  }
  const micros = ((performance.now() - started) * 1000) / GUARD_CALLS;
  await limiter.close();
  return micros;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:keys failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
