import type { TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app';

/**
 * Vendor faults over real HTTP, injected into the simulators: each scenario
 * asserts what a user sees (sources, codes, rows) and how many calls the
 * simulators received, never how long anything took.
 */

const REPORT = `query Report($from: Month!, $to: Month!, $vendors: [Vendor!]) {
  usage(filter: { from: $from, to: $to, vendors: $vendors }, groupBy: [VENDOR, UNIT]) {
    rows { vendor unit quantity currency amount }
    incomplete
    sources { connection { name } state code message fetchedAt }
  }
}`;

const TALKDESK_USAGE = '/express/usage/month';
const sourceOf = (res: GraphQLResponse, name: string) => res.data.usage.sources.find((s: any) => s.connection.name === name);

/** Talkdesk quantities per unit over the months, from the simulator's seeded records. */
function talkdeskUnits(sim: TalkdeskSimulator, from: string, to: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const u of sim.data.usage) if (u.month >= from && u.month <= to) sums[u.unit] = (sums[u.unit] ?? 0) + u.number_of_units;
  return sums;
}

function unitsOf(rows: any[], vendor: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const r of rows) if (r.vendor === vendor) sums[r.unit] = (sums[r.unit] ?? 0) + r.quantity;
  return sums;
}

describe('a hung vendor while three answer', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The vendor timeout is far away: only the source deadline can release the answer.
    app = await startTestApp({ overrides: { upstream: { sourceDeadlineMs: 3000, timeoutMs: 120000 } } });
  });
  afterAll(async () => app?.close());

  it('answers by the source deadline with that source UPSTREAM_TIMEOUT and the others\' rows correct', async () => {
    app.vendors.simulators.cognigy.inject({ hang: true, times: Infinity });
    const res = await app.query(REPORT, { from: '2025-01', to: '2025-03', vendors: null });
    expect(res.errors).toBeUndefined();
    expect(sourceOf(res, 'cognigy-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_TIMEOUT' });
    for (const name of ['kore-demo', 'evo-demo', 'talkdesk-demo']) expect(sourceOf(res, name)).toMatchObject({ state: 'OK', code: null });
    expect(res.data.usage.incomplete).toBe(true);
    expect(unitsOf(res.data.usage.rows, 'TALKDESK')).toEqual(talkdeskUnits(app.vendors.simulators.talkdesk as TalkdeskSimulator, '2025-01', '2025-03'));
    expect(res.data.usage.rows.some((r: any) => r.vendor === 'COGNIGY')).toBe(false);
  });
});

describe('429 from a vendor', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('waits out a short Retry-After and then succeeds', async () => {
    const sim = app.vendors.simulators.talkdesk as TalkdeskSimulator;
    sim.inject({ path: TALKDESK_USAGE, status: 429, retryAfterSeconds: 1, times: 1 });
    const res = await app.query(REPORT, { from: '2025-04', to: '2025-04', vendors: ['TALKDESK'] });
    expect(sourceOf(res, 'talkdesk-demo')).toMatchObject({ state: 'OK' });
    expect(unitsOf(res.data.usage.rows, 'TALKDESK')).toEqual(talkdeskUnits(sim, '2025-04', '2025-04'));
    expect(sim.requests.filter((r) => r.path === TALKDESK_USAGE).map((r) => r.status)).toContain(429);
  });

  it('holds the connection after a long Retry-After: no further vendor calls until it passes', async () => {
    const sim = app.vendors.simulators.talkdesk as TalkdeskSimulator;
    sim.inject({ path: TALKDESK_USAGE, status: 429, retryAfterSeconds: 120, times: Infinity });
    const first = await app.query(REPORT, { from: '2025-05', to: '2025-05', vendors: ['TALKDESK'] });
    expect(sourceOf(first, 'talkdesk-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_RATE_LIMITED' });
    const calls = sim.count(TALKDESK_USAGE);

    const again = await app.query(REPORT, { from: '2025-06', to: '2025-06', vendors: ['TALKDESK'] });
    expect(sourceOf(again, 'talkdesk-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_RATE_LIMITED' });
    expect(sim.count(TALKDESK_USAGE)).toBe(calls);
    sim.clearFaults();
  });
});

