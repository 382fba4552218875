import { Agent } from 'undici';
import { UpstreamError } from '../../src/errors';
import { monthsBetween } from '../../src/usage/month';
import { toDecimal } from '../../src/usage/money';
import { createTalkdeskConnector } from '../../src/vendors/talkdesk/client';
import { startTalkdeskSimulator, type TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';
import type { TalkdeskConnectionConfig } from '../../src/config/schema';
import type { ConnectorDeps } from '../../src/vendors/deps';
import { testConnectorDeps } from '../helpers/connector-deps';

const UNTIL = new Date('2026-11-22T12:00:00Z');
let sim: TalkdeskSimulator;
let agent: Agent;

function deps(now: () => Date = () => new Date()): ConnectorDeps {
  return testConnectorDeps(agent, { now });
}
function connector(config: Partial<TalkdeskConnectionConfig> = {}, onSim = sim, now?: () => Date) {
  return createTalkdeskConnector({ ...onSim.connectionConfig('td'), ...config }, deps(now));
}
async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UpstreamError);
    return err as UpstreamError;
  }
  throw new Error('expected the call to fail');
}
const usageCalls = (s: TalkdeskSimulator) => s.requests.filter((r) => r.path === '/express/usage/month');

beforeAll(async () => {
  sim = await startTalkdeskSimulator({ until: UNTIL });
  agent = new Agent();
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});
beforeEach(() => {
  sim.clearFaults();
  sim.resetLog();
});

