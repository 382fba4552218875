import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startDemoVendors } from '../src/demo';
import type { VendorCounts } from './child';
import { load, postGraphQL, ServerProcess, type AutocannonResult, type GraphQLBody, type TimedAnswer } from './load';
import { computePlans, lastTwelveMonths, VENDORS, type Plans, type QueryName, type VendorKey } from './minimum';

/**
 * npm run bench: batching, caching and parallel paging against the four
 * simulators with 50 ms per vendor call, side by side with the same server
 * with batching and caching switched off. Prints figures and says plainly
 * which targets are missed; exits non-zero only when it crashes.
 */

const LATENCY_MS = 50;
const CONCURRENCY = 4;
const WARM_CONNECTIONS = 50;
const WARM_SECONDS = 10;
const CONCURRENT_COLD = 20;
const RSS_REQUESTS = 100_000;
/** Each cold query is measured this many times (fresh server each time); the median time is shown. */
const COLD_REPEATS = 3;

type Mode = 'optimised' | 'baseline';
const MODES: Record<Mode, { upstream?: Record<string, unknown>; cache?: Record<string, unknown> }> = {
  optimised: {},
  baseline: { upstream: { batching: false }, cache: { enabled: false } },
};

const operation = (file: string) => readFileSync(join(__dirname, '..', '..', 'operations', file), 'utf8');