describe('a 503 burst', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ overrides: { upstream: { breakerFailures: 3, breakerCooldownMs: 1500, retries: 0 } } });
  });
  afterAll(async () => app?.close());

  it('opens the breaker (calls stop), and the half-open probe after the cool-down closes it', async () => {
    const sim = app.vendors.simulators.talkdesk as TalkdeskSimulator;
    sim.inject({ path: '/express', status: 503, times: Infinity });
    let opened = false;
    for (let month = 1; month <= 8 && !opened; month++) {
      const m = `2025-0${month}`;
      const res = await app.query(REPORT, { from: m, to: m, vendors: ['TALKDESK'] });
      expect(sourceOf(res, 'talkdesk-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_UNAVAILABLE' });
      opened = /not called/.test(sourceOf(res, 'talkdesk-demo').message);
    }
    expect(opened).toBe(true);
    const calls = sim.count('/express');
    const shut = await app.query(REPORT, { from: '2024-01', to: '2024-01', vendors: ['TALKDESK'] });
    expect(sourceOf(shut, 'talkdesk-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_UNAVAILABLE' });
    expect(sim.count('/express')).toBe(calls);

    sim.clearFaults();
    await new Promise((r) => setTimeout(r, 1800));
    const healed = await app.query(REPORT, { from: '2024-02', to: '2024-02', vendors: ['TALKDESK'] });
    expect(sourceOf(healed, 'talkdesk-demo')).toMatchObject({ state: 'OK' });
    expect(unitsOf(healed.data.usage.rows, 'TALKDESK')).toEqual(talkdeskUnits(sim, '2024-02', '2024-02'));
  });
});

describe('an expired answer while the vendor is down', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ overrides: { cache: { openTtlSeconds: 1, settledTtlSeconds: 1, listingTtlSeconds: 1 }, upstream: { retries: 0 } } });
  });
  afterAll(async () => app?.close());

  it('is served STALE with its fetchedAt and the same rows, the report marked incomplete', async () => {
    const sim = app.vendors.simulators.talkdesk as TalkdeskSimulator;
    const variables = { from: '2025-07', to: '2025-08', vendors: ['TALKDESK'] };
    const fresh = await app.query(REPORT, variables);
    expect(sourceOf(fresh, 'talkdesk-demo')).toMatchObject({ state: 'OK', fetchedAt: null });
    await new Promise((r) => setTimeout(r, 1500));

    sim.inject({ path: '/express', status: 503, times: Infinity });
    const before = Date.now();
    const stale = await app.query(REPORT, variables);
    expect(stale.errors).toBeUndefined();
    const source = sourceOf(stale, 'talkdesk-demo');
    expect(source).toMatchObject({ state: 'STALE', code: null });
    expect(Date.parse(source.fetchedAt)).toBeLessThan(before);
    expect(stale.data.usage.incomplete).toBe(true);
    expect(stale.data.usage.rows).toEqual(fresh.data.usage.rows);
    expect(sim.requests.some((r) => r.status === 503)).toBe(true);
    sim.clearFaults();
  });
});

describe('a malformed or oversized vendor body', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ overrides: { upstream: { retries: 0 } } });
  });
  afterAll(async () => app?.close());

  it('fails the source with UPSTREAM_BAD_RESPONSE, and is never kept: the next ask gets the right rows', async () => {
    const sim = app.vendors.simulators.talkdesk as TalkdeskSimulator;
    sim.inject({ path: TALKDESK_USAGE, malformed: true, times: Infinity });
    const bad = await app.query(REPORT, { from: '2025-09', to: '2025-09', vendors: ['TALKDESK'] });
    expect(sourceOf(bad, 'talkdesk-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_BAD_RESPONSE' });
    sim.clearFaults();
    const good = await app.query(REPORT, { from: '2025-09', to: '2025-09', vendors: ['TALKDESK'] });
    expect(sourceOf(good, 'talkdesk-demo')).toMatchObject({ state: 'OK' });
    expect(unitsOf(good.data.usage.rows, 'TALKDESK')).toEqual(talkdeskUnits(sim, '2025-09', '2025-09'));
  });

  it('treats a body cut off mid-way as a failed source, not as data', async () => {
    const sim = app.vendors.simulators.talkdesk as TalkdeskSimulator;
    sim.inject({ path: TALKDESK_USAGE, truncated: true, times: Infinity });
    const bad = await app.query(REPORT, { from: '2025-10', to: '2025-10', vendors: ['TALKDESK'] });
    expect(sourceOf(bad, 'talkdesk-demo').state).toBe('FAILED');
    expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_BAD_RESPONSE']).toContain(sourceOf(bad, 'talkdesk-demo').code);
    sim.clearFaults();
  });
});

