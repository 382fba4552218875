import { startTestApp, type TestApp } from '../helpers/app';
import { graphqlRaw, vendorRequestCount } from '../helpers/security';

const LIMITS = { maxDepth: 12, maxAliases: 30, maxTokens: 10_000, maxCost: 20_000 };
const YEAR = 'from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z"';

/** A valid query at least `depth` levels deep (bot -> organisation -> bots -> edges -> node -> organisation ...; 42 for 40). */
function deepQuery(depth: number): string {
  let inner = 'name';
  let levels = 1;
  while (levels < depth) {
    inner = `organisation { bots { edges { node { ${inner} } } } }`;
    levels += 4;
  }
  return `{ bot(id: "x") { ${inner} } }`;
}

let app: TestApp;
let closed: TestApp;
beforeAll(async () => {
  [app, closed] = await Promise.all([
    startTestApp({ configure: (config) => ({ ...config, server: { ...config.server, limits: { ...config.server.limits, ...LIMITS } } }) }),
    startTestApp({ configure: (config) => ({ ...config, server: { ...config.server, introspection: false } }) }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.close(), closed?.close()]);
});

describe('operation limits', () => {
  it.each([
    ['a query 40 deep', () => ({ query: deepQuery(40) }), 'QUERY_TOO_DEEP', 12, 42],
    [
      'a document with 500 aliases of usage(...)',
      () => ({
        query: `query ($f: UsageFilter!) { ${Array.from({ length: 500 }, (_, i) => `a${i}: usage(filter: $f) { incomplete }`).join(' ')} }`,
        variables: { f: { from: '2025-01', to: '2025-12' } },
      }),
      'TOO_MANY_ALIASES',
      30,
      500,
    ],
    ['a document of 100,000 tokens', () => ({ query: `{ connections { ${'name '.repeat(99_995)} } }` }), 'TOO_MANY_TOKENS', 10_000, 100_000],
    [
      "every organisation's bots with a year of billing sessions and reconciliation",
      () => ({
        query: `{ organisations(first: 200) { edges { node { bots(first: 200) { edges { node { billingSessions(${YEAR}) { totalCount } reconciliation(${YEAR}) { conversations billedSessions } } } } } } } }`,
      }),
      'QUERY_TOO_COSTLY',
      20_000,
      4 + 4 + 200 * 200 * 13 * 2,
    ],
  ])('refuses %s with 400, its code, the limit and the measured figure, and calls no vendor', async (_name, body, code, limit, measured) => {
    const before = vendorRequestCount(app.vendors);
    const res = await graphqlRaw(app.url, { body: body() });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions).toEqual({ code, limit, measured });
    expect(vendorRequestCount(app.vendors)).toBe(before);
  });

  it('refuses a page size over 500 as BAD_USER_INPUT naming the argument, before any vendor call', async () => {
    const before = vendorRequestCount(app.vendors);
    const res = await graphqlRaw(app.url, { body: { query: 'query ($n: Int) { organisations { edges { node { bots(first: $n) { totalCount } } } } }', variables: { n: 501 } } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'organisations.edges.node.bots.first' });
    expect(res.body.errors?.[0].message).toContain('organisations.edges.node.bots.first');
    expect(vendorRequestCount(app.vendors)).toBe(before);
  });

  it('answers an operation inside every limit', async () => {
    const res = await graphqlRaw(app.url, { body: { query: '{ usage(filter: { from: "2025-01", to: "2025-12" }) { incomplete } }' } });
    expect(res.status).toBe(200);
    expect(res.body.data.usage.incomplete).toBe(false);
  });
});

describe('introspection switched off', () => {
  it('refuses introspection and suggests no field names in errors', async () => {
    const introspection = await graphqlRaw(closed.url, { body: { query: '{ __schema { queryType { name } } }' } });
    expect(introspection.status).toBe(400);
    const typo = await graphqlRaw(closed.url, { body: { query: '{ connectoins { name } }' } });
    expect(typo.status).toBe(400);
    expect(typo.body.errors?.[0].message).not.toMatch(/Did you mean/);
    // With introspection on, the same typo is helped.
    const helped = await graphqlRaw(app.url, { body: { query: '{ connectoins { name } }' } });
    expect(helped.body.errors?.[0].message).toMatch(/Did you mean "connections"/);
  });
});
