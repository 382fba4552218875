import Decimal from 'decimal.js';
import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';
import { csvObjects } from '../helpers/csv';

/**
 * The FOCUS export end to end over a year of the simulators: CSV, JSON Lines and
 * GraphQL give the same rows, their sums are the usage report's, and the planted
 * edge cases come out as the README's "FOCUS export" section says. Expected values
 * come from the simulators' seeded data, in vendor terms.
 */

const FROM = '2025-01';
const TO = '2025-12';
const KORE_RATE = '0.05';
const COGNIGY_RATE = '0.002';
const inYear = (month: string) => month >= FROM && month <= TO;
const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber();
const UNIT: Record<string, string> = { Sessions: 'SESSIONS', Conversations: 'CONVERSATIONS', Minutes: 'MINUTES', Numbers: 'NUMBERS', Requests: 'REQUESTS', Segments: 'SEGMENTS' };

let app: TestApp;
let csv: { status: number; headers: Record<string, unknown>; rows: Record<string, string | null>[] };
let jsonl: Record<string, unknown>[];
const botIds = new Map<string, string>();
const accountIds = new Map<string, string>();
const sims = () => app.vendors.simulators as any;

async function get(app: TestApp, path: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const res = await request(`${app.url}${path}`);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

beforeAll(async () => {
  app = await startTestApp();
  const [c, j, listing] = await Promise.all([
    get(app, `/export/focus.csv?from=${FROM}&to=${TO}`),
    get(app, `/export/focus.jsonl?from=${FROM}&to=${TO}`),
    app.query(`{ organisations(first: 500) { edges { node { accounts(first: 500) { edges { node { id externalId } } } bots(first: 500) { edges { node { id externalId } } } } } } }`),
  ]);
  csv = { status: c.status, headers: c.headers, rows: csvObjects(c.text).rows };
  expect(j.status).toBe(200);
  jsonl = j.text.trimEnd().split('\n').map((line) => JSON.parse(line));
  for (const { node: o } of listing.data.organisations.edges) {
    for (const { node: a } of o.accounts.edges) accountIds.set(a.externalId, a.id);
    for (const { node: b } of o.bots.edges) botIds.set(b.externalId, b.id);
  }
}, 120_000);
afterAll(() => app?.close());

describe('the FOCUS export of a year', () => {
  it('gives the same rows as CSV, as JSON Lines and through GraphQL', async () => {
    expect(csv.status).toBe(200);
    expect(jsonl.length).toBe(csv.rows.length);
    const asCsv = jsonl.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : typeof v === 'object' ? JSON.stringify(v) : v])));
    expect(asCsv).toEqual(csv.rows);
    const graphql = await app.query(`query($f: UsageFilter!) { focus(filter: $f) { rows { BillingAccountName SubAccountId ChargePeriodStart BilledCost BillingCurrency ConsumedQuantity SkuId x_Channel Tags } incomplete } }`, { f: { from: FROM, to: TO } });
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data.focus.incomplete).toBe(false);
    expect(graphql.data.focus.rows).toEqual(jsonl.map((r) => ({
      BillingAccountName: r.BillingAccountName, SubAccountId: r.SubAccountId, ChargePeriodStart: r.ChargePeriodStart, BilledCost: r.BilledCost,
      BillingCurrency: r.BillingCurrency, ConsumedQuantity: r.ConsumedQuantity, SkuId: r.SkuId, x_Channel: r.x_Channel, Tags: r.Tags,
    })));
  });

  it("sums cost and quantity per month, vendor, unit and currency to the GraphQL report's rows", async () => {
    const report = await app.query(`query($f: UsageFilter!) { usage(filter: $f, groupBy: [MONTH, VENDOR, CURRENCY]) { rows { month vendor unit currency quantity amount } } }`, { f: { from: FROM, to: TO } });
    expect(report.errors).toBeUndefined();
    const focus = new Map<string, { quantity: Decimal; amount: Decimal }>();
    for (const row of csv.rows) {
      const key = `${row.ChargePeriodStart!.slice(0, 7)} ${row.x_Vendor} ${UNIT[row.ConsumedUnit!]} ${row.BillingCurrency}`;
      const sum = focus.get(key) ?? { quantity: new Decimal(0), amount: new Decimal(0) };
      focus.set(key, { quantity: sum.quantity.plus(row.ConsumedQuantity!), amount: sum.amount.plus(row.BilledCost!) });
    }
    const priced = report.data.usage.rows.filter((r: any) => r.currency !== null);
    expect(priced.length).toBeGreaterThan(12 * 3);
    expect(Object.fromEntries([...focus].map(([k, v]) => [k, { quantity: v.quantity.toNumber(), amount: cents(v.amount) }])))
      .toEqual(Object.fromEntries(priced.map((r: any) => [`${r.month} ${r.vendor} ${r.unit} ${r.currency}`, { quantity: r.quantity, amount: r.amount }])));
  });

  it('counts Kore.ai sessions at the month end in the month their billing starts: [start, end) in UTC', () => {
    const { sessions } = sims().koreai.data;
    const at = (iso: string) => sessions.find((s: any) => s.start.toISOString() === iso);
    const lastSecond = at('2025-01-31T23:59:59.000Z');
    const firstSecond = at('2025-02-01T00:00:00.000Z');
    expect(lastSecond).toBeDefined();
    expect(firstSecond).toBeDefined();
    for (const [session, month] of [[lastSecond, '2025-01'], [firstSecond, '2025-02']] as const) {
      const type = session.billingSessionType === 'Alerts' ? 'ALERT_SESSION' : 'BILLING_SESSION';
      const expected = sessions.filter((s: any) => s.botId === session.botId && s.channel.toLowerCase() === session.channel.toLowerCase()
        && (s.billingSessionType === 'Alerts' ? 'ALERT_SESSION' : 'BILLING_SESSION') === type && s.start.toISOString().slice(0, 7) === month).length;
      const rows = csv.rows.filter((r) => r.SubAccountId === botIds.get(session.botId) && r.x_Channel === session.channel.toLowerCase() && r.x_UsageType === type && r.ChargePeriodStart!.startsWith(month));
      expect(rows.map((r) => [r.ChargePeriodStart, r.ChargePeriodEnd, r.ConsumedQuantity, r.BilledCost])).toEqual([[
        `${month}-01T00:00:00Z`, month === '2025-01' ? '2025-02-01T00:00:00Z' : '2025-03-01T00:00:00Z', String(expected), new Decimal(KORE_RATE).times(expected).toString(),
      ]]);
    }
  });

  it('keeps euros and dollars apart: the EUR accounts bill in EUR and their totals are the vendor amounts', () => {
    const { usage } = sims().talkdesk.data;
    const expected = new Map<string, Decimal>();
    const eurAccounts = new Set<string>();
    for (const u of usage) {
      if (!inYear(u.month)) continue;
      expected.set(u.currency, (expected.get(u.currency) ?? new Decimal(0)).plus(String(u.total_amount)));
      if (u.currency === 'EUR') eurAccounts.add(accountIds.get(u.account_id)!);
    }
    const talkdesk = csv.rows.filter((r) => r.x_Vendor === 'TALKDESK');
    const actual = new Map<string, Decimal>();
    for (const r of talkdesk) actual.set(r.BillingCurrency!, (actual.get(r.BillingCurrency!) ?? new Decimal(0)).plus(r.BilledCost!));
    expect([...actual.keys()].sort()).toEqual(['EUR', 'USD']);
    for (const currency of ['EUR', 'USD']) expect(actual.get(currency)!.toString()).toBe(expected.get(currency)!.toString());
    expect(eurAccounts.size).toBe(2);
    expect(new Set(talkdesk.filter((r) => r.BillingCurrency === 'EUR').map((r) => r.SubAccountId))).toEqual(eurAccounts);
    expect(talkdesk.every((r) => r.x_PriceSource === 'Vendor')).toBe(true);
  });

  it('leaves unpriced Cognigy conversations out of the rows and names them, with their quantity, in a header and in GraphQL', async () => {
    let conversations = 0;
    for (const org of sims().cognigy.data.organisations) for (const d of org.conversations) if (d.year === 2025) conversations += d.conversations;
    expect(csv.rows.filter((r) => r.x_Vendor === 'COGNIGY')).toEqual([]);
    expect(csv.headers['x-usagegraph-unpriced']).toMatch(new RegExp(`^cognigy-demo CONVERSATIONS ${conversations} \\(\\d+ records\\)$`));
    const graphql = await app.query(`query($f: UsageFilter!) { focus(filter: $f) { unpriced { connection vendor unit quantity } } }`, { f: { from: FROM, to: TO } });
    expect(graphql.data.focus.unpriced).toEqual([{ connection: 'cognigy-demo', vendor: 'COGNIGY', unit: 'CONVERSATIONS', quantity: String(conversations) }]);
  });
});

