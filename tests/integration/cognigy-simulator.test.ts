import { Agent, request } from 'undici';
import { startCognigySimulator, type CognigySimulator } from '../../src/vendors/cognigy/simulator';

const UNTIL = new Date('2026-11-22T12:00:00Z');
const BILLING = '/new/management/v2.0/billing';
const ORGANISATIONS = '/new/management/v2.0/organisations';
const agent = new Agent();

let sim: CognigySimulator;
let authorization: string;

beforeAll(async () => {
  sim = await startCognigySimulator({ seed: 1, until: UNTIL });
  const { username, password } = sim.connectionConfig('cg');
  authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

/** A raw GET, as any HTTP client would send it. */
async function get(path: string, query: Record<string, string> = {}, auth: string | null = authorization) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth !== null) headers.authorization = auth;
  const res = await request(`${sim.url}${path}?${new URLSearchParams(query)}`, { headers, dispatcher: agent });
  return { status: res.statusCode, contentType: res.headers['content-type'], body: (await res.body.json()) as Record<string, any> };
}

const problemShape = { type: expect.any(String), title: expect.any(String), status: expect.any(Number), detail: expect.any(String), traceId: expect.any(String) };

describe('Cognigy simulator contract', () => {
  it.each([
    ['no credentials', null],
    ['a wrong password', `Basic ${Buffer.from('someone:wrong').toString('base64')}`],
    ['a bearer token', 'Bearer abc'],
  ])('answers 401 with an RFC 7807 body to %s', async (_name, auth) => {
    const res = await get(BILLING, {}, auth);
    expect(res.status).toBe(401);
    expect(res.contentType).toBe('application/problem+json');
    expect(res.body).toEqual({ ...problemShape, title: 'Unauthorized', status: 401 });
  });

  it.each([
    ['limit 101', { limit: '101' }],
    ['limit 0', { limit: '0' }],
    ['a non-numeric limit', { limit: 'ten' }],
    ['a negative skip', { skip: '-1' }],
    ['a malformed next cursor', { next: 'NOT-A-CURSOR' }],
    ['a 23-character cursor', { next: 'c'.repeat(23) }],
    ['a well-formed cursor this API never issued', { previous: 'z'.repeat(24) }],
    ['both next and previous', { next: 'c'.padEnd(24, '0'), previous: 'c'.padEnd(24, '0') }],
    ['an unknown sort field', { sort: 'createdAt:asc' }],
  ])('answers 400 with an RFC 7807 body to %s', async (_name, query) => {
    const res = await get(BILLING, query);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ...problemShape, title: 'Bad Request', status: 400 });
  });

  it('pages 25 items by default with total and cursors, null at the ends', async () => {
    const first = await get(BILLING);
    expect(first.body.items).toHaveLength(25);
    expect(first.body.total).toBe(130);
    expect(first.body.previousCursor).toBeNull();
    expect(first.body.nextCursor).toMatch(/^[a-z0-9]{24}$/);

    const last = await get(BILLING, { limit: '100', skip: '100' });
    expect(last.body.items.map((o: { organisationId: string }) => o.organisationId)).toEqual(sim.data.organisations.slice(100).map((o) => o.organisationId));
    expect(last.body.nextCursor).toBeNull();
  });

  it('returns the page a next cursor points to, and back again with previous', async () => {
    const first = await get(BILLING, { limit: '40' });
    const second = await get(BILLING, { limit: '40', next: first.body.nextCursor });
    expect(second.body.items[0].organisationId).toBe(sim.data.organisations[40].organisationId);
    const back = await get(BILLING, { limit: '40', previous: second.body.previousCursor });
    expect(back.body.items).toEqual(first.body.items);
  });

  it('filters by organisation name, case-insensitively, and sorts by name', async () => {
    const needle = sim.data.organisations[7].name.split(' ')[1];
    const res = await get(BILLING, { filter: needle.toUpperCase(), sort: 'name:desc', limit: '100' });
    const expected = sim.data.organisations.filter((o) => o.name.toLowerCase().includes(needle.toLowerCase())).map((o) => o.name);
    expect(res.body.total).toBe(expected.length);
    expect(res.body.items.map((o: { name: string }) => o.name)).toEqual([...expected].sort((a, b) => b.localeCompare(a)));
  });

  it('lists organisations with id, name and disabled flag only', async () => {
    const res = await get(ORGANISATIONS, { limit: '100', skip: '100' });
    expect(res.body.items).toEqual(sim.data.organisations.slice(100).map(({ organisationId, name, isDisabled }) => ({ organisationId, name, isDisabled })));
    expect(res.body.total).toBe(130);
  });

  it('answers 404 to an unknown route', async () => {
    expect((await get('/new/management/v2.0/nothing')).status).toBe(404);
  });
});

describe('Cognigy simulator data', () => {
  it('seeds 130 organisations, about 10% disabled, with sparse daily history in mixed-case channels', () => {
    const { organisations } = sim.data;
    const disabled = organisations.filter((o) => o.isDisabled).length;
    const entries = organisations.flatMap((o) => o.conversations);
    expect(organisations).toHaveLength(130);
    expect(disabled).toBeGreaterThan(4);
    expect(disabled).toBeLessThan(26);
    expect(new Set(entries.map((c) => c.channel.toLowerCase()))).toEqual(new Set(['webchat3', 'voicegateway2', 'whatsapp', 'teams']));
    expect(entries.some((c) => c.channel !== c.channel.toLowerCase())).toBe(true);
    expect(JSON.stringify(organisations).length).toBeLessThan(2_000_000);
    expect(entries.every((c) => Date.UTC(c.year, c.month - 1, c.day) < UNTIL.getTime())).toBe(true);
  });

  it('is deterministic for a seed and keeps earlier months when until moves on', async () => {
    const same = await startCognigySimulator({ seed: 1, until: UNTIL });
    const later = await startCognigySimulator({ seed: 1, until: new Date('2027-03-01T00:00:00Z') });
    const other = await startCognigySimulator({ seed: 2, until: UNTIL });
    try {
      expect(same.data).toEqual(sim.data);
      const upToUntil = later.data.organisations.map((o) => ({ ...o, conversations: o.conversations.filter((c) => Date.UTC(c.year, c.month - 1, c.day) < UNTIL.getTime()) }));
      expect(upToUntil).toEqual(sim.data.organisations);
      expect(other.data).not.toEqual(sim.data);
      expect(same.connectionConfig('x').password).not.toBe(sim.connectionConfig('x').password);
    } finally {
      await Promise.all([same.close(), later.close(), other.close()]);
    }
  });
});
