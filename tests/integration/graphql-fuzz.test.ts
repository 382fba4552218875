import fc from 'fast-check';
import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Property: whatever arrives at /graphql (random documents assembled from the
 * schema's words, random variables, random bodies, GET or POST), the answer
 * is well-formed JSON with a status below 500.
 */

const WORDS = [
  '{', '}', '(', ')', '[', ']', ':', ',', '...', '$', '@', '!', '=', '"', '#',
  'query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'false', 'null',
  'usage', 'filter', 'from', 'to', 'groupBy', 'rows', 'totals', 'sources', 'state', 'incomplete', 'connection',
  'organisations', 'first', 'after', 'edges', 'node', 'id', 'name', 'accounts', 'bots', 'connections', 'vendor',
  'MONTH', 'VENDOR', 'UNIT', '"2025-01"', '"2025-13"', '"1900-01"', '500', '-1', '1e309', '__typename', '__schema', 'types',
];

const document = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }).map((tokens) => tokens.join(' ')),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{ usage(filter: { from: "2025-01", to: "2025-02" }, groupBy: [VENDOR]) { rows { vendor quantity } } }',
    'query Q($f: UsageFilter!) { usage(filter: $f) { incomplete } }',
    '{ organisations(first: 3) { totalCount edges { node { name } } } }',
  ),
);
const variables = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.record({ f: fc.jsonValue({ maxDepth: 2 }) }));
const body = fc.oneof(
  fc.record({ query: document, variables }).map((b) => JSON.stringify(b)),
  fc.record({ query: fc.jsonValue({ maxDepth: 2 }), operationName: fc.jsonValue({ maxDepth: 1 }), extensions: fc.jsonValue({ maxDepth: 2 }) }).map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
);
const contentType = fc.constantFrom('application/json', 'application/graphql-response+json', 'text/plain', 'application/x-www-form-urlencoded');

describe('/graphql under random input', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('answers every POST with well-formed JSON and a status below 500', async () => {
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        const res = await request(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': type, 'apollo-require-preflight': 'true' }, body: text });
        const answer = await res.body.text();
        expect(res.statusCode).toBeLessThan(500);
        expect(() => JSON.parse(answer)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  }, 120000);

  it('answers every GET with well-formed JSON and a status below 500', async () => {
    await fc.assert(
      fc.asyncProperty(document, variables, async (query, vars) => {
        const search = new URLSearchParams({ query, ...(vars === undefined ? {} : { variables: JSON.stringify(vars) }) });
        const res = await request(`${app.url}/graphql?${search}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
        const answer = await res.body.text();
        expect(res.statusCode).toBeLessThan(500);
        expect(() => JSON.parse(answer)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  }, 120000);
});
