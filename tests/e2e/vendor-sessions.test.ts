import Decimal from 'decimal.js';
import { request } from 'undici';
import { configSchema } from '../../src/config/schema';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { startTalkdeskSimulator, type TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';
import type { EvovoiceSimulator } from '../../src/vendors/evovoice/simulator';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Vendor sessions seen from GraphQL: the Talkdesk OAuth token and the Evovoice
 * login are made once and shared by every query until they expire, and a
 * Talkdesk query over many accounts is split into filters the vendor accepts
 * without losing a record. The shared cache is off so every query reaches the vendor.
 */

let app: TestApp;
const talkdesk = () => app.vendors.simulators.talkdesk as TalkdeskSimulator;
const evovoice = () => app.vendors.simulators.evovoice as EvovoiceSimulator;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const USAGE = `query($from: Month!, $to: Month!, $vendors: [Vendor!]) {
  usage(filter: { from: $from, to: $to, vendors: $vendors }, groupBy: [UNIT, CURRENCY]) { incomplete totals { unit currency quantity } }
}`;

async function ok(run: () => Promise<{ status: number; data: any; errors?: unknown[] }>): Promise<any> {
  const res = await run();
  expect(res.errors).toBeUndefined();
  return res.data;
}
const query = (q: string, variables?: Record<string, unknown>) => ok(() => app.query(q, variables));

beforeAll(async () => {
  app = await startTestApp({ overrides: { cache: { enabled: false } } });
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  for (const sim of Object.values(app.vendors.simulators)) sim.resetLog();
});

describe('Talkdesk access token', () => {
  it('is fetched once for many GraphQL queries, sequential and concurrent', async () => {
    const months = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
    for (const month of months) {
      const data = await query(USAGE, { from: month, to: month, vendors: ['TALKDESK'] });
      expect(data.usage.incomplete).toBe(false);
    }
    await Promise.all(['2025-07', '2025-08', '2025-09'].map((month) => query(USAGE, { from: month, to: month, vendors: ['TALKDESK'] })));
    await query('{ organisations(filter: { vendors: [TALKDESK] }) { edges { node { accounts { totalCount } } } } }');
    // Every query reached the vendor, all with the one token.
    expect(talkdesk().count('/express/usage/month')).toBeGreaterThanOrEqual(9);
    expect(talkdesk().tokensIssued).toBe(1);
    expect(talkdesk().requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('is fetched again, once, after the vendor revokes it', async () => {
    const before = talkdesk().tokensIssued;
    talkdesk().expireTokens();
    await Promise.all(['2025-10', '2025-11'].map((month) => query(USAGE, { from: month, to: month, vendors: ['TALKDESK'] })));
    await query(USAGE, { from: '2025-12', to: '2025-12', vendors: ['TALKDESK'] });
    expect(talkdesk().tokensIssued).toBe(before + 1);
  });

  it('is fetched again after it expires, before the vendor has to reject it', async () => {
    const sim = await startTalkdeskSimulator({ tokenTtlSeconds: 1 });
    let server: RunningServer | undefined;
    try {
      const config = configSchema.parse({ server: { port: 0 }, cache: { enabled: false }, connections: [sim.connectionConfig('td-short')] });
      server = await startServer(config, silentLogger);
      const url = `${server.url}/graphql`;
      const ask = (month: string) =>
        ok(async () => {
          const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: USAGE, variables: { from: month, to: month } }) });
          const body = (await res.body.json()) as { data: any; errors?: unknown[] };
          return { status: res.statusCode, ...body };
        });
      await ask('2025-01');
      await ask('2025-02');
      expect(sim.tokensIssued).toBe(1);
      await sleep(1100);
      const data = await ask('2025-03');
      expect(data.usage.incomplete).toBe(false);
      expect(sim.tokensIssued).toBe(2);
      expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(0);
    } finally {
      await server?.close();
      await sim.close();
    }
  });
});