describe('a vendor body over upstream.maxResponseBytes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ overrides: { upstream: { maxResponseBytes: 1000, retries: 0 } } });
  });
  afterAll(async () => app?.close());

  it('is cut off while streaming and answered UPSTREAM_BAD_RESPONSE', async () => {
    const res = await app.query(REPORT, { from: '2025-01', to: '2025-12', vendors: ['TALKDESK'] });
    const source = sourceOf(res, 'talkdesk-demo');
    expect(source).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_BAD_RESPONSE' });
    expect(source.message).toContain('larger than 1000 bytes');
  });
});

describe('credentials rejected', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('logs in again once, then keeps the connection failed without a login storm', async () => {
    const sim = app.vendors.simulators.evovoice;
    sim.inject({ path: '/ai/usage', status: 401, times: Infinity });
    const first = await app.query(REPORT, { from: '2025-01', to: '2025-12', vendors: ['EVOVOICE'] });
    expect(sourceOf(first, 'evo-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_UNAUTHORIZED' });
    // Twelve monthly calls at once: one login to start, one shared re-login after the 401s.
    expect(sim.count('/auth/credentials')).toBeLessThanOrEqual(2);
    const calls = sim.requests.length;

    for (let i = 0; i < 3; i++) {
      const again = await app.query(REPORT, { from: `2024-0${i + 1}`, to: `2024-0${i + 1}`, vendors: ['EVOVOICE'] });
      expect(sourceOf(again, 'evo-demo')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_UNAUTHORIZED' });
    }
    expect(sim.requests.length).toBe(calls);
    sim.clearFaults();
  });
});

describe('listings with one connection down', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ overrides: { upstream: { retries: 0 } } });
  });
  afterAll(async () => app?.close());

  it('answers organisations with the connections that work and names the failed one in an error', async () => {
    app.vendors.simulators.cognigy.inject({ status: 503, times: Infinity });
    const res = await app.query(`{ organisations(first: 500) { totalCount edges { node { vendor connection { name } } } } }`);
    expect(res.data.organisations).not.toBeNull();
    expect(new Set(res.data.organisations.edges.map((e: any) => e.node.connection.name))).toEqual(new Set(['kore-demo', 'evo-demo', 'talkdesk-demo']));
    expect(res.data.organisations.totalCount).toBe(3);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['organisations'], extensions: { code: 'UPSTREAM_UNAVAILABLE', connection: 'cognigy-demo' } });
  });

  it('answers connections { organisations } for every connection, the failed one empty and named', async () => {
    const res = await app.query(`{ connections { name organisations { vendor } } }`);
    const byName = Object.fromEntries(res.data.connections.map((c: any) => [c.name, c.organisations.length]));
    expect(byName['cognigy-demo']).toBe(0);
    for (const name of ['kore-demo', 'evo-demo', 'talkdesk-demo']) expect(byName[name]).toBe(1);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['connections', 1, 'organisations'], extensions: { connection: 'cognigy-demo' } });
  });

  it('answers an organisation\'s accounts empty with an error when its connection fails, the others unaffected', async () => {
    app.vendors.simulators.cognigy.clearFaults();
    app.vendors.simulators.talkdesk.inject({ path: '/express/accounts', status: 503, times: Infinity });
    const res = await app.query(`{ organisations(first: 500, filter: { vendors: [TALKDESK, EVOVOICE] }) { edges { node { vendor accounts(first: 5) { totalCount } } } } }`);
    const counts = Object.fromEntries(res.data.organisations.edges.map((e: any) => [e.node.vendor, e.node.accounts.totalCount]));
    expect(counts.TALKDESK).toBe(0);
    expect(counts.EVOVOICE).toBeGreaterThan(0);
    expect(res.errors?.map((e) => e.extensions?.connection)).toEqual(['talkdesk-demo']);
    app.vendors.simulators.talkdesk.clearFaults();
  });
});
