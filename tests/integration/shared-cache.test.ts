import { request } from 'undici';
import type { Config } from '../../src/config/schema';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import type { CognigySimulator } from '../../src/vendors/cognigy/simulator';
import type { TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';
import type { DemoVendors } from '../../src/demo';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app';
import { deleteNamespace, describeWithRedis, keysUnder, REDIS_URL, testNamespace } from '../helpers/redis';

/**
 * The shared vendor-answer cache and the response cache across server
 * instances (through a real Redis), their separation by credentials, and a
 * Redis that is down counting as a miss, never a failure.
 */

const REPORT = `query Report($from: Month!, $to: Month!, $vendors: [Vendor!], $groupBy: [UsageDimension!]) {
  usage(filter: { from: $from, to: $to, vendors: $vendors }, groupBy: $groupBy) {
    rows { month vendor unit quantity currency amount }
    totals { unit quantity currency amount }
    incomplete
    sources { connection { name vendor } state code }
  }
}`;

const allCounts = (vendors: DemoVendors) => Object.fromEntries(Object.entries(vendors.simulators).map(([k, s]) => [k, s.requests.length]));

/** Posts one operation to another server instance over real HTTP. */
async function queryAt(server: RunningServer, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse> {
  const res = await request(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.body.json()) as { data: any; errors?: GraphQLResponse['errors'] };
  return { status: res.statusCode, data: body.data, errors: body.errors };
}

/** Talkdesk quantities per unit over the months, summed from the simulator's seeded records. */
function talkdeskUnits(sim: TalkdeskSimulator, from: string, to: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const u of sim.data.usage) if (u.month >= from && u.month <= to) sums[u.unit] = (sums[u.unit] ?? 0) + u.number_of_units;
  return sums;
}

/** The same configuration with one connection's secret replaced by a wrong one (same name, same simulator). */
function withWrongSecret(config: Config, name: string): Config {
  return {
    ...config,
    connections: config.connections.map((c) => {
      if (c.name !== name) return c;
      if (c.vendor === 'COGNIGY' || c.vendor === 'EVOVOICE') return { ...c, password: `${c.password}-wrong` };
      return { ...c, clientSecret: `${c.clientSecret}-wrong` };
    }),
  };
}

/** Quantity per unit over the rows of one vendor (rows are also split by currency). */
function unitsOf(rows: any[], vendor?: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const r of rows) if (vendor === undefined || r.vendor === vendor) sums[r.unit] = (sums[r.unit] ?? 0) + r.quantity;
  return sums;
}

const sourceOf = (res: GraphQLResponse, name: string) => res.data.usage.sources.find((s: any) => s.connection.name === name);

describeWithRedis('two server instances sharing one Redis', () => {
  const namespace = testNamespace('shared-cache');
  const cache = { url: REDIS_URL, namespace };
  let first: TestApp;
  let second: RunningServer;
  const others: RunningServer[] = [];

  beforeAll(async () => {
    first = await startTestApp({ overrides: { cache } });
    second = await startServer(first.config, silentLogger);
  });
  afterAll(async () => {
    await Promise.all(others.map((s) => s.close()));
    await second?.close();
    await first?.close();
    await deleteNamespace(namespace);
  });

  it('answers the identical report on the second instance without any vendor request', async () => {
    const variables = { from: '2025-02', to: '2025-04', vendors: null, groupBy: ['VENDOR', 'UNIT'] };
    const one = await first.query(REPORT, variables);
    expect(one.errors).toBeUndefined();
    expect(one.data.usage.incomplete).toBe(false);
    const before = allCounts(first.vendors);
    expect(Object.values(before).every((n) => n > 0)).toBe(true);

    const two = await queryAt(second, REPORT, variables);
    expect(two.data).toEqual(one.data);
    expect(allCounts(first.vendors)).toEqual(before);
  });

  it('answers a different report over the same data on the second instance from the shared vendor answers', async () => {
    const range = { from: '2025-05', to: '2025-07', vendors: ['TALKDESK', 'EVOVOICE', 'KORE_AI', 'COGNIGY'] };
    const byVendor = await first.query(REPORT, { ...range, groupBy: ['VENDOR', 'UNIT'] });
    expect(byVendor.errors).toBeUndefined();
    const before = allCounts(first.vendors);

    const byMonth = await queryAt(second, REPORT, { ...range, groupBy: ['MONTH', 'UNIT'] });
    expect(byMonth.errors).toBeUndefined();
    expect(allCounts(first.vendors)).toEqual(before);
    // Same data, other grouping: the totals agree, and Talkdesk's match the seeded records.
    expect(byMonth.data.usage.totals).toEqual(byVendor.data.usage.totals);
    const talkdesk = talkdeskUnits(first.vendors.simulators.talkdesk as TalkdeskSimulator, range.from, range.to);
    expect(unitsOf(byVendor.data.usage.rows, 'TALKDESK')).toEqual(talkdesk);
  });

  it('never serves one connection\'s cached answers to the same connection configured with a wrong secret', async () => {
    const variables = { from: '2025-08', to: '2025-08', vendors: null, groupBy: ['VENDOR'] };
    const good = await first.query(REPORT, variables);
    expect(good.data.usage.sources.every((s: any) => s.state === 'OK')).toBe(true);

    // Same connection names, same Redis namespace, wrong secrets: neither the vendor answers nor the response may be reused.
    let config = first.config;
    for (const name of ['kore-demo', 'cognigy-demo', 'evo-demo', 'talkdesk-demo']) config = withWrongSecret(config, name);
    const impostor = await startServer(config, silentLogger);
    others.push(impostor);
    const bad = await queryAt(impostor, REPORT, variables);
    for (const name of ['kore-demo', 'cognigy-demo', 'evo-demo', 'talkdesk-demo']) {
      expect(sourceOf(bad, name)).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_UNAUTHORIZED' });
    }
    expect(bad.data.usage.incomplete).toBe(true);
    expect(bad.data.usage.rows).toEqual([]);
  });

  it('keeps every secret out of the Redis keys it writes', async () => {
    const keys = await keysUnder(namespace);
    expect(keys.length).toBeGreaterThan(0);
    const secrets = first.config.connections.flatMap((c) => {
      const values = c.vendor === 'COGNIGY' || c.vendor === 'EVOVOICE' ? [c.password] : [c.clientSecret];
      return values.flatMap((v) => [v, Buffer.from(v).toString('base64'), encodeURIComponent(v)]);
    });
    for (const key of keys) for (const secret of secrets) expect(key).not.toContain(secret);
  });
});

