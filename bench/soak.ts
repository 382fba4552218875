import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { startDemoVendors } from '../src/demo';
import { silentLogger } from '../src/logger';
import { startServer } from '../src/server';
import type { UpstreamEvent } from '../src/upstream/observer';

/**
 * npm run bench:soak: SOAK_SECONDS (default 300) of mixed queries from 50
 * concurrent clients against the demo simulators, which answer 10% of calls
 * with 503 and leave 1% hanging. Short cache TTLs keep the vendors asked all
 * along. Prints our 5xx count (target 0), unhandled rejections (0), p99,
 * answers served STALE, breaker openings, and RSS growth after warm-up
 * (target < 10%). Server, simulators and clients share this one process.
 */

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const CLIENTS = 50;
const WARM_UP_SECONDS = Math.min(60, Math.round(SECONDS / 5));

const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'];
const GROUPINGS = ['[VENDOR, UNIT]', '[MONTH, VENDOR]', '[CONNECTION, UNIT, CURRENCY]'];

/** A random question: a usage report over a random span, or one of the listings. */
function randomQuery(): string {
  const roll = Math.random();
  if (roll < 0.1) return '{ organisations(first: 50) { totalCount edges { node { name accounts(first: 5) { totalCount } } } } }';
  if (roll < 0.15) return '{ connections { name organisations { name } } }';
  const a = Math.floor(Math.random() * MONTHS.length);
  const b = Math.min(MONTHS.length - 1, a + Math.floor(Math.random() * 4));
  const groupBy = GROUPINGS[Math.floor(Math.random() * GROUPINGS.length)];
  return `{ usage(filter: { from: "${MONTHS[a]}", to: "${MONTHS[b]}" }, groupBy: ${groupBy}) { rows { quantity amount } incomplete sources { state } } }`;
}

/** RSS after full collections when the process runs with --expose-gc (npm run bench:soak does), so growth is not GC timing. */
function rss(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  let unhandled = 0;
  process.on('unhandledRejection', () => void (unhandled += 1));
  const events = { breakerOpen: 0, staleServed: 0, vendorRequests: 0, retries: 0 };
  const observer = {
    report(event: UpstreamEvent) {
      if (event.kind === 'breaker' && event.state === 'open') events.breakerOpen += 1;
      if (event.kind === 'stale-served') events.staleServed += 1;
      if (event.kind === 'vendor-request') events.vendorRequests += 1;
      if (event.kind === 'retry') events.retries += 1;
    },
  };
  const vendors = await startDemoVendors({
    port: 0,
    latencyMs: 20,
    overrides: { cache: { openTtlSeconds: 5, settledTtlSeconds: 10, listingTtlSeconds: 10 } },
  });
  for (const sim of Object.values(vendors.simulators)) {
    sim.inject({ status: 503, probability: 0.1, times: Infinity });
    sim.inject({ hang: true, probability: 0.01 / 0.9, times: Infinity });
  }
  const server = await startServer(vendors.config, silentLogger, { observer });
  const dispatcher = new Agent({ connections: CLIENTS });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let staleSources = 0;
  let failedSources = 0;
  const clientErrors = new Map<string, number>();
  let warmRss = 0;
  let warmCacheBytes = 0;
  const cacheBytes = async () => {
    const res = await request(`${server.url}/readyz`, { dispatcher });
    return ((await res.body.json()) as { details: { cache: { memoryBytes: number } } }).details.cache.memoryBytes;
  };
  const started = Date.now();
  const endAt = started + SECONDS * 1000;
  const warmTimer = setTimeout(async () => {
    warmRss = rss();
    warmCacheBytes = await cacheBytes();
    process.stderr.write(`[soak] warm-up over after ${WARM_UP_SECONDS} s, RSS ${(warmRss / 1048576).toFixed(1)} MB\n`);
  }, WARM_UP_SECONDS * 1000);
  const progress = setInterval(() => process.stderr.write(`[soak] ${Math.round((Date.now() - started) / 1000)} s, ${latencies.length} answers\n`), 30000);

  const client = async () => {
    while (Date.now() < endAt) {
      const t = performance.now();
      try {
        const res = await request(`${server.url}/graphql`, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: randomQuery() }),
        });
        const text = await res.body.text();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const states = text.match(/"state":"(STALE|FAILED)"/g) ?? [];
        staleSources += states.filter((s) => s.includes('STALE')).length;
        failedSources += states.filter((s) => s.includes('FAILED')).length;
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as Error).name;
        clientErrors.set(code, (clientErrors.get(code) ?? 0) + 1);
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  clearTimeout(warmTimer);
  clearInterval(progress);
  const endRss = rss();
  const endCacheBytes = await cacheBytes();
  latencies.sort((a, b) => a - b);
  const fiveHundreds = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const growth = warmRss > 0 ? ((endRss - warmRss) / warmRss) * 100 : NaN;
  const lines = [
    `soak: ${SECONDS} s, ${CLIENTS} clients, vendors answering 10% 503 and leaving 1% hanging`,
    `answers: ${latencies.length} (${(latencies.length / SECONDS).toFixed(1)}/s), statuses ${JSON.stringify(Object.fromEntries(statuses))}, client errors ${JSON.stringify(Object.fromEntries(clientErrors))}`,
    `our 5xx: ${fiveHundreds} (target 0)`,
    `unhandled rejections: ${unhandled} (target 0)`,
    `latency: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${percentile(latencies, 100).toFixed(0)} ms`,
    `sources in answers: ${staleSources} STALE, ${failedSources} FAILED; vendor answers served stale: ${events.staleServed}`,
    `vendor requests: ${events.vendorRequests}, retries: ${events.retries}, breaker openings: ${events.breakerOpen}`,
    `RSS: ${(warmRss / 1048576).toFixed(1)} MB after warm-up, ${(endRss / 1048576).toFixed(1)} MB at the end, growth ${growth.toFixed(1)}% (target < 10%); in-process cache tier ${(warmCacheBytes / 1048576).toFixed(1)} MB -> ${(endCacheBytes / 1048576).toFixed(1)} MB (bound ${(vendors.config.cache.maxBytes / 1048576).toFixed(0)} MB)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  await dispatcher.close();
  await server.close();
  await vendors.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
