import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';
import { parseCsv } from '../helpers/csv';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

async function get(app: TestApp, path: string) {
  const res = await request(`${app.url}${path}`);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

describe('GET /export/usage.csv', () => {
  it('answers the same report as GraphQL, as an attachment with a header row, ISO months and amounts in minor units', async () => {
    const res = await get(app, '/export/usage.csv?from=2025-01&to=2025-02&groupBy=MONTH,VENDOR&groupBy=UNIT');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="usage-2025-01-to-2025-02.csv"');
    expect(res.headers['x-usagegraph-incomplete']).toBeUndefined();
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['month', 'vendor', 'unit', 'currency', 'quantity', 'amount', 'projected_quantity', 'projected_amount']);
    const gql = await app.query(`{ usage(filter: { from: "2025-01", to: "2025-02" }, groupBy: [MONTH, VENDOR, UNIT]) { rows { month vendor unit currency quantity amount } } }`);
    expect(rows).toEqual(
      gql.data.usage.rows.map((r: any) => [r.month, r.vendor, r.unit, r.currency ?? '', String(r.quantity), r.amount === null ? '' : r.amount.toFixed(2), '', '']),
    );
    expect(rows).toContainEqual(['2025-01', 'EVOVOICE', 'MINUTES', 'USD', '5135', '102.70', '', '']);
  });

  it('takes the filter from query parameters, names accepted for connectionIds', async () => {
    const res = await get(app, '/export/usage.csv?from=2025-03&to=2025-03&groupBy=CONNECTION&connectionIds=kore-demo,evo-demo');
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(['connection', 'unit', 'currency', 'quantity', 'amount', 'projected_quantity', 'projected_amount']);
    expect(rows.map((r) => r[0]).sort()).toEqual(['evo-demo', 'kore-demo']);
  });

  it.each([
    ['from=2025-13&to=2025-14', 'from'],
    ['to=2025-02', 'from'],
    ['from=2025-01&to=2025-02&groupBy=WEEK', 'groupBy'],
    ['from=2025-01&to=2025-02&vendors=ZOOM', 'vendors'],
    ['from=2025-01&to=2025-02&timeZone=Mars/Olympus', 'timeZone'],
    ['from=2025-01&to=2025-02&connectionIds=nowhere', 'connectionIds[0]'],
    ['from=2025-01&to=2025-02&colour=red', 'colour'],
  ])('answers 400 naming the parameter for %s', async (query, parameter) => {
    const res = await get(app, `/export/usage.csv?${query}`);
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT', parameter });
    expect(body.error.message).toContain(parameter.replace(/\[0\]$/, ''));
  });

  it('names a failed vendor source in X-Usagegraph-Incomplete and still exports the others', async () => {
    const broken = await startTestApp({
      configure: (config) => ({ ...config, connections: config.connections.map((c) => (c.vendor === 'COGNIGY' ? { ...c, password: 'wrong-password' } : c)) }),
    });
    try {
      const res = await get(broken, '/export/usage.csv?from=2025-01&to=2025-01&groupBy=VENDOR');
      expect(res.status).toBe(200);
      expect(res.headers['x-usagegraph-incomplete']).toBe('cognigy-demo');
      const vendors = parseCsv(res.text).slice(1).map((r) => r[0]);
      expect(vendors).not.toContain('COGNIGY');
      expect(vendors).toContain('TALKDESK');
      expect(res.text).not.toContain('wrong-password');
    } finally {
      await broken.close();
    }
  });
});

describe('GET /export/sessions.csv', () => {
  let bot: { id: string; externalId: string };
  beforeAll(async () => {
    const res = await app.query(`{ organisations(filter: { vendors: [KORE_AI] }) { edges { node { bots { edges { node { id externalId } } } } } } }`);
    bot = res.data.organisations.edges[0].node.bots.edges[0].node;
  });

  it("streams a bot's billing sessions, the same ones GraphQL lists, with ISO 8601 instants", async () => {
    const res = await get(app, `/export/sessions.csv?bot=${bot.id}&from=2025-01-01&to=2025-07-01`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="sessions-${bot.externalId}-2025-01-01-to-2025-07-01.csv"`);
    const [header, ...rows] = parseCsv(res.text);
    expect(header.slice(0, 7)).toEqual(['billing_session_id', 'bot_id', 'type', 'channel', 'start', 'end', 'duration_seconds']);
    const gql = await app.query(`query($bot: ID!) { node(id: $bot) { ... on Bot { billingSessions(from: "2025-01-01T00:00:00Z", to: "2025-07-01T00:00:00Z", first: 1) { totalCount } } } }`, { bot: bot.id });
    expect(rows.length).toBe(gql.data.node.billingSessions.totalCount);
    expect(rows.length).toBeGreaterThan(100); // more than one vendor page
    for (const r of rows) {
      expect(r[1]).toBe(bot.externalId);
      expect(r[4]).toMatch(/^2025-0[1-6]-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    }
  });

  it('aborts the download when the vendor fails after the first byte, rather than ending it like a complete file', async () => {
    const kore = app.vendors.simulators.koreai;
    kore.inject({ path: 'getBillingSessionsDetails', delayMs: 1 }); // the first page answers
    kore.inject({ path: 'getBillingSessionsDetails', status: 400, body: { errors: [{ msg: 'bad', code: 400 }] }, times: Infinity });
    try {
      const res = await request(`${app.url}/export/sessions.csv?bot=${bot.id}&from=2025-01-01&to=2025-12-01`);
      expect(res.statusCode).toBe(200);
      await expect(res.body.text()).rejects.toThrow();
    } finally {
      kore.clearFaults();
    }
  });

  it('answers 502 with the code when the vendor fails before the first byte, and 400 for a bad parameter', async () => {
    const kore = app.vendors.simulators.koreai;
    kore.inject({ path: 'getBillingSessionsDetails', status: 401, times: Infinity });
    try {
      const res = await get(app, `/export/sessions.csv?bot=${bot.id}&from=2025-01-01&to=2025-02-01`);
      expect(res.status).toBe(502);
      expect(JSON.parse(res.text).error.code).toBe('UPSTREAM_UNAUTHORIZED');
    } finally {
      kore.clearFaults();
    }
    const bad = await get(app, `/export/sessions.csv?bot=${bot.id}&from=yesterday&to=2025-02-01`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.parameter).toBe('from');
    const notABot = await get(app, `/export/sessions.csv?bot=nope&from=2025-01-01&to=2025-02-01`);
    expect(JSON.parse(notABot.text).error.parameter).toBe('bot');
  });
});