describe('Talkdesk connector over HTTP', () => {
  it('reports one organisation named after the connection', async () => {
    expect(await connector().organisations()).toEqual([{ vendor: 'TALKDESK', connection: 'td', externalId: 'td', name: 'td', disabled: false }]);
  });

  it('lists every account once, with its name, under the connection', async () => {
    const accounts = await connector().accounts();
    expect(accounts.map((a) => [a.externalId, a.name, a.organisationExternalId])).toEqual(sim.data.accounts.map((a) => [a.id, a.name, 'td']));
    expect(accounts.some((a) => a.name?.includes("'"))).toBe(true);
    expect(sim.requests.filter((r) => r.path === '/express/accounts').map((r) => r.query)).toEqual([{ page: '1', per_page: '250' }]);
  });

  it('fetches the remaining account pages concurrently when there are more than 250 accounts', async () => {
    const big = await startTalkdeskSimulator({ until: UNTIL, accounts: 600 });
    try {
      const accounts = await connector({}, big).accounts();
      expect(accounts.map((a) => a.externalId)).toEqual(big.data.accounts.map((a) => a.id));
      expect(big.requests.filter((r) => r.path === '/express/accounts').map((r) => r.query.page).sort()).toEqual(['1', '2', '3']);
    } finally {
      await big.close();
    }
  });

  it('returns every usage record exactly once across more than 250 records, pages 2..n fetched by number', async () => {
    const records = await connector().usage({ from: '2025-01', to: '2026-11', timeZone: 'UTC' });
    const expected = sim.data.usage;
    expect(expected.length).toBeGreaterThan(1000);
    expect(records).toHaveLength(expected.length);
    const key = (r: { month: string; accountExternalId: string | null; productId: string | null; quantity: string }) =>
      `${r.month}/${r.accountExternalId}/${r.productId}/${r.quantity}`;
    expect(records.map(key)).toEqual(expected.map((u) => key({ month: u.month, accountExternalId: u.account_id, productId: u.product_id, quantity: String(u.number_of_units) })));
    const pages = usageCalls(sim).map((r) => r.query);
    const pageCount = Math.ceil(expected.length / 250);
    expect(pages.map((q) => Number(q.page)).sort((a, b) => a - b)).toEqual(Array.from({ length: pageCount }, (_, i) => i + 1));
    expect(new Set(pages.map((q) => q.per_page))).toEqual(new Set(['250']));
    expect(new Set(pages.map((q) => q.filter)).size).toBe(1);
  });

  it('asks for 40 accounts over 12 months with filters of at most 1,600 characters and gets exactly their records', async () => {
    const accountIds = sim.data.accounts.slice(0, 40).map((a) => a.id);
    const months = monthsBetween('2025-06', '2026-05');
    const records = await connector().usage({ from: '2025-06', to: '2026-05', timeZone: 'UTC', accountIds });

    const filters = new Set(usageCalls(sim).map((r) => r.query.filter));
    expect(filters.size).toBeGreaterThan(1);
    for (const f of filters) expect(f.length).toBeLessThanOrEqual(1600);

    const wanted = new Set(accountIds);
    const expected = sim.data.usage.filter((u) => wanted.has(u.account_id) && months.includes(u.month));
    // Record ids are not part of the normalised row: identify a record by what the user sees.
    const key = (month: string, account: string | null, product: string | null, units: string) => `${month}/${account}/${product}/${units}`;
    const got = records.map((r) => key(r.month, r.accountExternalId, r.productId, r.quantity)).sort();
    expect(got).toEqual(expected.map((u) => key(u.month, u.account_id, u.product_id, toDecimal(u.number_of_units))).sort());
    expect(new Set(got).size).toBe(got.length);
  });

  it('keeps every field of a usage record', async () => {
    const wire = sim.data.usage.find((u) => u.direction !== null && u.resolution !== null && u.month === '2026-02')!;
    const records = await connector().usage({ from: '2026-02', to: '2026-02', timeZone: 'UTC', accountIds: [wire.account_id] });
    const row = records.find((r) => r.productId === wire.product_id)!;
    expect(row).toEqual({
      month: wire.month,
      vendor: 'TALKDESK',
      connection: 'td',
      organisationExternalId: 'td',
      accountExternalId: wire.account_id,
      botExternalId: null,
      customerExternalId: null,
      channel: null,
      type: wire.type,
      unit: wire.unit,
      quantity: String(wire.number_of_units),
      unitPrice: String(wire.price),
      amount: String(wire.total_amount),
      currency: wire.currency,
      productId: wire.product_id,
      aggregateProductId: wire.aggr_product_id,
      description: wire.description,
      direction: wire.direction,
      resolution: wire.resolution,
      wallet: wire.wallet_name,
    });
    const numberRow = records.find((r) => r.type === 'NUMBER')!;
    expect([numberRow.direction, numberRow.resolution]).toEqual([null, null]);
  });

  it('answers the methods Talkdesk has no concept for with empty lists, without calling it', async () => {
    const c = connector();
    const range = { from: '2025-01', to: '2025-12', timeZone: 'UTC' };
    expect(await c.bots()).toEqual([]);
    expect(await c.customers(['x'])).toEqual([]);
    expect(await c.customerUsage(range)).toEqual([]);
    expect(await c.billingSessions({ from: new Date(0), to: UNTIL })).toEqual([]);
    expect(sim.count()).toBe(0);
  });
});

