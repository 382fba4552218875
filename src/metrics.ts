import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamObserver } from './upstream/observer';

/**
 * The Prometheus metrics, defined once per process, and the small functions the
 * code that sees each event calls (vendor calls, cache reads, in-flight sharing,
 * operations). Labels are closed sets or configured names (connection, vendor,
 * cache, a sanitised operation name): never ids, keys, tokens or URLs, so
 * cardinality stays bounded and nothing secret reaches a scrape.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const vendorRequests = new Counter({
  name: 'usagegraph_vendor_requests_total',
  help: 'Vendor HTTP requests that went out, by connection, vendor, outcome (ok, error, timeout, aborted, unreachable, too-large, budget) and status class.',
  labelNames: ['connection', 'vendor', 'outcome', 'status_class'] as const,
  registers: [metricsRegistry],
});
const vendorSeconds = new Histogram({
  name: 'usagegraph_vendor_request_duration_seconds',
  help: 'Latency of vendor HTTP requests (one attempt, body read).',
  labelNames: ['connection', 'vendor', 'outcome'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});
const cacheReads = new Counter({
  name: 'usagegraph_cache_reads_total',
  help: 'Cache reads by cache (vendor_answers, responses, other) and result (hit, miss, stale, error).',
  labelNames: ['cache', 'result'] as const,
  registers: [metricsRegistry],
});
const inFlightJoins = new Counter({
  name: 'usagegraph_inflight_joins_total',
  help: 'Vendor requests answered by joining an identical request already in flight (no call of their own).',
  registers: [metricsRegistry],
});
const operations = new Counter({
  name: 'usagegraph_operations_total',
  help: 'GraphQL operations and exports by name and outcome (ok, error).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});
const operationSeconds = new Histogram({
  name: 'usagegraph_operation_duration_seconds',
  help: 'Duration of GraphQL operations and exports by name and outcome.',
  labelNames: ['operation', 'outcome'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

const breakerChanges = new Counter({
  name: 'usagegraph_circuit_breaker_transitions_total',
  help: 'Circuit-breaker state changes per connection (open, half-open, closed).',
  labelNames: ['connection', 'state'] as const,
  registers: [metricsRegistry],
});
const staleAnswers = new Counter({
  name: 'usagegraph_stale_answers_total',
  help: 'Expired vendor answers served because the vendor failed (stale-if-error), per connection.',
  labelNames: ['connection'] as const,
  registers: [metricsRegistry],
});

/**
 * The upstream layers' events (src/upstream/observer.ts) as metrics. A vendor
 * answer counts as `ok` only with a 2xx status; any other answer is `error`,
 * and calls without one are named by why (timeout, aborted, unreachable, too-large, budget).
 */
export const metricsObserver: UpstreamObserver = {
  report(event) {
    switch (event.kind) {
      case 'vendor-request': {
        const outcome = event.outcome === 'ok' && event.statusClass !== '2xx' ? 'error' : event.outcome;
        vendorRequests.inc({ connection: event.connection, vendor: event.vendor, outcome, status_class: event.statusClass });
        vendorSeconds.observe({ connection: event.connection, vendor: event.vendor, outcome }, event.latencyMs / 1000);
        return;
      }
      case 'cache':
        return void cacheReads.inc({ cache: event.cache, result: event.result });
      case 'in-flight-join':
        return void inFlightJoins.inc();
      case 'breaker':
        return void breakerChanges.inc({ connection: event.connection, state: event.state });
      case 'stale-served':
        return void staleAnswers.inc({ connection: event.connection });
      case 'retry':
        return;
    }
  },
};

/** Distinct operation names kept as labels; clients choose names, so beyond this they count as "other". */
const MAX_OPERATION_NAMES = 200;
const seenOperations = new Set<string>();

export function recordOperation(op: { name: string | null; outcome: 'ok' | 'error'; ms: number }): void {
  const operation = operationLabel(op.name);
  operations.inc({ operation, outcome: op.outcome });
  operationSeconds.observe({ operation, outcome: op.outcome }, op.ms / 1000);
}

/** A client-chosen name as a label: GraphQL-name characters only, a bounded set, "anonymous" when absent. */
export function operationLabel(name: string | null): string {
  if (!name) return 'anonymous';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) && !/^GET \/export\/[a-z]+\.csv$/.test(name)) return 'other';
  if (!seenOperations.has(name)) {
    if (seenOperations.size >= MAX_OPERATION_NAMES) return 'other';
    seenOperations.add(name);
  }
  return name;
}
