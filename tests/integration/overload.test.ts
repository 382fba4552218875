import { connect } from 'node:net';
import { request } from 'undici';
import { createLogger } from '../../src/logger';
import { encodeId } from '../../src/ids';
import { startServer, type RunningServer } from '../../src/server';
import { startDemoVendors, type DemoVendors } from '../../src/demo';

/**
 * One request must not sink the server: abusive shapes are answered (an error
 * or a partial report), each within the operation's vendor-call budget, read
 * from the simulators' own request logs. Bounds on time are generous (the
 * machine is shared); the counts are exact.
 */

jest.setTimeout(120_000);

/**
 * Smaller than the default (200), and the deadline longer than the default (15 s), so that on a busy
 * machine the flood is stopped by the budget and not by the deadline (the deadline has its own test).
 */
const BUDGET = 40;
/** "Answered" means within this, however busy the machine; the point is that it ends, not how fast. */
const ANSWER_BOUND_MS = 30_000;

let vendors: DemoVendors;
let server: RunningServer;
const logLines: string[] = [];

beforeAll(async () => {
  vendors = await startDemoVendors({ port: 0 });
  // The static limits (aliases, depth, tokens, cost) refuse most of these shapes before execution (operation-limits.test.ts);
  // here they are raised out of the way, so what answers is the run-time safety net below them.
  const staticLimitsOff = { maxAliases: 10_000, maxDepth: 1_000, maxTokens: 10_000_000, maxCost: Number.MAX_SAFE_INTEGER };
  const config = {
    ...vendors.config,
    server: { ...vendors.config.server, limits: { ...vendors.config.server.limits, ...staticLimitsOff, maxVendorCallsPerOperation: BUDGET, operationTimeoutMs: 60_000 } },
  };
  server = await startServer(config, createLogger('info', (line) => logLines.push(line)));
});
afterAll(async () => {
  await server?.close();
  await vendors?.close();
});

const simulators = () => Object.values(vendors.simulators);
const vendorCalls = () => simulators().reduce((n, s) => n + s.requests.length, 0);
const resetLogs = () => simulators().forEach((s) => s.resetLog());

