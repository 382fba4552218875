import { Agent } from 'undici';
import { UpstreamError } from '../../src/errors';
import { silentLogger } from '../../src/logger';
import { configSchema } from '../../src/config/schema';
import { connectionScope, createSharedCache } from '../../src/upstream/cache';
import { createEvovoiceConnector } from '../../src/vendors/evovoice/client';
import { startEvovoiceSimulator, type EvovoiceSimData, type EvovoiceSimulator } from '../../src/vendors/evovoice/simulator';
import type { EvovoiceConnectionConfig } from '../../src/config/schema';
import type { UsageRecord } from '../../src/model';
import type { VendorConnector } from '../../src/vendors/types';
import { testConnectorDeps } from '../helpers/connector-deps';

// A fixed `until` past February 2028 keeps the data deterministic and includes a leap day.
const UNTIL = new Date('2028-03-10T12:00:00Z');
const YEAR_2025 = { from: '2025-01', to: '2025-12', timeZone: 'UTC' };

const agent = new Agent();
const connect = (config: EvovoiceConnectionConfig): VendorConnector =>
  createEvovoiceConnector(config, testConnectorDeps(agent));

/** Minutes in a month computed straight from the seeded days, without map.ts. */
function monthMinutes(data: EvovoiceSimData, daily: readonly number[], month: string): number {
  return data.days.reduce((sum, day, i) => (day.startsWith(month) ? sum + daily[i] : sum), 0);
}

function accountMonthMinutes(data: EvovoiceSimData, accountId: string, month: string): number {
  const own = monthMinutes(data, data.accountOwnDailyMinutes[accountId], month);
  const customers = data.customers.filter((c) => c.accountId === accountId);
  return customers.reduce((sum, c) => sum + monthMinutes(data, data.customerDailyMinutes[c.id], month), own);
}

const months2025 = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const byKey = (r: UsageRecord) => `${r.month}|${r.accountExternalId}|${r.customerExternalId}`;
const sorted = (rows: UsageRecord[]) => [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)));

let sim: EvovoiceSimulator;

beforeAll(async () => {
  sim = await startEvovoiceSimulator({ seed: 2, until: UNTIL });
});

afterAll(async () => {
  await sim.close();
  await agent.close();
});

beforeEach(() => {
  sim.clearFaults();
  sim.resetLog();
});

