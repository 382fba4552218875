import { apiKeySha256 } from '../../src/security/api-keys';
import { startTestApp, type TestApp } from '../helpers/app';
import { graphqlRaw, vendorRequestCount, withClients } from '../helpers/security';

const ANALYST_KEY = 'analyst-key-0123456789abcdef';
const PARTNER_KEY = 'partner-key-fedcba9876543210';
const QUERY = '{ connections { name } }';

let app: TestApp;
let open: TestApp;
beforeAll(async () => {
  [app, open] = await Promise.all([
    startTestApp({
      configure: (config) =>
        withClients(config, [
          { name: 'analysts', apiKey: ANALYST_KEY, connections: '*' },
          // The partner's key is configured only as its hash.
          { name: 'partner', apiKeySha256: apiKeySha256(PARTNER_KEY), connections: ['talkdesk-demo'] },
        ]),
    }),
    startTestApp(),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.close(), open?.close()]);
});

describe('API keys', () => {
  it.each([
    ['POST', 'no key', {}],
    ['POST', 'an unknown key', { 'x-api-key': 'not-a-key-of-anyone-at-all' }],
    ['POST', 'an unknown bearer token', { authorization: 'Bearer not-a-key-of-anyone-at-all' }],
    ['GET', 'no key', {}],
    ['GET', 'an unknown key', { 'x-api-key': 'not-a-key-of-anyone-at-all' }],
  ] as const)('answers %s with %s 401 UNAUTHENTICATED, no data and no vendor call', async (method, _what, headers) => {
    const before = vendorRequestCount(app.vendors);
    const res = await graphqlRaw(app.url, method === 'GET' ? { method, headers, search: { query: '{ organisations { totalCount } }' } } : { headers, body: { query: '{ organisations { totalCount } }' } });
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(vendorRequestCount(app.vendors)).toBe(before);
  });

  it('answers a valid key in x-api-key on POST and GET', async () => {
    const post = await graphqlRaw(app.url, { headers: { 'x-api-key': ANALYST_KEY }, body: { query: QUERY } });
    const get = await graphqlRaw(app.url, { method: 'GET', headers: { 'x-api-key': ANALYST_KEY }, search: { query: QUERY } });
    for (const res of [post, get]) {
      expect(res.status).toBe(200);
      expect(res.body.data.connections.map((c: { name: string }) => c.name)).toEqual(['kore-demo', 'cognigy-demo', 'evo-demo', 'talkdesk-demo']);
    }
  });

  it('answers a valid key sent as Authorization: Bearer, on POST and GET', async () => {
    const post = await graphqlRaw(app.url, { headers: { authorization: `Bearer ${ANALYST_KEY}` }, body: { query: QUERY } });
    const get = await graphqlRaw(app.url, { method: 'GET', headers: { authorization: `Bearer ${ANALYST_KEY}` }, search: { query: QUERY } });
    expect([post.status, get.status]).toEqual([200, 200]);
    expect(post.body.data.connections).toHaveLength(4);
    expect(get.body.data.connections).toHaveLength(4);
  });

  it('knows a client whose key is configured only as apiKeySha256', async () => {
    const res = await graphqlRaw(app.url, { headers: { 'x-api-key': PARTNER_KEY }, body: { query: QUERY } });
    expect(res.status).toBe(200);
    expect(res.body.data.connections).toEqual([{ name: 'talkdesk-demo' }]);
  });

  it('asks no key when no clients are configured', async () => {
    const res = await graphqlRaw(open.url, { body: { query: QUERY } });
    expect(res.status).toBe(200);
    expect(res.body.data.connections).toHaveLength(4);
  });

  it('needs no key for /healthz, /readyz and the GraphiQL page, whose header editor offers x-api-key', async () => {
    const { request } = await import('undici');
    for (const path of ['/healthz', '/readyz']) expect((await request(`${app.url}${path}`)).statusCode).toBe(200);
    const page = await request(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    const html = await page.body.text();
    expect(html).toContain('defaultHeaders');
    expect(html).toContain('x-api-key');
  });
});

describe('request ids', () => {
  it('returns the caller\'s sane x-request-id, also on a refusal', async () => {
    const ok = await graphqlRaw(app.url, { headers: { 'x-api-key': ANALYST_KEY, 'x-request-id': 'trace-abc.123_X' }, body: { query: QUERY } });
    const refused = await graphqlRaw(app.url, { headers: { 'x-request-id': 'trace-refused-1' }, body: { query: QUERY } });
    expect(ok.headers['x-request-id']).toBe('trace-abc.123_X');
    expect(refused.status).toBe(401);
    expect(refused.headers['x-request-id']).toBe('trace-refused-1');
  });

  it('replaces an x-request-id that is not sane by one of its own', async () => {
    const res = await graphqlRaw(app.url, { headers: { 'x-api-key': ANALYST_KEY, 'x-request-id': 'bad id with spaces and "quotes"' }, body: { query: QUERY } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
