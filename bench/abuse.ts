import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { encodeId } from '../src/ids';
import type { VendorCounts } from './child';
import { load, postGraphQL, ServerProcess, type AutocannonResult, type GraphQLBody } from './load';
import { lastTwelveMonths, VENDORS } from './minimum';

/**
 * npm run bench:abuse: one abusive client against a server that 20 connections
 * use for the warm monthly report. Prints the report's p99 before and during
 * the abuse, /healthz's worst latency, the vendor calls each abusive shape
 * causes (against the per-operation budget) and the server's RSS. Figures,
 * not a test: it exits non-zero only when it crashes.
 */

const LATENCY_MS = 50;
const WARM_CONNECTIONS = 20;
const BEFORE_SECONDS = 10;
const ABUSE_SECONDS = 30;
const HEALTH_EVERY_MS = 25;
const BUDGET = 200;

const operation = (file: string) => readFileSync(join(__dirname, '..', '..', 'operations', file), 'utf8');
const progress = (line: string) => process.stderr.write(`[bench:abuse] ${line}\n`);
const sum = (c: VendorCounts) => VENDORS.reduce((s, v) => s + c[v], 0);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The abusive shapes of issue 8, each one operation. */
function abusiveShapes(botId: string): Record<string, GraphQLBody> {
  const flood = Array.from({ length: 100 }, (_, i) => `a${i}: usage(filter: { from: "${1900 + i * 3}-01", to: "${1902 + i * 3}-12" }) { incomplete }`);
  const same = Array.from({ length: 500 }, (_, i) => `s${i}: usage(filter: { from: "2025-01", to: "2025-12" }) { totals { unit quantity } }`);
  const nested = (inner: string) => `accounts(first: 500) { edges { node { id name organisation { id name ${inner} } } } }`;
  return {
    'alias flood (100 x 36 months)': { query: `{ ${flood.join(' ')} }` },
    '500 identical aliases': { query: `{ ${same.join(' ')} }` },
    'billingSessions over 200 years': {
      query: 'query ($id: ID!) { bot(id: $id) { billingSessions(from: "1900-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z", first: 1) { totalCount } } }',
      variables: { id: botId },
    },
    '10,000 account ids': {
      query: 'query ($ids: [ID!]) { usage(filter: { from: "2025-01", to: "2025-12", accountIds: $ids }) { incomplete } }',
      variables: { ids: Array.from({ length: 10_000 }, (_, i) => encodeId({ kind: 'Account', connection: 'talkdesk-demo', externalId: `made-up-${i}` })) },
    },
    '500 made-up account ids (403)': {
      query: 'query ($ids: [ID!]) { usage(filter: { from: "2025-01", to: "2025-12", accountIds: $ids }) { incomplete } }',
      variables: { ids: Array.from({ length: 500 }, (_, i) => encodeId({ kind: 'Account', connection: 'talkdesk-demo', externalId: `made-up-${i}` })) },
    },
    'selection 10,000 deep': { query: `{ ${'organisations { edges { node { '.repeat(2500)} id ${'} } }'.repeat(2500)} }` },
    'organisation/accounts nested 3 deep': { query: `{ organisations(first: 500) { edges { node { id name ${nested(nested(nested('')))} } } } }` },
    mutation: { query: 'mutation { connections { name } }' },
  };
}

/** Worst /healthz latency while `until` is pending, probing every HEALTH_EVERY_MS. */
async function healthWorst(url: string, until: Promise<unknown>): Promise<{ worst: number; probes: number; failures: number }> {
  let done = false;
  void Promise.resolve(until).finally(() => (done = true));
  let worst = 0;
  let probes = 0;
  let failures = 0;
  while (!done) {
    const started = performance.now();
    try {
      const res = await request(`${url}/healthz`);
      await res.body.dump();
    } catch {
      failures++;
    }
    worst = Math.max(worst, performance.now() - started);
    probes++;
    await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
  }
  return { worst, probes, failures };
}

