import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';

/** One raw HTTP exchange with the running server. */
async function http(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}) {
  const res = await request(url, { method: options.method ?? 'GET', headers: options.headers, body: options.body });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
}

const INTROSPECTION = '{ __schema { queryType { name } } }';

let app: TestApp;
let locked: TestApp;
beforeAll(async () => {
  [app, locked] = await Promise.all([
    startTestApp(),
    startTestApp({ configure: (config) => ({ ...config, server: { ...config.server, introspection: false, graphiql: false } }) }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.close(), locked?.close()]);
});

describe('health endpoints', () => {
  it('answers GET /healthz with 200 while the process is up', async () => {
    const res = await http(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'alive' });
  });

  it('answers GET /readyz with 200 once the server listens', async () => {
    const res = await http(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    // Ready without Redis, and the details say which cache tiers there are.
    expect(JSON.parse(res.text)).toEqual({ status: 'ready', details: { cache: { redis: 'not configured', memoryBytes: expect.any(Number) } } });
  });
});

describe('GraphiQL', () => {
  let page: string;
  beforeAll(async () => {
    const res = await http(`${app.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/html/);
    page = res.text;
  });

  /** Every src= and href= of the page. */
  const references = () => [...page.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);

  it('serves a GraphiQL page to a browser asking GET /graphql for HTML', () => {
    expect(page).toContain('GraphiQL');
    expect(page).toContain('id="graphiql"');
  });

  it('loads every script and stylesheet from the server itself, never from a CDN', () => {
    const refs = references();
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) expect(ref).toMatch(/^\/graphiql\/assets\/[\w.-]+$/);
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('answers each asset the page names with 200 and JavaScript or CSS', async () => {
    for (const ref of references()) {
      const res = await http(`${app.url}${ref}`);
      expect({ ref, status: res.status }).toEqual({ ref, status: 200 });
      if (ref.endsWith('.css')) expect(res.type).toMatch(/^text\/css/);
      else expect(res.type).toMatch(/^(text|application)\/javascript/);
      expect(res.text.length).toBeGreaterThan(1000);
    }
  });

  it('answers an asset that does not exist with 404', async () => {
    expect((await http(`${app.url}/graphiql/assets/nope.js`)).status).toBe(404);
  });
});

describe('GraphQL over HTTP', () => {
  it('answers a POST with the operation in a JSON body', async () => {
    const res = await http(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ connections { name vendor } }' }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      data: {
        connections: app.config.connections.map((c) => ({ name: c.name, vendor: c.vendor })),
      },
    });
  });

  it('answers a GET with the operation in ?query= when it carries a preflight header', async () => {
    const query = encodeURIComponent('{ connections { name } }');
    const res = await http(`${app.url}/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).data.connections).toEqual(app.config.connections.map((c) => ({ name: c.name })));
  });

  it('refuses a GET without a preflight header, as a possible cross-site request', async () => {
    const res = await http(`${app.url}/graphql?query=${encodeURIComponent('{ connections { name } }')}`);
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('"connections"');
  });

  it('answers a syntax error with GRAPHQL_PARSE_FAILED', async () => {
    const res = await app.query('{ connections { name ');
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers a field that does not exist with GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await app.query('{ connections { colour } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a body that is not JSON with 400 and a JSON error', async () => {
    const res = await http(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ connections { name } }"' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).errors[0].message).toMatch(/not valid JSON/);
  });

  it('answers a path that is not the API with 404', async () => {
    const res = await http(`${app.url}/graphq1`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('/graphql');
  });

  it('answers introspection when it is enabled', async () => {
    const res = await app.query(INTROSPECTION);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('with introspection and GraphiQL turned off in the configuration', () => {
  it('rejects an introspection query', async () => {
    const res = await locked.query(INTROSPECTION);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].message).toMatch(/introspection/i);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('still answers ordinary queries', async () => {
    const res = await locked.query('{ connections { name } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.connections).toEqual(locked.config.connections.map((c) => ({ name: c.name })));
  });

  it('serves no GraphiQL page to a browser', async () => {
    const res = await http(`${locked.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.type).not.toMatch(/text\/html/);
    expect(res.text).not.toMatch(/<html|GraphiQL/i);
  });

  it('serves none of the GraphiQL assets', async () => {
    for (const asset of ['graphiql.js', 'graphiql.css', 'react.js', 'react-dom.js']) {
      expect((await http(`${locked.url}/graphiql/assets/${asset}`)).status).toBe(404);
    }
  });
});