describe('the in-memory cache and different credentials', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      configure: (config) => {
        const good = config.connections.find((c) => c.name === 'cognigy-demo')!;
        return { ...config, connections: [...config.connections, withWrongSecret({ ...config, connections: [{ ...good, name: 'cognigy-bad' }] }, 'cognigy-bad').connections[0]] };
      },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives UPSTREAM_UNAUTHORIZED to a connection with a wrong password after the good one cached the same vendor data', async () => {
    const sim = app.vendors.simulators.cognigy as CognigySimulator;
    const variables = { from: '2025-03', to: '2025-03', vendors: ['COGNIGY'], groupBy: ['CONNECTION'] };
    const first = await app.query(REPORT, variables);
    expect(sourceOf(first, 'cognigy-demo')).toMatchObject({ state: 'OK', code: null });
    expect(sourceOf(first, 'cognigy-bad')).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_UNAUTHORIZED' });

    // Asked again, now that the good connection's listing is cached: still refused (within the credentials'
    // cool-down without asking the vendor again at all), never answered from the good connection's data.
    sim.resetLog();
    const again = await app.query(`query Orgs { organisations(first: 200, filter: { vendors: [COGNIGY] }) { totalCount } }`, {});
    expect(again.errors?.map((e) => e.extensions?.code)).toContain('UPSTREAM_UNAUTHORIZED');
    expect(sim.requests.every((r) => r.status === 401)).toBe(true);
  });
});

describe('a Redis that is down', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ overrides: { cache: { url: 'redis://127.0.0.1:1', namespace: testNamespace('down') } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('still answers every query correctly, from the vendors and then from the in-process tier', async () => {
    const sim = app.vendors.simulators.talkdesk as TalkdeskSimulator;
    const variables = { from: '2025-06', to: '2025-08', vendors: ['TALKDESK'], groupBy: ['UNIT'] };
    const expected = talkdeskUnits(sim, variables.from, variables.to);
    const calls: number[] = [];
    for (let i = 0; i < 2; i++) {
      sim.resetLog();
      const res = await app.query(REPORT, variables);
      expect(res.errors).toBeUndefined();
      expect(res.data.usage.incomplete).toBe(false);
      expect(res.data.usage.sources).toEqual([{ connection: { name: 'talkdesk-demo', vendor: 'TALKDESK' }, state: 'OK', code: null }]);
      expect(unitsOf(res.data.usage.rows)).toEqual(expected);
      calls.push(sim.requests.filter((r) => r.path === '/express/usage/month').length);
    }
    // Redis could keep nothing, but the in-process tier did: the second ask costs no vendor call.
    expect(calls[0]).toBeGreaterThan(0);
    expect(calls[1]).toBe(0);
  });

  it('answers the dashboard-style organisations query for every vendor', async () => {
    const res = await app.query(`{ organisations(first: 200) { totalCount } }`, {});
    expect(res.errors).toBeUndefined();
    expect(res.data.organisations.totalCount).toBe(3 + (app.vendors.simulators.cognigy as CognigySimulator).data.organisations.length);
  });
});
