import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';
import { parseCsv } from '../helpers/csv';
import { withClients } from '../helpers/security';

/**
 * Every door other than /graphql (CSV and FOCUS exports, metrics) and the
 * supergraph's entity references answer with the same keys and tenant scope
 * as GraphQL: a scoped client gets only its connections' rows, and no key is
 * a 401 before any vendor is asked.
 */

const ALL = { 'x-api-key': 'analyst-key-0123456789abcdef' };
const TALKDESK = { 'x-api-key': 'talkdesk-partner-key-0123456789' };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    configure: (config) =>
      withClients(config, [
        { name: 'analysts', apiKey: ALL['x-api-key'] },
        { name: 'talkdesk-partner', apiKey: TALKDESK['x-api-key'], connections: ['talkdesk-demo'] },
      ]),
  });
});
afterAll(async () => {
  await app?.close();
});

const vendorCalls = () => Object.values(app.vendors.simulators).reduce((n, s) => n + s.requests.length, 0);

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await request(`${app.url}${path}`, { headers });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** The CSV's rows as objects by header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text).filter((r) => r.length > 1);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

describe('data routes with API keys configured', () => {
  it.each(['/export/usage.csv?from=2025-01&to=2025-01', '/export/focus.csv?from=2025-01&to=2025-01', '/metrics'])(
    'answers %s without a key with 401 UNAUTHENTICATED and asks no vendor',
    async (path) => {
      const before = vendorCalls();
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(vendorCalls()).toBe(before);
    },
  );

  it('exports usage.csv of a scoped client with its own connection only, the same rows the analysts get for it', async () => {
    const path = '/export/usage.csv?from=2025-01&to=2025-02&groupBy=MONTH,CONNECTION,UNIT,CURRENCY';
    const all = records((await get(path, ALL)).text);
    const own = await get(path, TALKDESK);
    expect(own.status).toBe(200);
    const ownRows = records(own.text);
    expect(new Set(all.map((r) => r.connection)).size).toBeGreaterThan(1);
    expect(ownRows.length).toBeGreaterThan(0);
    expect(new Set(ownRows.map((r) => r.connection))).toEqual(new Set(['talkdesk-demo']));
    expect(ownRows).toEqual(all.filter((r) => r.connection === 'talkdesk-demo'));
  });

  it('exports the FOCUS dataset of a scoped client with its own billing account only', async () => {
    const res = await get('/export/focus.csv?from=2025-01&to=2025-01', TALKDESK);
    expect(res.status).toBe(200);
    const rows = records(res.text);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.BillingAccountName))).toEqual(new Set(['talkdesk-demo']));
  });

  it('refuses a connection of another tenant named in the export filter, naming the parameter', async () => {
    const res = await get('/export/usage.csv?from=2025-01&to=2025-01&connectionIds=kore-demo', TALKDESK);
    expect(res.status).toBe(400);
    expect(res.text).toContain('connectionIds');
  });

  it('serves /metrics to a client with a key', async () => {
    const res = await get('/metrics', ALL);
    expect(res.status).toBe(200);
    expect(res.text).toContain('usagegraph_vendor_requests_total');
  });

  it("resolves an entity reference to another tenant's organisation to null, as the owner's key resolves it", async () => {
    const kore = await app.query('{ organisations(filter: { vendors: [KORE_AI] }, first: 1) { edges { node { id name } } } }', {}, ALL);
    const other = kore.data.organisations.edges[0].node as { id: string; name: string };
    const listed = await app.query('{ organisations(first: 1) { edges { node { id name } } } }', {}, TALKDESK);
    const own = listed.data.organisations.edges[0].node as { id: string; name: string };
    const entities = (headers: Record<string, string>) =>
      app.query(
        'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id name } } }',
        { representations: [{ __typename: 'Organisation', id: other.id }, { __typename: 'Organisation', id: own.id }] },
        headers,
      );
    const scoped = await entities(TALKDESK);
    const analysts = await entities(ALL);
    expect(scoped.errors).toBeUndefined();
    expect(scoped.data._entities).toEqual([null, own]);
    expect(analysts.data._entities).toEqual([other, own]);
  });
});