describe('Talkdesk tokens', () => {
  it('fetches the token once for many concurrent calls', async () => {
    const before = sim.tokensIssued;
    const c = connector();
    await Promise.all([
      c.accounts(),
      c.usage({ from: '2025-01', to: '2026-11', timeZone: 'UTC' }),
      c.usage({ from: '2026-01', to: '2026-03', timeZone: 'UTC' }),
    ]);
    expect(sim.tokensIssued - before).toBe(1);
    expect(sim.count('/oauth/token')).toBe(1);
    const token = sim.requests.find((r) => r.path === '/oauth/token')!;
    expect(token.method).toBe('POST');
    expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'express-accounts-usage:read express-accounts:read',
    });
  });

  it('fetches a new token before the old one expires, by the connector clock', async () => {
    let offsetMs = 0;
    const c = connector({}, sim, () => new Date(Date.now() + offsetMs));
    await c.accounts();
    await c.accounts();
    expect(sim.count('/oauth/token')).toBe(1);
    offsetMs = 3541_000; // inside the last 60 s of the 3600 s token
    await c.accounts();
    expect(sim.count('/oauth/token')).toBe(2);
    expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('fetches a new token after a short-lived one really expired', async () => {
    const shortLived = await startTalkdeskSimulator({ until: UNTIL, accounts: 3, tokenTtlSeconds: 2 });
    try {
      const c = connector({}, shortLived);
      await c.accounts();
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await c.accounts();
      expect(shortLived.tokensIssued).toBe(2);
      expect(shortLived.requests.filter((r) => r.status === 401)).toHaveLength(0);
    } finally {
      await shortLived.close();
    }
  });

  it('after the vendor revokes its token, gets one 401, fetches a new token once and succeeds', async () => {
    const c = connector();
    await c.accounts();
    const before = sim.tokensIssued;
    sim.expireTokens();
    sim.resetLog();
    const accounts = await c.accounts();
    expect(accounts).toHaveLength(sim.data.accounts.length);
    expect(sim.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(sim.tokensIssued - before).toBe(1);
  });

  it('gives up with UPSTREAM_UNAUTHORIZED when the new token is refused too', async () => {
    const c = connector();
    await c.accounts();
    sim.resetLog();
    sim.inject({ path: '/express/accounts', status: 401, body: { code: '0401001', message: 'Unauthorized' }, times: 2 });
    const err = await failure(c.accounts());
    expect(err.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(sim.count('/oauth/token')).toBe(1);
    expect(sim.count('/express/accounts')).toBe(2);
  });

  it('reports bad client credentials as UPSTREAM_UNAUTHORIZED without the secret', async () => {
    const secret = 'wrong-secret-3f9a7c';
    const err = await failure(connector({ clientSecret: secret }).usage({ from: '2025-01', to: '2025-02', timeZone: 'UTC' }));
    expect(err.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain(Buffer.from(`${sim.connectionConfig('td').clientId}:${secret}`).toString('base64'));
    expect(sim.count('/express')).toBe(0);
  });
});

describe('Talkdesk failures', () => {
  const range = { from: '2025-01', to: '2025-12', timeZone: 'UTC' };

  it('reports a vendor that keeps answering 500 as UPSTREAM_UNAVAILABLE', async () => {
    sim.inject({ path: '/express/usage', status: 500, times: Infinity });
    expect((await failure(connector().usage(range))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('reports a token endpoint that keeps answering 500 as UPSTREAM_UNAVAILABLE', async () => {
    sim.inject({ status: 500, times: Infinity });
    expect((await failure(connector().accounts())).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('reports a truncated JSON body as UPSTREAM_BAD_RESPONSE', async () => {
    sim.inject({ path: '/express/usage', malformed: true });
    expect((await failure(connector().usage(range))).code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('reports a body of the wrong shape as UPSTREAM_BAD_RESPONSE naming the field', async () => {
    sim.inject({ path: '/express/usage', status: 200, body: { _embedded: { usage: [{ id: 'x' }] }, _links: {} } });
    const err = await failure(connector().usage(range));
    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(err.message).toMatch(/_embedded\.usage\.0\.account_id/);
  });

  it('reports an account outside the organisation as UPSTREAM_FORBIDDEN with the vendor code', async () => {
    const err = await failure(connector().usage({ ...range, accountIds: ['ffffffffffffffffffffffff'] }));
    expect(err.code).toBe('UPSTREAM_FORBIDDEN');
    expect(err.message).toContain('0403001');
  });

  it('serves a supplied dataset in place of the seeded one', async () => {
    const wire = { ...sim.data.usage[0], id: 'given-1', account_id: 'abcdefabcdefabcdefabcdef', month: '2025-04', price: 0.2, number_of_units: 3, total_amount: 0.6 };
    const given = await startTalkdeskSimulator({ until: UNTIL, accounts: 2, usage: [wire] });
    try {
      const records = await connector({}, given).usage({ from: '2025-01', to: '2025-12', timeZone: 'UTC', accountIds: [wire.account_id] });
      expect(records.map((r) => [r.accountExternalId, r.quantity, r.unitPrice, r.amount])).toEqual([[wire.account_id, '3', '0.2', '0.6']]);
    } finally {
      await given.close();
    }
  });
});
