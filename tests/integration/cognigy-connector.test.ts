import { Agent } from 'undici';
import { UpstreamError } from '../../src/errors';
import { createCognigyConnector } from '../../src/vendors/cognigy/client';
import { startCognigySimulator, type CognigySimulator, type CognigySimulatorOptions } from '../../src/vendors/cognigy/simulator';
import type { CognigyBillingItemWire } from '../../src/vendors/cognigy/wire';
import type { UsageQuery } from '../../src/vendors/types';
import { testConnectorDeps } from '../helpers/connector-deps';

const UNTIL = new Date('2026-11-22T12:00:00Z');
const BILLING = '/new/management/v2.0/billing';
const agent = new Agent();
const deps = testConnectorDeps(agent);
const usageQuery = (from: string, to: string): UsageQuery => ({ from, to, timeZone: 'UTC' });
const mm = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** Expected usage computed straight from the simulator's raw data: "org|YYYY-MM|channel" -> total. */
function expectedUsage(organisations: readonly CognigyBillingItemWire[], from: string, to: string): Map<string, string> {
  const totals = new Map<string, number>();
  for (const o of organisations) {
    for (const c of o.conversations) {
      const month = mm(c.year, c.month);
      if (month < from || month > to) continue;
      const key = `${o.organisationId}|${month}|${c.channel.toLowerCase()}`;
      totals.set(key, (totals.get(key) ?? 0) + c.conversations);
    }
  }
  return new Map([...totals].map(([key, total]) => [key, String(total)]));
}

const sims: CognigySimulator[] = [];
async function simulator(options: CognigySimulatorOptions = {}): Promise<CognigySimulator> {
  const sim = await startCognigySimulator({ seed: 1, until: UNTIL, ...options });
  sims.push(sim);
  return sim;
}

let sim: CognigySimulator;
beforeAll(async () => {
  sim = await simulator();
});
beforeEach(() => {
  sim.resetLog();
  sim.clearFaults();
});
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  await agent.close();
});