/** Waits until no vendor call has arrived for 500 ms: calls an earlier test left running (there is no cancellation yet) must not count for the next. */
async function quietVendors(): Promise<void> {
  for (let last = -1; last !== vendorCalls(); ) {
    last = vendorCalls();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function post(body: unknown, headers: Record<string, string> = {}) {
  const started = Date.now();
  const res = await request(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    headersTimeout: ANSWER_BOUND_MS,
    bodyTimeout: ANSWER_BOUND_MS,
  });
  const json = (await res.body.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { status: res.statusCode, ms: Date.now() - started, ...json };
}

describe('abusive operations are answered within the vendor-call budget', () => {
  it('answers a flood of 100 aliases with different 36-month ranges, making at most the budgeted vendor calls', async () => {
    await quietVendors();
    resetLogs();
    const aliases = Array.from({ length: 100 }, (_, i) => {
      const from = `${1900 + i * 3}-01`;
      const to = `${1902 + i * 3}-12`;
      return `a${i}: usage(filter: { from: "${from}", to: "${to}" }) { incomplete sources { code } }`;
    });

    const res = await post({ query: `{ ${aliases.join('\n')} }` });

    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(ANSWER_BOUND_MS);
    await quietVendors();
    expect(vendorCalls()).toBeLessThanOrEqual(BUDGET);
    const reports = Object.values(res.data) as { incomplete: boolean; sources: { code: string | null }[] }[];
    expect(reports).toHaveLength(100);
    // The budget ran out part-way: later reports say so, source by source, instead of calling on.
    const codes = new Set(reports.flatMap((r) => r.sources.map((s) => s.code)));
    expect(codes).toContain('BUDGET_EXCEEDED');
    expect([...codes].every((c) => c === null || c === 'BUDGET_EXCEEDED')).toBe(true);
    expect(reports.filter((r) => r.sources.some((s) => s.code === 'BUDGET_EXCEEDED')).every((r) => r.incomplete)).toBe(true);
  });

  it('refuses billingSessions over 100 years as BAD_USER_INPUT naming the argument, without a billing call', async () => {
    const listing = await post({ query: '{ organisations(filter: { vendors: [KORE_AI] }, first: 1) { edges { node { bots(first: 1) { edges { node { id } } } } } } }' });
    const botId = listing.data.organisations.edges[0].node.bots.edges[0].node.id as string;
    await quietVendors();
    resetLogs();

    const res = await post({
      query: 'query ($id: ID!) { bot(id: $id) { billingSessions(from: "1900-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z", first: 1) { totalCount } } }',
      variables: { id: botId },
    });

    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(res.errors?.[0].message).toContain('at most 366 days');
    expect(vendors.simulators.koreai.count('BillingSessions')).toBe(0);
  });

  it('refuses reconciliation over a century the same way', async () => {
    const listing = await post({ query: '{ organisations(filter: { vendors: [KORE_AI] }, first: 1) { edges { node { bots(first: 1) { edges { node { id } } } } } } }' });
    const botId = listing.data.organisations.edges[0].node.bots.edges[0].node.id as string;
    await quietVendors();
    resetLogs();

    const res = await post({
      query: 'query ($id: ID!) { bot(id: $id) { reconciliation(from: "1800-01-01T00:00:00Z", to: "1900-01-01T00:00:00Z") { __typename } } }',
      variables: { id: botId },
    });

    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(vendors.simulators.koreai.count('BillingSessions')).toBe(0);
  });

  it('refuses a list of 10,000 account ids as BAD_USER_INPUT naming the list, without a vendor call', async () => {
    await quietVendors();
    resetLogs();
    const accountIds = Array.from({ length: 10_000 }, (_, i) => encodeId({ kind: 'Account', connection: 'talkdesk-demo', externalId: `made-up-${i}` }));

    const res = await post({ query: 'query ($ids: [ID!]) { usage(filter: { from: "2025-01", to: "2025-12", accountIds: $ids }) { incomplete } }', variables: { ids: accountIds } });

    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.accountIds' });
    expect(res.errors?.[0].message).toContain('10000 ids; at most 500');
    expect(vendorCalls()).toBe(0);
  });

  it('stops calling a connection that keeps refusing made-up account ids (403) within one operation', async () => {
    await quietVendors();
    resetLogs();
    const accountIds = Array.from({ length: 500 }, (_, i) => encodeId({ kind: 'Account', connection: 'talkdesk-demo', externalId: `made-up-${i}` }));

    const res = await post({
      query: 'query ($ids: [ID!]) { usage(filter: { from: "2025-01", to: "2025-12", accountIds: $ids }) { incomplete sources { code } } }',
      variables: { ids: accountIds },
    });

    expect(res.data.usage.incomplete).toBe(true);
    expect(res.data.usage.sources).toEqual([{ code: 'UPSTREAM_FORBIDDEN' }]);
    await quietVendors();
    const refused = vendors.simulators.talkdesk.requests.filter((r) => r.status === 403).length;
    // Three refusals in a row stop the connection; calls already in flight (4 at a time) may still answer.
    expect(refused).toBeGreaterThanOrEqual(3);
    expect(refused).toBeLessThanOrEqual(3 + 4);
  });

  it('answers a selection nested 10,000 levels deep with 400 and no vendor call, and stays up', async () => {
    await quietVendors();
    resetLogs();
    const deep = `{ ${'organisations { edges { node { '.repeat(2500)} id ${'} } }'.repeat(2500)} }`;

    const res = await post({ query: deep });

    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0].message).toMatch(/nests \d+ levels deep; at most 128/);
    expect(vendorCalls()).toBe(0);
    const health = await request(`${server.url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });

  it('answers organisation -> accounts -> organisation nested three levels deep within the budget', async () => {
    await quietVendors();
    resetLogs();
    const level = (inner: string) => `organisations(first: 100) { edges { node { id name accounts(first: 500) { edges { node { id name organisation { id name ${inner} } } } } } } }`;
    const nested = (inner: string) => `accounts(first: 500) { edges { node { id name organisation { id name ${inner} } } } }`;

    const res = await post({ query: `{ ${level(nested(nested('')))} }` });

    expect(res.status).toBe(200);
    // Either the whole answer, or the clear error when it is larger than maxResponseBytes.
    if (res.errors) expect(res.errors.map((e) => e.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE']);
    else expect(res.data.organisations.edges.length).toBeGreaterThan(0);
    await quietVendors();
    expect(vendorCalls()).toBeLessThanOrEqual(BUDGET);
  });
});

describe('requests the API cannot run are answered 4xx, never INTERNAL_SERVER_ERROR', () => {
  it.each(['mutation', 'subscription'])('answers a %s with HTTP 400 BAD_REQUEST', async (kind) => {
    const res = await post({ query: `${kind} { connections { name } }` });

    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    expect(res.errors?.[0].message).toContain(`no ${kind} operations`);
  });

  it('refuses a body larger than the limit from its Content-Length, before the body is sent', async () => {
    // Only the headers go out: the answer can only come from the Content-Length.
    const answer = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`);
      });
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('utf8')));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.setTimeout(ANSWER_BOUND_MS, () => socket.destroy(new Error('no answer')));
    });

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('larger than 1048576 bytes');
  });

  it('logs one line without a stack when a client hangs up in the middle of its body', async () => {
    const before = logLines.length;
    await new Promise<void>((resolve, reject) => {
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`);
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    // The server notices the hang-up asynchronously.
    for (let i = 0; i < 100 && logLines.length === before; i++) await new Promise((r) => setTimeout(r, 50));

    const lines = logLines.slice(before);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', msg: 'client went away before sending its whole request' });
    expect(lines[0]).not.toContain('    at ');
  });

  it('answers RESPONSE_TOO_LARGE when the answer would exceed server.limits.maxResponseBytes', async () => {
    const small = await startDemoVendors({ port: 0 });
    const config = { ...small.config, server: { ...small.config.server, limits: { ...small.config.server.limits, maxResponseBytes: 2000 } } };
    const limited = await startServer(config, createLogger('silent'));
    try {
      const res = await request(`${limited.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ organisations(first: 500) { edges { node { id name } } } }' }),
      });
      const body = (await res.body.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
      expect(body.data).toBeUndefined();
      expect(body.errors[0].extensions.code).toBe('RESPONSE_TOO_LARGE');
      expect(body.errors[0].message).toContain('more than the 2000 allowed');
    } finally {
      await limited.close();
      await small.close();
    }
  });
});