describe('Evovoice session', () => {
  const EVO_QUERIES = [
    () => query(USAGE, { from: '2025-01', to: '2025-03', vendors: ['EVOVOICE'] }),
    () => query(USAGE, { from: '2025-04', to: '2025-04', vendors: ['EVOVOICE'] }),
    () => query('{ organisations(filter: { vendors: [EVOVOICE] }) { edges { node { accounts { edges { node { customers { externalId } } } } } } } }'),
  ];

  it('logs in once for many GraphQL queries, sequential and concurrent', async () => {
    for (const run of EVO_QUERIES) await run();
    await Promise.all(EVO_QUERIES.map((run) => run()));
    expect(evovoice().count('/ai/usage')).toBeGreaterThanOrEqual(8);
    expect(evovoice().logins).toBe(1);
  });

  it('logs in again, once, after the session expires, and the answer is complete', async () => {
    const before = evovoice().logins;
    evovoice().expireSessions();
    const [data] = await Promise.all(EVO_QUERIES.map((run) => run()));
    expect(data.usage.incomplete).toBe(false);
    expect(evovoice().logins).toBe(before + 1);
    // The month's minutes are all there after the re-login (from the vendor's daily data).
    const { days, accounts, customers, accountOwnDailyMinutes, customerDailyMinutes } = evovoice().data;
    let minutes = 0;
    days.forEach((day, d) => {
      if (day < '2025-01-01' || day > '2025-03-31') return;
      for (const a of accounts) minutes += accountOwnDailyMinutes[a.id][d];
      for (const c of customers) minutes += customerDailyMinutes[c.id][d];
    });
    expect(data.usage.totals).toEqual([{ unit: 'MINUTES', currency: 'USD', quantity: minutes }]);
  });
});

describe('Talkdesk usage for many accounts', () => {
  it('splits 40 accounts over 12 months into filters of at most 1,600 characters and loses no record', async () => {
    const listing = await query('{ organisations(filter: { vendors: [TALKDESK] }) { edges { node { accounts(first: 500) { edges { node { id externalId } } } } } } }');
    const accounts = listing.organisations.edges[0].node.accounts.edges.map((e: any) => e.node).slice(0, 40);
    expect(accounts).toHaveLength(40);
    talkdesk().resetLog();
    const data = await query(
      `query($ids: [ID!]) { usage(filter: { from: "2025-01", to: "2025-12", accountIds: $ids }, groupBy: [ACCOUNT, UNIT, CURRENCY]) {
        incomplete rows { account { externalId } unit currency quantity amount } } }`,
      { ids: accounts.map((a: any) => a.id) },
    );
    expect(data.usage.incomplete).toBe(false);

    const calls = talkdesk().requests.filter((r) => r.path === '/express/usage/month');
    const filters = new Set(calls.map((r) => r.query.filter));
    expect(filters.size).toBeGreaterThan(1);
    for (const call of calls) expect(call.query.filter.length).toBeLessThanOrEqual(1600);
    expect(calls.every((r) => r.status === 200)).toBe(true);

    const wanted = new Set(accounts.map((a: any) => a.externalId));
    const sums = new Map<string, { quantity: Decimal; amount: Decimal }>();
    for (const u of talkdesk().data.usage) {
      if (!wanted.has(u.account_id) || u.month < '2025-01' || u.month > '2025-12') continue;
      const key = `${u.account_id}|${u.unit}|${u.currency}`;
      const sum = sums.get(key) ?? { quantity: new Decimal(0), amount: new Decimal(0) };
      sum.quantity = sum.quantity.plus(u.number_of_units);
      sum.amount = sum.amount.plus(String(u.total_amount));
      sums.set(key, sum);
    }
    const expected = [...sums].map(([key, s]) => {
      const [account, unit, currency] = key.split('|');
      return { account: { externalId: account }, unit, currency, quantity: s.quantity.toNumber(), amount: s.amount.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber() };
    });
    const order = (r: any) => `${r.account.externalId}|${r.unit}|${r.currency}`;
    const byKey = (a: any, b: any) => order(a).localeCompare(order(b));
    expect(new Set(expected.map((r) => r.account.externalId)).size).toBe(40);
    expect([...data.usage.rows].sort(byKey)).toEqual(expected.sort(byKey));
  });
});
