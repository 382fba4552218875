import { Agent, request } from 'undici';
import { startTalkdeskSimulator, type TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';

/** The simulator enforces Talkdesk's contract, so the connector's tests mean something. */

const UNTIL = new Date('2026-11-22T12:00:00Z');
let sim: TalkdeskSimulator;
let agent: Agent;
let token: string;

async function call(path: string, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}) {
  const res = await request(`${sim.url}${path}`, { dispatcher: agent, method: init.method ?? 'GET', headers: init.headers, body: init.body });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
}
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const tokenRequest = (authorization: string, body = 'grant_type=client_credentials&scope=express-accounts-usage%3Aread') =>
  call('/oauth/token', { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body });
const usage = (query: string) => call(`/express/usage/month?${query}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  sim = await startTalkdeskSimulator({ until: UNTIL });
  agent = new Agent();
  const { clientId, clientSecret } = sim.connectionConfig('td');
  token = (await tokenRequest(basic(clientId, clientSecret))).body.access_token;
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

describe('Talkdesk simulator', () => {
  it('seeds 45 accounts, one with an apostrophe, and thousands of records from 2025-01 to the month of until', () => {
    expect(sim.data.accounts).toHaveLength(45);
    expect(sim.data.accounts.every((a) => /^[0-9a-f]{24}$/.test(a.id))).toBe(true);
    expect(sim.data.accounts.some((a) => a.name?.includes("'"))).toBe(true);
    const months = [...new Set(sim.data.usage.map((u) => u.month))].sort();
    expect([months[0], months[months.length - 1], months.length]).toEqual(['2025-01', '2026-11', 23]);
    expect(new Set(sim.data.usage.map((u) => u.currency))).toEqual(new Set(['USD', 'EUR']));
    expect(sim.data.usage.some((u) => u.direction === null)).toBe(true);
    expect(sim.data.usage.some((u) => u.resolution === null)).toBe(true);
  });

  it('seeds the same data for the same seed and until', async () => {
    const twin = await startTalkdeskSimulator({ until: UNTIL });
    try {
      expect(twin.data).toEqual(sim.data);
      expect(twin.connectionConfig('td').clientSecret).not.toBe(sim.connectionConfig('td').clientSecret);
    } finally {
      await twin.close();
    }
  });

  it.each([
    ['wrong client credentials', () => basic('someone', 'else'), undefined, 401],
    ['another grant type', () => basic(sim.connectionConfig('x').clientId, sim.connectionConfig('x').clientSecret), 'grant_type=password', 400],
    ['an unknown scope', () => basic(sim.connectionConfig('x').clientId, sim.connectionConfig('x').clientSecret), 'grant_type=client_credentials&scope=admin', 400],
  ])('refuses a token request with %s', async (_name, authorization, body, status) => {
    const res = await tokenRequest(authorization(), body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), fields: expect.any(Array) }));
  });

  it('refuses an API call without a valid bearer token with Talkdesk\'s 401 body', async () => {
    const res = await call('/express/accounts', { headers: { authorization: 'Bearer nope' } });
    expect(res).toEqual({ status: 401, body: expect.objectContaining({ code: '0401001', message: 'Unauthorized' }) });
  });

  it.each([
    ['page 0', 'page=0', ['page']],
    ['per_page 251', 'per_page=251', ['per_page']],
    ['per_page 0 and page x', 'per_page=0&page=x', ['page', 'per_page']],
  ])('answers 400 naming the fields for %s', async (_name, query, fields) => {
    const res = await usage(query);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { name: string }) => f.name)).toEqual(fields);
  });

  it('serves 50 records per page by default, with HAL links and no next on the last page', async () => {
    const first = await usage('');
    expect(first.body).toMatchObject({ total: sim.data.usage.length, count: 50, page: 1, per_page: 50 });
    expect(first.body._links.next.href).toContain('page=2');
    expect(first.body._links.prev).toBeUndefined();
    const last = await usage(`page=${first.body.total_pages}`);
    expect(last.body._links.next).toBeUndefined();
    expect(last.body._links.prev.href).toContain(`page=${first.body.total_pages - 1}`);
  });

  it('parses the filter for real: parentheses, and/or, escaped quotes', async () => {
    const [a, b] = sim.data.accounts;
    const filter = `(month eq '2025-03' or month eq '2025-04') and (account_id eq '${a.id}' or account_id eq '${b.id}')`;
    const res = await usage(`per_page=250&filter=${encodeURIComponent(filter)}`);
    const expected = sim.data.usage.filter((u) => ['2025-03', '2025-04'].includes(u.month) && [a.id, b.id].includes(u.account_id));
    expect(res.body._embedded.usage.map((u: { id: string }) => u.id)).toEqual(expected.map((u) => u.id));
  });

  it.each([
    ['a malformed filter', "month eq '2025-03' and", 400],
    ['a filter over 1,600 characters', Array.from({ length: 100 }, () => "month eq '2025-03'").join(' or '), 400],
    ['a month that is not YYYY-MM', "month eq 'March'", 400],
    ['an account outside the organisation', "account_id eq 'o\\'brien'", 403],
  ])('refuses %s', async (_name, filter, status) => {
    const res = await usage(`filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(status);
    expect(res.body.code).toMatch(/^0\d{6}$/);
  });

  it('revokes every token on expireTokens()', async () => {
    const { clientId, clientSecret } = sim.connectionConfig('td');
    const fresh = (await tokenRequest(basic(clientId, clientSecret))).body.access_token;
    sim.expireTokens();
    const res = await call('/express/accounts', { headers: { authorization: `Bearer ${fresh}` } });
    expect(res.status).toBe(401);
    token = (await tokenRequest(basic(clientId, clientSecret))).body.access_token;
  });
});