describe('the operation deadline', () => {
  it('answers at the deadline with the slow source FAILED as UPSTREAM_TIMEOUT and the others reported', async () => {
    const slow = await startDemoVendors({ port: 0 });
    const config = { ...slow.config, server: { ...slow.config.server, limits: { ...slow.config.server.limits, operationTimeoutMs: 6000 } } };
    const limited = await startServer(config, createLogger('silent'));
    slow.simulators.cognigy.inject({ delayMs: 60_000, times: Infinity });
    try {
      const res = await request(`${limited.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ usage(filter: { from: "2025-01", to: "2025-12" }) { incomplete sources { connection { name } state code } } }' }),
      });
      const body = (await res.body.json()) as { data: { usage: { incomplete: boolean; sources: { connection: { name: string }; state: string; code: string | null }[] } } };

      expect(body.data.usage.incomplete).toBe(true);
      const byName = Object.fromEntries(body.data.usage.sources.map((s) => [s.connection.name, s]));
      expect(byName['cognigy-demo']).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_TIMEOUT' });
      // Every other source is reported too (OK, or also unfinished on a very busy machine), never left out.
      expect(Object.keys(byName).sort()).toEqual(['cognigy-demo', 'evo-demo', 'kore-demo', 'talkdesk-demo']);
      expect(body.data.usage.sources.every((s) => s.code === null || s.code === 'UPSTREAM_TIMEOUT')).toBe(true);
    } finally {
      slow.simulators.cognigy.clearFaults();
      await limited.close();
      await slow.close();
    }
  });
});