async function main(): Promise<void> {
  const server = new ServerProcess();
  try {
    const { url } = await server.send<{ url: string }>({ cmd: 'start', overrides: {}, latencyMs: LATENCY_MS });
    const { from, to } = lastTwelveMonths(new Date());
    const report: GraphQLBody = { query: operation('monthly-report.graphql'), variables: { from, to } };
    progress('warming the report');
    await postGraphQL(url, report);
    const listing = await postGraphQL(url, { query: '{ organisations(filter: { vendors: [KORE_AI] }, first: 1) { edges { node { bots(first: 1) { edges { node { id } } } } } } }' });
    const botId = (listing.body.data as any).organisations.edges[0].node.bots.edges[0].node.id as string;
    const shapes = abusiveShapes(botId);

    // Each shape alone first, on a quiet server: its vendor calls are exactly the simulators' count.
    progress('each abusive shape alone');
    const alone: Array<[string, number, number, string]> = [];
    for (const [name, body] of Object.entries(shapes)) {
      await server.send({ cmd: 'reset' });
      const answer = await postGraphQL(url, body).catch((err: Error) => ({ ms: NaN, status: 0, body: { errors: [{ message: err.message }] } }));
      await new Promise((resolve) => setTimeout(resolve, 1000)); // calls left running (no cancellation yet) land in the count
      const codes = [...new Set(JSON.stringify(answer.body).match(/"(BUDGET_EXCEEDED|UPSTREAM_[A-Z]+|BAD_USER_INPUT|BAD_REQUEST|GRAPHQL_PARSE_FAILED|RESPONSE_TOO_LARGE)"/g) ?? [])].join(' ');
      alone.push([name, answer.ms, sum(await server.send<VendorCounts>({ cmd: 'counts' })), `${answer.status} ${codes}`]);
    }

    const rssBefore = (await server.send<{ rss: number }>({ cmd: 'rss' })).rss;
    progress(`warm report, ${WARM_CONNECTIONS} connections, ${BEFORE_SECONDS} s (before)`);
    const beforeLoad = load(url, report, { connections: WARM_CONNECTIONS, duration: BEFORE_SECONDS });
    const healthBefore = await healthWorst(url, beforeLoad);
    const before: AutocannonResult = await beforeLoad;

    progress(`warm report, ${WARM_CONNECTIONS} connections, ${ABUSE_SECONDS} s, with one abusive client looping over ${Object.keys(shapes).length} shapes`);
    await server.send({ cmd: 'reset' });
    const duringLoad = load(url, report, { connections: WARM_CONNECTIONS, duration: ABUSE_SECONDS });
    let abusiveSent = 0;
    let stop = false;
    const abuser = (async () => {
      while (!stop) {
        for (const body of Object.values(shapes)) {
          if (stop) break;
          await postGraphQL(url, body).catch(() => undefined);
          abusiveSent++;
        }
      }
    })();
    const healthDuring = await healthWorst(url, duringLoad);
    const during = await duringLoad;
    stop = true;
    await abuser;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const callsDuring = sum(await server.send<VendorCounts>({ cmd: 'counts' }));
    const rssAfter = (await server.send<{ rss: number }>({ cmd: 'rss' })).rss;

    const out: string[] = [];
    out.push(`bench:abuse: ${LATENCY_MS} ms per vendor call, budget ${BUDGET} vendor calls per operation (default), 2 shared CPUs: figures vary with other load on the machine`);
    out.push('');
    out.push('Each abusive shape alone (quiet server):');
    for (const [name, ms, calls, answer] of alone) out.push(`  ${name.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms  ${String(calls).padStart(4)} vendor calls  answer: ${answer}`);
    out.push('');
    out.push(`Warm report p99 before: ${before.latency.p99} ms (p50 ${before.latency.p50} ms, ${before.requests.total} requests, ${before.errors} errors, ${before.non2xx} non-2xx)`);
    out.push(`Warm report p99 during: ${during.latency.p99} ms (p50 ${during.latency.p50} ms, ${during.requests.total} requests, ${during.errors} errors, ${during.non2xx} non-2xx)`);
    out.push(`  ratio ${(during.latency.p99 / Math.max(1, before.latency.p99)).toFixed(2)} (target < 3)`);
    out.push(`/healthz worst: before ${healthBefore.worst.toFixed(0)} ms, during ${healthDuring.worst.toFixed(0)} ms over ${healthDuring.probes} probes, ${healthDuring.failures} failed (target < 100 ms)`);
    out.push(`Vendor calls during the abuse: ${callsDuring} for ${abusiveSent} abusive operations (and the warm report, cached), at most ${BUDGET} per operation: ${callsDuring <= BUDGET * abusiveSent ? 'within' : 'OVER'} the budget`);
    out.push(`RSS: ${mb(rssBefore)} before, ${mb(rssAfter)} after (+${(((rssAfter - rssBefore) / rssBefore) * 100).toFixed(1)}%, target < 20%)`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    await server.send({ cmd: 'stop' }).catch(() => undefined);
    await server.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:abuse failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
