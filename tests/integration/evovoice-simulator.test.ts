import { Agent, request } from 'undici';
import { startEvovoiceSimulator, type EvovoiceSimulator } from '../../src/vendors/evovoice/simulator';

// The simulator enforces Evovoice's contract; these talk to it directly over HTTP.

const agent = new Agent();
let sim: EvovoiceSimulator;

async function call(method: 'GET' | 'POST', path: string, options: { cookie?: string; body?: unknown } = {}) {
  const res = await request(`${sim.url}${path}`, {
    method,
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...(options.cookie ? { cookie: options.cookie } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, any> };
}

async function logIn(): Promise<string> {
  const { username, password } = sim.connectionConfig('x');
  const res = await call('POST', '/auth/credentials', { body: { provider: 'credentials', userName: username, password, rememberMe: true } });
  const cookies = res.headers['set-cookie'] as string[];
  return cookies.map((c) => c.split(';')[0]).join('; ');
}

beforeAll(async () => {
  sim = await startEvovoiceSimulator({ seed: 2, until: new Date('2025-06-15T08:00:00Z'), sessionTtlMs: 200 });
});

afterAll(async () => {
  await sim.close();
  await agent.close();
});

describe('Evovoice simulator', () => {
  it('seeds 6 accounts with 2 to 6 customers each, the same for the same seed and until', async () => {
    expect(sim.data.accounts).toHaveLength(6);
    for (const a of sim.data.accounts) {
      const count = sim.data.customers.filter((c) => c.accountId === a.id).length;
      expect(count).toBeGreaterThanOrEqual(2);
      expect(count).toBeLessThanOrEqual(6);
    }
    expect(sim.data.days[0]).toBe('2025-01-01');
    expect(sim.data.days[sim.data.days.length - 1]).toBe('2025-06-15');
    const twin = await startEvovoiceSimulator({ seed: 2, until: new Date('2025-06-15T08:00:00Z') });
    expect(twin.data).toEqual(sim.data);
    await twin.close();
  });

  it('sets ss-id and ss-pid cookies on login and refuses wrong credentials with a responseStatus body', async () => {
    const cookie = await logIn();
    expect(cookie).toMatch(/^ss-id=[^;]+; ss-pid=[^;]+$/);
    const refused = await call('POST', '/auth/credentials', { body: { provider: 'credentials', userName: 'someone', password: 'nope' } });
    expect(refused.status).toBe(401);
    expect(refused.body.responseStatus.errorCode).toBe('Unauthorized');
  });

  it('answers 401 without a session and after the session expires', async () => {
    expect((await call('GET', '/accounts')).status).toBe(401);
    const cookie = await logIn();
    expect((await call('GET', '/accounts', { cookie })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await call('GET', '/accounts', { cookie })).status).toBe(401);
  });

  it.each([
    ['without startDate', '/ai/usage?endDate=2025-01-31', 'StartDate'],
    ['with an impossible endDate', '/ai/usage?startDate=2025-02-01&endDate=2025-02-30', 'EndDate'],
    ['with countPerPage above 100', '/accounts?page=0&countPerPage=101', 'CountPerPage'],
    ['with countPerPage 0', '/customers?page=0&countPerPage=0', 'CountPerPage'],
  ])('answers 400 %s, naming the field', async (_, path, fieldName) => {
    const res = await call('GET', path, { cookie: await logIn() });
    expect(res.status).toBe(400);
    expect(res.body.responseStatus.errors[0].fieldName).toBe(fieldName);
  });

  it('sums both dates inclusively, for GET and POST alike, with account totals that include customers', async () => {
    const cookie = await logIn();
    const get = await call('GET', '/ai/usage?startDate=2025-03-01&endDate=2025-03-02', { cookie });
    const post = await call('POST', '/ai/usage', { cookie, body: { StartDate: '2025-03-01', EndDate: '2025-03-02' } });
    expect(post.body).toEqual(get.body);
    const d = sim.data.days.indexOf('2025-03-01');
    const customer = sim.data.customers[0];
    const minutes = sim.data.customerDailyMinutes[customer.id];
    const row = get.body.customerUsage.find((r: { customerId: string }) => r.customerId === customer.id);
    expect(row?.aiMinutes ?? 0).toBe(minutes[d] + minutes[d + 1]);
    const accountRow = get.body.accountUsage.find((r: { accountId: string }) => r.accountId === customer.accountId);
    expect(accountRow.aiMinutes).toBeGreaterThanOrEqual(row?.aiMinutes ?? 0);
  });

  it('filters by accountId and customerId', async () => {
    const cookie = await logIn();
    const customer = sim.data.customers[3];
    const res = await call('GET', `/ai/usage?startDate=2025-01-01&endDate=2025-06-30&customerId=${customer.id}`, { cookie });
    expect(res.body.customerUsage.map((r: { customerId: string }) => r.customerId)).toEqual([customer.id]);
    expect(res.body.accountUsage.map((r: { accountId: string }) => r.accountId)).toEqual([customer.accountId]);
    const byAccount = await call('GET', `/ai/usage?startDate=2025-01-01&endDate=2025-06-30&accountId=${customer.accountId}`, { cookie });
    expect(new Set(byAccount.body.customerUsage.map((r: { accountId: string }) => r.accountId))).toEqual(new Set([customer.accountId]));
  });

  it('pages customers from 0 with totalCount and hasMorePages', async () => {
    const cookie = await logIn();
    const first = await call('GET', '/customers?page=0&countPerPage=5', { cookie });
    const total = sim.data.customers.length;
    expect(first.body).toMatchObject({ totalCount: total, hasMorePages: total > 5 });
    expect(first.body.items).toEqual(sim.data.customers.slice(0, 5));
    const last = await call('GET', `/customers?page=${Math.ceil(total / 5) - 1}&countPerPage=5`, { cookie });
    expect(last.body.hasMorePages).toBe(false);
  });
});