describe('the FOCUS export with a Cognigy rate and a failing Evovoice', () => {
  let other: TestApp;
  beforeAll(async () => {
    other = await startTestApp({
      configure: (config) => ({
        ...config,
        connections: config.connections.map((c) => (c.name === 'evo-demo' ? ({ ...c, password: 'wrong' } as typeof c) : c)),
        rates: [...config.rates, { vendor: 'COGNIGY', unit: 'CONVERSATIONS', price: COGNIGY_RATE, currency: 'USD' }],
      }),
    });
  }, 60_000);
  afterAll(() => other?.close());

  it('prices Cognigy conversations at the rate and names the failed connection in a header, never silently missing', async () => {
    const res = await get(other, '/export/focus.csv?from=2025-03&to=2025-03');
    expect(res.status).toBe(200);
    expect(res.headers['x-usagegraph-incomplete']).toBe('evo-demo FAILED UPSTREAM_UNAUTHORIZED');
    expect(res.headers['x-usagegraph-unpriced']).toBeUndefined();
    const { rows } = csvObjects(res.text);
    expect(new Set(rows.map((r) => r.x_Vendor))).toEqual(new Set(['KORE_AI', 'COGNIGY', 'TALKDESK']));
    let conversations = 0;
    for (const org of sims().cognigy.data.organisations) for (const d of org.conversations) if (d.year === 2025 && d.month === 3) conversations += d.conversations;
    const cognigy = rows.filter((r) => r.x_Vendor === 'COGNIGY');
    expect(cognigy.every((r) => r.x_PriceSource === 'RateCard' && r.ListUnitPrice === COGNIGY_RATE && r.BillingCurrency === 'USD')).toBe(true);
    expect(cognigy.reduce((s, r) => s.plus(r.BilledCost!), new Decimal(0)).toString()).toBe(new Decimal(COGNIGY_RATE).times(conversations).toString());
  });
});

describe('bad parameters', () => {
  it.each([
    ['/export/focus.csv?from=2025-01', 'to'],
    ['/export/focus.csv?from=2025-1&to=2025-02', 'from'],
    ['/export/focus.jsonl?from=2025-01&to=2025-02&vendors=KORE_AI,ZENDESK', 'vendors'],
    ['/export/focus.csv?from=2025-01&to=2025-02&month=2025-01', 'month'],
    ['/export/focus.csv?from=2025-01&to=2025-02&botIds=not-an-id', 'botIds[0]'],
    ['/export/focus.csv?from=2025-01&to=2025-02&connectionIds=nobody', 'connectionIds[0]'],
    ['/export/focus.csv?from=2022-01&to=2025-02', 'to'],
  ])('answers %s with 400 naming %s', async (path, field) => {
    const res = await get(app, path);
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(body.error.message).toContain(field.replace(/\[0\]$/, ''));
  });

  it('refuses a non-UTC time zone in GraphQL, naming the field: FOCUS periods are UTC months', async () => {
    const res = await app.query(`{ focus(filter: { from: "2025-01", to: "2025-01", timeZone: "Europe/Berlin" }) { incomplete } }`);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.timeZone' });
  });
});