function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** A plain text table: first column left-aligned, the rest right-aligned. */
function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MB`;
const sum = (c: VendorCounts) => VENDORS.reduce((s, v) => s + c[v], 0);

/** What a cold answer says about itself: errors, or a report with a failed source. */
function answerProblems(answer: TimedAnswer): string | null {
  if (answer.status !== 200) return `HTTP ${answer.status}`;
  if (answer.body.errors?.length) return `errors: ${answer.body.errors.map((e) => e.message).join('; ')}`;
  const usage = (answer.body.data as { usage?: { incomplete: boolean } } | undefined)?.usage;
  if (usage?.incomplete) return 'report is incomplete (a source failed)';
  return null;
}

interface Cold {
  answer: TimedAnswer;
  counts: VendorCounts;
  /** Median wall time over the repeats. */
  ms: number;
  /** Rounds of vendor calls seen in the simulators' logs (answers more than half a latency apart start a new round). */
  observedRounds: Record<VendorKey, number>;
  /** Whether every repeat made the same vendor requests. */
  stableCounts: boolean;
}

function observedRounds(answeredAt: number[]): number {
  const sorted = [...answeredAt].sort((a, b) => a - b);
  return sorted.reduce((n, t, i) => (i === 0 || t - sorted[i - 1] > LATENCY_MS / 2 ? n + 1 : n), 0);
}

/** A cold query: fresh simulators and a fresh server (empty caches, no token or session), `COLD_REPEATS` times. */
async function coldQuery(server: ServerProcess, mode: Mode, body: GraphQLBody): Promise<Cold> {
  const runs: Array<Omit<Cold, 'ms' | 'stableCounts'>> = [];
  for (let i = 0; i < COLD_REPEATS; i++) {
    const { url } = await server.send<{ url: string }>({ cmd: 'start', overrides: MODES[mode], latencyMs: LATENCY_MS });
    const answer = await postGraphQL(url, body);
    const log = await server.send<Record<VendorKey, number[]>>({ cmd: 'log' });
    const rounds = Object.fromEntries(VENDORS.map((v) => [v, observedRounds(log[v])])) as Record<VendorKey, number>;
    runs.push({ answer, counts: await server.send<VendorCounts>({ cmd: 'counts' }), observedRounds: rounds });
  }
  const times = runs.map((r) => r.answer.ms).sort((a, b) => a - b);
  const median = runs.find((r) => r.answer.ms === times[Math.floor(times.length / 2)])!;
  const stableCounts = runs.every((r) => VENDORS.every((v) => r.counts[v] === runs[0].counts[v]));
  return { ...runs[0], observedRounds: median.observedRounds, ms: median.answer.ms, stableCounts };
}

async function main(): Promise<void> {
  const started = Date.now();
  const { from, to } = lastTwelveMonths(new Date());
  const bodies: Record<QueryName, GraphQLBody> = {
    report: { query: operation('monthly-report.graphql'), variables: { from, to } },
    dashboard: { query: operation('dashboard.graphql'), variables: { from, to } },
  };
  const typename: GraphQLBody = { query: '{ __typename }' };

  progress('computing the minimum from the simulators\' seeded data');
  const seeded = await startDemoVendors({ latencyMs: 0, port: 0 });
  const plans: Plans = computePlans(seeded, from, to, CONCURRENCY);
  await seeded.close();

  const server = new ServerProcess();
  try {
    // "Cold" means empty caches and no vendor session, not an unoptimised V8: one throwaway pass warms the code.
    progress('warming up the server process code (answers discarded)');
    for (const mode of ['optimised', 'baseline'] as const) {
      const { url } = await server.send<{ url: string }>({ cmd: 'start', overrides: MODES[mode], latencyMs: 0 });
      await postGraphQL(url, bodies.report);
      await postGraphQL(url, bodies.dashboard);
    }

    // (a)-(c): each query cold, on a fresh server and fresh simulators, in each mode.
    const cold = {} as Record<QueryName, Record<Mode, Cold>>;
    for (const query of ['report', 'dashboard'] as const) {
      cold[query] = {} as Record<Mode, Cold>;
      for (const mode of ['optimised', 'baseline'] as const) {
        progress(`cold ${query}, ${mode} (${COLD_REPEATS} times)`);
        cold[query][mode] = await coldQuery(server, mode, bodies[query]);
      }
    }

    // (e): 20 identical cold report queries at once, fresh server per mode.
    const burst = {} as Record<Mode, { counts: VendorCounts; ms: number; problems: string[] }>;
    for (const mode of ['optimised', 'baseline'] as const) {
      progress(`${CONCURRENT_COLD} concurrent cold reports, ${mode}`);
      const { url } = await server.send<{ url: string }>({ cmd: 'start', overrides: MODES[mode], latencyMs: LATENCY_MS });
      const t0 = Date.now();
      const answers = await Promise.all(Array.from({ length: CONCURRENT_COLD }, () => postGraphQL(url, bodies.report)));
      const ms = Date.now() - t0;
      burst[mode] = { counts: await server.send<VendorCounts>({ cmd: 'counts' }), ms, problems: answers.map(answerProblems).filter((p): p is string => p !== null) };
    }

    // (d) and (f): warm load on one server per mode; the optimised server's (d) runs are (f)'s warm-up.
    const warm = {} as Record<Mode, { report: AutocannonResult; typename: AutocannonResult }>;
    let rss: { before: { rss: number; heapUsed: number; gc: boolean }; after: { rss: number; heapUsed: number; gc: boolean }; result: AutocannonResult } | null = null;
    for (const mode of ['optimised', 'baseline'] as const) {
      const { url } = await server.send<{ url: string }>({ cmd: 'start', overrides: MODES[mode], latencyMs: LATENCY_MS });
      await postGraphQL(url, bodies.report);
      progress(`warm report load, ${mode} (${WARM_CONNECTIONS} connections, ${WARM_SECONDS} s)`);
      const report = await load(url, bodies.report, { connections: WARM_CONNECTIONS, duration: WARM_SECONDS });
      progress(`{ __typename } load, ${mode} (${WARM_CONNECTIONS} connections, ${WARM_SECONDS} s)`);
      const tn = await load(url, typename, { connections: WARM_CONNECTIONS, duration: WARM_SECONDS });
      warm[mode] = { report, typename: tn };
      if (mode === 'optimised') {
        progress(`${fmt(RSS_REQUESTS)} warm report requests for the RSS figure`);
        const before = await server.send<{ rss: number; heapUsed: number; gc: boolean }>({ cmd: 'rss' });
        const result = await load(url, bodies.report, { connections: WARM_CONNECTIONS, amount: RSS_REQUESTS });
        const after = await server.send<{ rss: number; heapUsed: number; gc: boolean }>({ cmd: 'rss' });
        rss = { before, after, result };
      }
    }
    progress('stopping the server');
    await server.send({ cmd: 'stop' });

    print({ from, to, plans, cold, burst, warm, rss: rss!, seconds: (Date.now() - started) / 1000 });
  } finally {
    await server.close();
  }
}

interface Results {
  from: string;
  to: string;
  plans: Plans;
  cold: Record<QueryName, Record<Mode, Cold>>;
  burst: Record<Mode, { counts: VendorCounts; ms: number; problems: string[] }>;
  warm: Record<Mode, { report: AutocannonResult; typename: AutocannonResult }>;
  rss: { before: { rss: number; heapUsed: number; gc: boolean }; after: { rss: number; heapUsed: number; gc: boolean }; result: AutocannonResult };
  seconds: number;
}

function print(r: Results): void {
  const out: string[] = [];
  const missed: string[] = [];
  const say = (s = '') => out.push(s);
  const verdict = (ok: boolean, what: string, miss: string) => {
    if (!ok) missed.push(`${what}: ${miss}`);
    return ok ? 'met' : `MISSED (${miss})`;
  };
  const label: Record<QueryName, string> = {
    report: `12-month cross-vendor report (operations/monthly-report.graphql, ${r.from}..${r.to})`,
    dashboard: `dashboard, monthly usage of every account and bot (operations/dashboard.graphql, ${r.from}..${r.to})`,
  };

  say('usagegraph benchmark: batching, caching and parallel paging');
  say(`node ${process.version}, ${cpus().length} CPUs, vendor latency ${LATENCY_MS} ms per call, ${CONCURRENCY} vendor calls per connection at once`);
  say('optimised = defaults (batching, shared memory cache, in-flight sharing); baseline = upstream.batching false, cache.enabled false');

  say();
  say('(a)+(b) Vendor requests of one cold query (simulator request logs) against the computed minimum');
  for (const query of ['report', 'dashboard'] as const) {
    const c = r.cold[query];
    say();
    say(`  ${label[query]}`);
    const rows = VENDORS.map((v: VendorKey) => {
      const min = r.plans[query][v].calls;
      const got = c.optimised.counts[v];
      return [v, got, c.baseline.counts[v], min, verdict(got === min, `${query} ${v} requests`, `${got} vs minimum ${min}`), r.plans[query][v].detail];
    });
    const minTotal = VENDORS.reduce((s, v) => s + r.plans[query][v].calls, 0);
    rows.push(['total', sum(c.optimised.counts), sum(c.baseline.counts), minTotal, '', '']);
    say(indent(table(['vendor', 'optimised', 'baseline', 'minimum', 'target = minimum', 'minimum made of'], rows)));
    for (const mode of ['optimised', 'baseline'] as const) {
      const problem = answerProblems(c[mode].answer);
      if (problem) say(`  WARNING: the ${mode} answer was not clean: ${problem}`);
    }
    for (const mode of ['optimised', 'baseline'] as const) {
      if (!c[mode].stableCounts) say(`  WARNING: the ${mode} vendor requests differed between the ${COLD_REPEATS} repeats (first repeat shown)`);
    }
    const same = JSON.stringify(c.optimised.answer.body.data) === JSON.stringify(c.baseline.answer.body.data);
    say(`  optimised and baseline answers identical: ${same ? 'yes' : 'NO'}`);
  }

  say();
  say(`(c) Cold wall time (median of ${COLD_REPEATS}, fresh server each) against the critical path (fewest sequential rounds of ${CONCURRENCY} calls per connection x ${LATENCY_MS} ms; max over connections)`);
  const coldRows = (['report', 'dashboard'] as const).map((query) => {
    const plan = r.plans[query];
    const critical = Math.max(...VENDORS.map((v) => plan[v].rounds)) * LATENCY_MS;
    const opt = r.cold[query].optimised.ms;
    const base = r.cold[query].baseline.ms;
    const ratio = opt / critical;
    return [
      query,
      VENDORS.map((v) => `${v} ${plan[v].rounds}`).join(', '),
      `${fmt(critical)} ms`,
      `${fmt(opt)} ms`,
      `${fmt(base)} ms`,
      `${fmt(ratio, 2)}x`,
      `${fmt(base / critical, 2)}x`,
      verdict(ratio <= 1.2, `${query} cold time`, `${fmt(ratio, 2)}x the critical path`),
    ];
  });
  say(indent(table(['query', 'fewest rounds per connection', 'critical', 'optimised', 'baseline', 'opt/critical', 'base/critical', 'target <= 1.2x'], coldRows)));
  say('  rounds the optimised server really took (from the simulators\' logs of the median run), and the time per round:');
  say(indent(table(['query', 'observed rounds per connection', 'ms per round of the slowest'], (['report', 'dashboard'] as const).map((query) => {
    const seen = r.cold[query].optimised.observedRounds;
    const most = Math.max(...VENDORS.map((v) => seen[v]));
    return [query, VENDORS.map((v) => `${v} ${seen[v]}`).join(', '), `${fmt(r.cold[query].optimised.ms / most)} ms`];
  }))));

  const w = r.warm;
  const ratio = (m: Mode) => w[m].report.requests.average / w[m].typename.requests.average;
  say();
  say(`(d) Warm throughput (autocannon, ${WARM_CONNECTIONS} connections, ${WARM_SECONDS} s each, same server for both operations)`);
  // autocannon reports 0 ms latencies when nothing completed; say so instead.
  const latency = (res: AutocannonResult, p: 'p50' | 'p99') => (res.requests.total === 0 ? 'none completed' : `${fmt(res.latency[p])} ms`);
  const warmRow = (name: string, pick: (m: Mode) => AutocannonResult) => [
    [`${name} requests/s`, ...(['optimised', 'baseline'] as const).map((m) => `${fmt(pick(m).requests.average, 1)} (${fmt(pick(m).requests.total)} in all)`)],
    [`${name} p50 latency`, ...(['optimised', 'baseline'] as const).map((m) => latency(pick(m), 'p50'))],
    [`${name} p99 latency`, ...(['optimised', 'baseline'] as const).map((m) => latency(pick(m), 'p99'))],
    [`${name} errors/timeouts/non-2xx`, ...(['optimised', 'baseline'] as const).map((m) => `${pick(m).errors}/${pick(m).timeouts}/${pick(m).non2xx}`)],
  ];
  say(indent(table(['', 'optimised', 'baseline'], [
    ...warmRow('report', (m) => w[m].report),
    ...warmRow('{ __typename }', (m) => w[m].typename),
    ['report / __typename', `${fmt(ratio('optimised') * 100, 1)} %`, `${fmt(ratio('baseline') * 100, 1)} %`],
  ])));
  say(`  target: warm report throughput >= 40 % of { __typename } (optimised): ${verdict(ratio('optimised') >= 0.4, 'warm throughput', `${fmt(ratio('optimised') * 100, 1)} %`)}`);

  say();
  say(`(e) Vendor requests of ${CONCURRENT_COLD} concurrent identical cold report queries (fresh server per mode)`);
  const burstRows = VENDORS.map((v) => {
    const min = r.plans.report[v].calls;
    const got = r.burst.optimised.counts[v];
    return [v, got, r.burst.baseline.counts[v], min, verdict(got === min, `concurrent ${v} requests`, `${got} vs minimum ${min}`)];
  });
  burstRows.push(['total', sum(r.burst.optimised.counts), sum(r.burst.baseline.counts), VENDORS.reduce((s, v) => s + r.plans.report[v].calls, 0), '']);
  burstRows.push(['wall time', `${fmt(r.burst.optimised.ms)} ms`, `${fmt(r.burst.baseline.ms)} ms`, '', '']);
  say(indent(table(['vendor', 'optimised', 'baseline', 'minimum (one query)', 'target = minimum'], burstRows)));
  for (const mode of ['optimised', 'baseline'] as const) {
    if (r.burst[mode].problems.length) say(`  WARNING: ${r.burst[mode].problems.length} ${mode} answers not clean: ${r.burst[mode].problems[0]}`);
  }

  const { before, after, result } = r.rss;
  const growth = ((after.rss - before.rss) / before.rss) * 100;
  say();
  say(`(f) Server process memory around ${fmt(RSS_REQUESTS)} warm report requests (optimised, after the warm-up of (d); gc ${before.gc ? 'forced before each reading' : 'NOT forced (no --expose-gc), so the figures include garbage'})`);
  say(indent(table(['', 'before', 'after', 'growth'], [
    ['RSS', mb(before.rss), mb(after.rss), `${fmt(growth, 1)} %`],
    ['heap used', mb(before.heapUsed), mb(after.heapUsed), `${fmt(((after.heapUsed - before.heapUsed) / before.heapUsed) * 100, 1)} %`],
  ])));
  say(`  ${fmt(result.requests.total)} requests at ${fmt(result.requests.average)} requests/s, errors/timeouts/non-2xx ${result.errors}/${result.timeouts}/${result.non2xx}`);
  say(`  target: RSS growth < 10 %: ${verdict(growth < 10, 'RSS growth', `${fmt(growth, 1)} %`)}`);

  say();
  say(missed.length === 0 ? 'All targets met.' : `Targets missed (${missed.length}):\n${missed.map((m) => `  - ${m}`).join('\n')}`);
  say(`Benchmark took ${fmt(r.seconds)} s.`);
  process.stdout.write(out.join('\n') + '\n');
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');

main().catch((err) => {
  process.stderr.write(`benchmark crashed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