describe('Evovoice connector against its simulator', () => {
  it('reports the connection as its one organisation', async () => {
    const organisations = await connect(sim.connectionConfig('evo-main')).organisations();
    expect(organisations).toEqual([{ vendor: 'EVOVOICE', connection: 'evo-main', externalId: 'evo-main', name: 'evo-main', disabled: false }]);
  });

  it('lists every account and every customer once, under the connection organisation', async () => {
    const connector = connect(sim.connectionConfig('evo-main'));
    const accounts = await connector.accounts();
    expect(accounts).toEqual(
      sim.data.accounts.map((a) => ({ vendor: 'EVOVOICE', connection: 'evo-main', organisationExternalId: 'evo-main', externalId: a.id, name: a.name })),
    );
    const customers = await connector.customers(accounts.map((a) => a.externalId));
    expect(customers).toEqual(
      sim.data.customers.map((c) => ({ vendor: 'EVOVOICE', connection: 'evo-main', accountExternalId: c.accountId, externalId: c.id, name: c.name })),
    );
  });

  it('logs in once for many concurrent calls and reuses the session', async () => {
    const connector = connect(sim.connectionConfig('evo-once'));
    const before = sim.logins;
    await Promise.all([connector.accounts(), connector.usage(YEAR_2025), connector.customerUsage(YEAR_2025)]);
    await connector.accounts();
    expect(sim.logins - before).toBe(1);
    expect(sim.count('/auth/credentials')).toBe(1);
    expect(sim.requests.filter((r) => r.path !== '/auth/credentials').every((r) => /ss-id=[^;]+; ss-pid=/.test(String(r.headers.cookie)))).toBe(true);
  });

  it('logs in again once after the session expires and the call still succeeds', async () => {
    const connector = connect(sim.connectionConfig('evo-relogin'));
    await connector.accounts();
    const loginsBefore = sim.logins;
    sim.expireSessions();
    sim.resetLog();

    const accounts = await connector.accounts();

    expect(accounts).toHaveLength(sim.data.accounts.length);
    expect(sim.logins - loginsBefore).toBe(1);
    expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(sim.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/accounts 401', '/auth/credentials 200', '/accounts 200']);
  });

  it('asks once per calendar month with its first and last day, for every account at once', async () => {
    await connect(sim.connectionConfig('evo-main')).usage(YEAR_2025);

    const calls = sim.requests.filter((r) => r.path === '/ai/usage');
    expect(calls).toHaveLength(12);
    const params = calls.map((r) => r.query).sort((a, b) => a.startDate.localeCompare(b.startDate));
    expect(params[0]).toEqual({ startDate: '2025-01-01', endDate: '2025-01-31' });
    expect(params[1]).toEqual({ startDate: '2025-02-01', endDate: '2025-02-28' });
    expect(params[3]).toEqual({ startDate: '2025-04-01', endDate: '2025-04-30' });
    expect(params[11]).toEqual({ startDate: '2025-12-01', endDate: '2025-12-31' });
    expect(calls.every((r) => !('accountId' in r.query))).toBe(true);
  });

  it('ends a leap-year February on the 29th and counts that day', async () => {
    const rows = await connect(sim.connectionConfig('evo-main')).usage({ from: '2028-02', to: '2028-02', timeZone: 'UTC' });
    expect(sim.requests.find((r) => r.path === '/ai/usage')?.query).toEqual({ startDate: '2028-02-01', endDate: '2028-02-29' });
    const first = sim.data.accounts[0].id;
    expect(rows.find((r) => r.accountExternalId === first)?.quantity).toBe(String(accountMonthMinutes(sim.data, first, '2028-02')));
  });

  it('reports each account total per month as the sum of its customers and its own minutes', async () => {
    const rows = await connect(sim.connectionConfig('evo-main')).usage(YEAR_2025);

    const expected = months2025.flatMap((month) =>
      sim.data.accounts
        .map((a) => ({ month, account: a.id, minutes: accountMonthMinutes(sim.data, a.id, month) }))
        .filter((e) => e.minutes > 0),
    );
    expect(rows).toHaveLength(expected.length);
    for (const e of expected) {
      const row = rows.find((r) => r.month === e.month && r.accountExternalId === e.account);
      expect(row).toMatchObject({ type: 'AI_MINUTES', unit: 'MINUTES', quantity: String(e.minutes), organisationExternalId: 'evo-main', customerExternalId: null });
    }
  });

  it('reports customer minutes only from customer usage, never among the account rows', async () => {
    const connector = connect(sim.connectionConfig('evo-main'));
    const [accountRows, customerRows] = await Promise.all([connector.usage(YEAR_2025), connector.customerUsage(YEAR_2025)]);

    expect(accountRows.every((r) => r.customerExternalId === null)).toBe(true);
    const expected = months2025.flatMap((month) =>
      sim.data.customers
        .map((c) => ({ month, accountExternalId: c.accountId, customerExternalId: c.id, quantity: String(monthMinutes(sim.data, sim.data.customerDailyMinutes[c.id], month)) }))
        .filter((e) => e.quantity !== '0'),
    );
    expect(customerRows.map((r) => ({ month: r.month, accountExternalId: r.accountExternalId, customerExternalId: r.customerExternalId, quantity: r.quantity }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(customerRows).toHaveLength(expected.length);
  });

  it('shares the twelve monthly calls between account and customer usage asked together, through the upstream cache', async () => {
    const cacheConfig = configSchema.parse({ connections: [sim.connectionConfig('evo-main')] }).cache;
    const shared = await createSharedCache(cacheConfig, { logger: silentLogger });
    const config = sim.connectionConfig('evo-main');
    const connector = createEvovoiceConnector(config, testConnectorDeps(agent, { cache: { shared, scope: connectionScope(config), policy: cacheConfig, staleMaxAgeSeconds: cacheConfig.staleMaxAgeSeconds } }));
    sim.resetLog();
    await Promise.all([connector.usage(YEAR_2025), connector.customerUsage(YEAR_2025)]);
    expect(sim.count('/ai/usage')).toBe(12);
    await shared.close();
  });

  it('keeps only the asked accounts while still asking once per month for all', async () => {
    const wanted = sim.data.accounts[1].id;
    const connector = connect(sim.connectionConfig('evo-main'));
    const rows = await connector.usage({ ...YEAR_2025, accountIds: [wanted] });
    const customerRows = await connector.customerUsage({ ...YEAR_2025, accountIds: [wanted] });

    expect(new Set(rows.map((r) => r.accountExternalId))).toEqual(new Set([wanted]));
    expect(customerRows.length).toBeGreaterThan(0);
    expect(customerRows.every((r) => r.accountExternalId === wanted)).toBe(true);
    expect(sim.requests.filter((r) => r.path === '/ai/usage').every((r) => !('accountId' in r.query))).toBe(true);
  });

  it('gives the same records when the vendor answers in PascalCase', async () => {
    const pascal = await startEvovoiceSimulator({ seed: 2, until: UNTIL, pascalCase: true });
    try {
      const pascalConnector = connect(pascal.connectionConfig('evo-main'));
      const camelConnector = connect(sim.connectionConfig('evo-main'));
      expect(sorted(await pascalConnector.usage(YEAR_2025))).toEqual(sorted(await camelConnector.usage(YEAR_2025)));
      expect(sorted(await pascalConnector.customerUsage(YEAR_2025))).toEqual(sorted(await camelConnector.customerUsage(YEAR_2025)));
      expect(pascal.requests.find((r) => r.path === '/ai/usage' && r.status === 200)).toBeDefined();
    } finally {
      await pascal.close();
    }
  });
});

describe('Evovoice connector paging', () => {
  let big: EvovoiceSimulator;

  beforeAll(async () => {
    big = await startEvovoiceSimulator({ seed: 7, until: new Date('2025-03-01T00:00:00Z'), accounts: 130 });
  });

  afterAll(() => big.close());

  it('returns each of 130 accounts exactly once across two pages of 100', async () => {
    const accounts = await connect(big.connectionConfig('evo-big')).accounts();

    expect(accounts.map((a) => a.externalId)).toEqual(big.data.accounts.map((a) => a.id));
    expect(new Set(accounts.map((a) => a.externalId)).size).toBe(130);
    const pages = big.requests.filter((r) => r.path === '/accounts').map((r) => r.query);
    expect(pages.sort((a, b) => a.page.localeCompare(b.page))).toEqual([
      { page: '0', countPerPage: '100' },
      { page: '1', countPerPage: '100' },
    ]);
  });

  it('returns each customer of every account exactly once across several pages, asking for at most 50 accounts per request', async () => {
    big.resetLog();
    const connector = connect(big.connectionConfig('evo-big'));
    const accountIds = big.data.accounts.map((a) => a.id);
    const customers = await connector.customers(accountIds);

    expect(customers.map((c) => c.externalId)).toEqual(big.data.customers.map((c) => c.id));
    // Per group of 50 accounts, its customers in pages of 100.
    let expectedRequests = 0;
    for (let i = 0; i < accountIds.length; i += 50) {
      const group = new Set(accountIds.slice(i, i + 50));
      expectedRequests += Math.max(1, Math.ceil(big.data.customers.filter((c) => group.has(c.accountId)).length / 100));
    }
    expect(big.count('/customers')).toBe(expectedRequests);
    expect(big.requests.filter((r) => r.path === '/customers').every((r) => r.query.accountIds.split(',').length <= 50)).toBe(true);
    expect(big.data.customers.length).toBeGreaterThan(200);
  });
});

describe('Evovoice connector failures', () => {
  const rejection = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (err: unknown) => err);

  it('turns rejected credentials into UPSTREAM_UNAUTHORIZED without the password', async () => {
    const config = { ...sim.connectionConfig('evo-bad'), password: 'wrong-secret-Zq81' };
    const err = await rejection(connect(config).accounts());

    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe('UPSTREAM_UNAUTHORIZED');
    expect((err as UpstreamError).message).not.toContain('wrong-secret-Zq81');
    expect((err as UpstreamError).message).toContain('vendor code Unauthorized');
  });

  it('gives up with UPSTREAM_UNAUTHORIZED when the call is refused again after a fresh login', async () => {
    const connector = connect(sim.connectionConfig('evo-refused'));
    await connector.organisations();
    sim.inject({ path: '/accounts', status: 401, body: { responseStatus: { errorCode: 'Unauthorized', message: 'no', errors: [] } }, times: 2 });

    const err = await rejection(connector.accounts());

    expect((err as UpstreamError).code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(sim.count('/accounts')).toBe(2);
    expect(sim.count('/auth/credentials')).toBe(2);
  });

  it('turns a vendor 500 into UPSTREAM_UNAVAILABLE', async () => {
    sim.inject({ path: '/ai/usage', status: 500, times: Infinity });
    const err = await rejection(connect(sim.connectionConfig('evo-main')).usage(YEAR_2025));
    expect((err as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('turns a truncated body into UPSTREAM_BAD_RESPONSE', async () => {
    sim.inject({ path: '/accounts', malformed: true });
    const err = await rejection(connect(sim.connectionConfig('evo-main')).accounts());
    expect((err as UpstreamError).code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('turns a body of the wrong shape into UPSTREAM_BAD_RESPONSE naming the mismatch', async () => {
    sim.inject({ path: '/ai/usage', status: 200, body: { accountUsage: [{ accountId: 'a1', aiMinutes: 'many' }] } });
    const err = await rejection(connect(sim.connectionConfig('evo-main')).usage({ from: '2025-01', to: '2025-01', timeZone: 'UTC' }));
    expect((err as UpstreamError).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((err as UpstreamError).message).toContain('accountUsage[0] "aiMinutes"');
  });
});