describe('Cognigy connector paging', () => {
  it('returns every organisation exactly once when the first page reports a total', async () => {
    const organisations = await createCognigyConnector(sim.connectionConfig('cg'), deps).organisations();

    expect(sim.data.organisations.length).toBe(130);
    expect(organisations.map((o) => o.externalId).sort()).toEqual(sim.data.organisations.map((o) => o.organisationId).sort());
    expect(organisations).toEqual(
      sim.data.organisations.map((o) => ({ vendor: 'COGNIGY', connection: 'cg', externalId: o.organisationId, name: o.name, disabled: o.isDisabled })),
    );
    expect(organisations.some((o) => o.disabled)).toBe(true);
    expect(sim.requests.map((r) => [r.path, r.query.limit, r.query.skip])).toEqual([
      [BILLING, '100', undefined],
      [BILLING, '100', '100'],
    ]);
  });

  it('fetches the pages after the first concurrently by skip when there are many', async () => {
    const big = await simulator({ organisations: 450, latencyMs: 50 });
    const organisations = await createCognigyConnector(big.connectionConfig('cg'), deps).organisations();

    expect(new Set(organisations.map((o) => o.externalId)).size).toBe(450);
    expect(organisations.map((o) => o.externalId)).toEqual(big.data.organisations.map((o) => o.organisationId));
    const skips = big.requests.map((r) => r.query.skip);
    expect(skips[0]).toBeUndefined();
    expect(skips.slice(1).sort()).toEqual(['100', '200', '300', '400']);
    // With 50 ms latency per answer, one after another the last four would finish at least 150 ms apart.
    const rest = big.requests.slice(1).map((r) => r.at);
    expect(Math.max(...rest) - Math.min(...rest)).toBeLessThan(100);
  });

  it.each<[string, CognigySimulatorOptions['cursorField']]>([
    ['nextCursor', 'nextCursor'],
    ['next (older API)', 'next'],
  ])('follows the %s body cursor as query next when no total is reported', async (_name, cursorField) => {
    const cursorSim = await simulator({ reportTotal: false, cursorField, organisations: 230 });
    const organisations = await createCognigyConnector(cursorSim.connectionConfig('cg'), deps).organisations();

    expect(organisations.map((o) => o.externalId)).toEqual(cursorSim.data.organisations.map((o) => o.organisationId));
    const requests = cursorSim.requests.map((r) => r.query);
    expect(requests).toHaveLength(3);
    expect(requests[0]).toEqual({ limit: '100' });
    for (const query of requests.slice(1)) {
      expect(query.next).toMatch(/^[a-z0-9]{24}$/);
      expect(query.skip).toBeUndefined();
    }
    expect(cursorSim.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('sends Basic credentials and asks for JSON', async () => {
    const config = sim.connectionConfig('cg');
    await createCognigyConnector(config, deps).organisations();

    const expected = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
    expect(sim.requests.every((r) => r.headers.authorization === expected && r.headers.accept === 'application/json')).toBe(true);
  });
});

describe('Cognigy connector usage', () => {
  it('reports monthly totals per organisation and channel equal to the sums of the daily data', async () => {
    const rows = await createCognigyConnector(sim.connectionConfig('cg'), deps).usage(usageQuery('2025-01', '2026-12'));

    const actual = new Map(rows.map((r) => [`${r.organisationExternalId}|${r.month}|${r.channel}`, r.quantity]));
    expect(actual.size).toBe(rows.length);
    expect(actual).toEqual(expectedUsage(sim.data.organisations, '2025-01', '2026-12'));
    expect(rows.every((r) => r.type === 'CONVERSATION' && r.unit === 'CONVERSATIONS' && r.amount === null && r.connection === 'cg')).toBe(true);
  });

  it('excludes the months outside the requested range', async () => {
    const rows = await createCognigyConnector(sim.connectionConfig('cg'), deps).usage(usageQuery('2025-03', '2025-08'));

    const months = sim.data.organisations.flatMap((o) => o.conversations.map((c) => mm(c.year, c.month)));
    expect(months.some((m) => m < '2025-03')).toBe(true);
    expect(months.some((m) => m > '2025-08')).toBe(true);
    expect([...new Set(rows.map((r) => r.month))].sort()).toEqual(['2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']);
    expect(new Map(rows.map((r) => [`${r.organisationExternalId}|${r.month}|${r.channel}`, r.quantity]))).toEqual(
      expectedUsage(sim.data.organisations, '2025-03', '2025-08'),
    );
  });

  it('counts day 31 in its own month and day 1 of the next month in the next', async () => {
    const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
    const org = sim.data.organisations.find((o) =>
      o.conversations.some((c) => c.day === 31 && lastDay(c.year, c.month) === 31 && c.month < 12 &&
        o.conversations.some((d) => d.year === c.year && d.month === c.month + 1 && d.day === 1)),
    );
    if (!org) throw new Error('seed 1 is expected to hold a day 31 followed by a day 1');
    const split = org.conversations.find((c) => c.day === 31 && c.month < 12 && org.conversations.some((d) => d.year === c.year && d.month === c.month + 1 && d.day === 1))!;
    const first = mm(split.year, split.month);
    const second = mm(split.year, split.month + 1);
    const connector = createCognigyConnector(sim.connectionConfig('cg'), deps);

    for (const month of [first, second]) {
      const rows = (await connector.usage(usageQuery(month, month))).filter((r) => r.organisationExternalId === org.organisationId);
      const expected = [...expectedUsage([org], month, month)].map(([key, total]) => [key.split('|')[2], total]);
      expect(rows.map((r) => [r.channel, r.quantity])).toEqual(expect.arrayContaining(expected));
      expect(rows).toHaveLength(expected.length);
      expect(rows.every((r) => r.month === month)).toBe(true);
    }
  });

  it('reads the billing listing once per call, whatever the range', async () => {
    const connector = createCognigyConnector(sim.connectionConfig('cg'), deps);
    await connector.usage(usageQuery('2025-12', '2026-11'));
    expect(sim.count(BILLING)).toBe(2);
    await connector.organisations();
    expect(sim.count(BILLING)).toBe(4);
  });

  it('answers [] for accounts, customers, bots, customer usage and billing sessions without calling the vendor', async () => {
    const connector = createCognigyConnector(sim.connectionConfig('cg'), deps);
    await expect(connector.accounts()).resolves.toEqual([]);
    await expect(connector.customers(['a'])).resolves.toEqual([]);
    await expect(connector.bots()).resolves.toEqual([]);
    await expect(connector.customerUsage(usageQuery('2025-01', '2025-12'))).resolves.toEqual([]);
    await expect(connector.billingSessions({ from: new Date('2025-01-01'), to: new Date('2025-02-01') })).resolves.toEqual([]);
    expect(sim.count()).toBe(0);
  });
});

describe('Cognigy connector errors', () => {
  it('turns rejected credentials into UPSTREAM_UNAUTHORIZED without the secret in the message', async () => {
    const config = { ...sim.connectionConfig('cg'), password: 'wrong-password-s3cret' };
    const error = await createCognigyConnector(config, deps).organisations().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', status: 401, vendor: 'COGNIGY', connection: 'cg' });
    const message = (error as UpstreamError).message;
    expect(message).toContain('vendor code Unauthorized');
    expect(message).not.toContain('wrong-password-s3cret');
    expect(message).not.toContain(Buffer.from(`${config.username}:${config.password}`).toString('base64'));
  });

  it('turns a persistent 500 into UPSTREAM_UNAVAILABLE, quoting neither the free-text problem title nor its detail or traceId', async () => {
    sim.inject({
      path: BILLING,
      status: 500,
      times: Infinity,
      body: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'shard mongo-7 down', traceId: 'trace-4711' },
    });
    const error = await createCognigyConnector(sim.connectionConfig('cg'), deps).usage(usageQuery('2025-01', '2025-12')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 500 });
    // A vendor code is shown only when it looks like a code ([A-Za-z0-9_.-]{1,64}); a title with spaces is free text.
    expect((error as Error).message).toBe('COGNIGY connection cg: vendor error (HTTP 500)');
    expect((error as Error).message).not.toMatch(/Internal Server Error|mongo-7|trace-4711/);
  });

  it('turns a malformed body into UPSTREAM_BAD_RESPONSE', async () => {
    sim.inject({ path: BILLING, malformed: true });
    await expect(createCognigyConnector(sim.connectionConfig('cg'), deps).organisations()).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('turns a body of the wrong shape into UPSTREAM_BAD_RESPONSE naming the field', async () => {
    sim.inject({ path: BILLING, status: 200, body: { items: [{ organisationId: 'o1', name: 'x', isDisabled: 'no', conversations: [] }], total: 130 } });
    const error = await createCognigyConnector(sim.connectionConfig('cg'), deps).organisations().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect((error as Error).message).toContain('items[0].isDisabled');
  });

  it('stops with UPSTREAM_BAD_RESPONSE when the vendor repeats a cursor instead of paging forever', async () => {
    const loop = { items: [], nextCursor: 'c00000000000000000000001' };
    sim.inject({ path: BILLING, status: 200, body: loop, times: Infinity });
    await expect(createCognigyConnector(sim.connectionConfig('cg'), deps).organisations()).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect(sim.count(BILLING)).toBe(2);
  });
});
