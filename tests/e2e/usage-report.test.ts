import type { KoreAiSimulator, KoreSimSession } from '../../src/vendors/koreai/simulator';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app';

/**
 * Query.usage end to end: the real server over HTTP in front of the four
 * simulators. Kore.ai numbers are computed here from the simulator's seeded
 * sessions; other vendors are checked for shape, filters and failure handling.
 */

const DIMENSIONS = ['MONTH', 'VENDOR', 'CONNECTION', 'ORGANISATION', 'ACCOUNT', 'BOT', 'CHANNEL', 'TYPE', 'UNIT', 'PRODUCT', 'DIRECTION', 'CURRENCY'] as const;
type Dimension = (typeof DIMENSIONS)[number];

interface Row {
  month: string | null;
  vendor: string | null;
  connection: { name: string } | null;
  organisation: { externalId: string } | null;
  account: { externalId: string } | null;
  bot: { externalId: string } | null;
  channel: string | null;
  type: string | null;
  unit: string;
  productId: string | null;
  direction: string | null;
  currency: string | null;
  quantity: number;
  amount: number | null;
}

/** The row field each dimension fills (UNIT is always filled). */
const FIELD: Record<Dimension, keyof Row> = {
  MONTH: 'month', VENDOR: 'vendor', CONNECTION: 'connection', ORGANISATION: 'organisation', ACCOUNT: 'account', BOT: 'bot',
  CHANNEL: 'channel', TYPE: 'type', UNIT: 'unit', PRODUCT: 'productId', DIRECTION: 'direction', CURRENCY: 'currency',
};

const REPORT = `query ($filter: UsageFilter!, $groupBy: [UsageDimension!]!) {
  usage(filter: $filter, groupBy: $groupBy) {
    rows {
      month vendor connection { name } organisation { externalId } account { externalId } bot { externalId }
      channel type unit productId direction currency quantity amount
    }
    totals { unit quantity currency amount }
    incomplete
    sources { connection { name vendor } state code message }
  }
}`;

interface Report {
  rows: Row[];
  totals: { unit: string; quantity: number; currency: string | null; amount: number | null }[];
  incomplete: boolean;
  sources: { connection: { name: string; vendor: string }; state: string; code: string | null; message: string | null }[];
}

let app: TestApp;
let sim: KoreAiSimulator;

beforeAll(async () => {
  app = await startTestApp();
  sim = app.vendors.simulators.koreai as KoreAiSimulator;
});

afterAll(async () => {
  await app.close();
});

const ok = <T>(res: GraphQLResponse<T>): T => {
  expect(res.errors).toBeUndefined();
  return res.data;
};

async function report(filter: Record<string, unknown>, groupBy: Dimension[]): Promise<Report> {
  return ok(await app.query<{ usage: Report }>(REPORT, { filter, groupBy })).usage;
}

/** Kore.ai sessions whose billing start is in [from, to). */
const sessionsBetween = (from: string, to: string, keep: (s: KoreSimSession) => boolean = () => true) =>
  sim.data.sessions.filter((s) => s.start >= new Date(from) && s.start < new Date(to) && keep(s));

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** Amount for a count of sessions at the demo's 0.05 USD, in whole cents then dollars (no float drift). */
const dollars = (sessions: number) => (sessions * 5) / 100;

describe('groupBy', () => {
  const FILTER = { from: '2025-01', to: '2025-03' };

  it.each(DIMENSIONS.map((d) => [d]))('fills only the %s dimension (plus unit, and currency with an amount)', async (dim) => {
    const { rows } = await report(FILTER, [dim]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.unit).not.toBeNull();
      for (const other of DIMENSIONS) {
        if (other === dim || other === 'UNIT') continue;
        if (other === 'CURRENCY') {
          // Currency always splits groups, so a row with money says which money it is.
          expect(row.currency !== null).toBe(row.amount !== null);
          continue;
        }
        expect(row[FIELD[other]]).toBeNull();
      }
    }
    if (dim !== 'UNIT') expect(rows.some((r) => r[FIELD[dim]] !== null)).toBe(true);
    // Grouping never loses or invents usage: Kore.ai's sessions are the only SESSIONS and sum to the simulator's count.
    const sessions = sum(rows.filter((r) => r.unit === 'SESSIONS').map((r) => r.quantity));
    expect(sessions).toBe(sessionsBetween('2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z').length);
  });

  it('groups by the default MONTH, VENDOR, UNIT when groupBy is left out', async () => {
    const data = ok(await app.query<{ usage: Report }>(`{ usage(filter: { from: "2025-02", to: "2025-02" }) { rows { month vendor unit channel bot { externalId } quantity } } }`));
    const rows = data.usage.rows;
    expect(new Set(rows.map((r) => r.vendor))).toEqual(new Set(['KORE_AI', 'COGNIGY', 'EVOVOICE', 'TALKDESK']));
    for (const row of rows) expect(row).toMatchObject({ month: '2025-02', channel: null, bot: null });
    const kore = rows.filter((r) => r.vendor === 'KORE_AI');
    expect(kore).toEqual([{ month: '2025-02', vendor: 'KORE_AI', unit: 'SESSIONS', channel: null, bot: null, quantity: sessionsBetween('2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z').length }]);
  });
});

describe('Kore.ai totals', () => {
  it('counts every session of a month range per UTC month, priced at 0.05 USD, with totals per unit and currency', async () => {
    const months = ['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07'];
    const result = await report({ from: '2025-02', to: '2025-07', vendors: ['KORE_AI'] }, ['MONTH', 'VENDOR']);
    const expected = months.map((month) => {
      const count = sim.data.sessions.filter((s) => s.start.toISOString().slice(0, 7) === month).length;
      return { month, vendor: 'KORE_AI', unit: 'SESSIONS', currency: 'USD', quantity: count, amount: dollars(count) };
    });
    expect(result.rows.map(({ month, vendor, unit, currency, quantity, amount }) => ({ month, vendor, unit, currency, quantity, amount }))).toEqual(expected);
    const all = sessionsBetween('2025-02-01T00:00:00Z', '2025-08-01T00:00:00Z').length;
    expect(result.totals).toEqual([{ unit: 'SESSIONS', quantity: all, currency: 'USD', amount: dollars(all) }]);
    expect(result.incomplete).toBe(false);
    expect(result.sources).toEqual([{ connection: { name: 'kore-demo', vendor: 'KORE_AI' }, state: 'OK', code: null, message: null }]);
  });

  it("moves a session at a month edge into the other month in America/New_York", async () => {
    // Seeded on purpose: a conversation starting 2025-02-01T02:00Z, which is 31 January, 21:00 in New York.
    const edge = sim.data.sessions.find((s) => s.start.toISOString() === '2025-02-01T02:00:00.000Z');
    expect(edge).toBeDefined();
    // New York is on EST (UTC-5) all of January and February 2025, so its months start at 05:00Z.
    const nyJanuary = sessionsBetween('2025-01-01T05:00:00Z', '2025-02-01T05:00:00Z').length;
    const nyFebruary = sessionsBetween('2025-02-01T05:00:00Z', '2025-03-01T05:00:00Z').length;
    const utcJanuary = sessionsBetween('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z').length;
    const utcFebruary = sessionsBetween('2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z').length;
    expect(nyJanuary).not.toBe(utcJanuary);

    const quantities = async (timeZone: string) =>
      (await report({ from: '2025-01', to: '2025-02', vendors: ['KORE_AI'], timeZone }, ['MONTH'])).rows.map((r) => [r.month, r.quantity]);
    expect(await quantities('America/New_York')).toEqual([['2025-01', nyJanuary], ['2025-02', nyFebruary]]);
    expect(await quantities('UTC')).toEqual([['2025-01', utcJanuary], ['2025-02', utcFebruary]]);
  });
});

describe('filters', () => {
  const FILTER = { from: '2025-04', to: '2025-05' };
  const APRIL_MAY: [string, string] = ['2025-04-01T00:00:00Z', '2025-06-01T00:00:00Z'];

  it('keeps only the asked vendors', async () => {
    const { rows, sources } = await report({ ...FILTER, vendors: ['COGNIGY', 'TALKDESK'] }, ['VENDOR']);
    expect(new Set(rows.map((r) => r.vendor))).toEqual(new Set(['COGNIGY', 'TALKDESK']));
    expect(sources.map((s) => s.connection.vendor).sort()).toEqual(['COGNIGY', 'TALKDESK']);
  });

  it('keeps only the asked connection, given by id or by configured name, with the same rows', async () => {
    const { connections } = ok(await app.query<{ connections: { id: string; name: string }[] }>(`{ connections { id name } }`));
    const talkdesk = connections.find((c) => c.name === 'talkdesk-demo')!;
    const byId = await report({ ...FILTER, connectionIds: [talkdesk.id] }, ['CONNECTION', 'MONTH', 'TYPE']);
    const byName = await report({ ...FILTER, connectionIds: ['talkdesk-demo'] }, ['CONNECTION', 'MONTH', 'TYPE']);
    expect(byId.rows.length).toBeGreaterThan(0);
    expect(byId.rows.every((r) => r.connection?.name === 'talkdesk-demo' && r.vendor === null)).toBe(true);
    expect(byName.rows).toEqual(byId.rows);
  });

  it('rejects a connection id that names no connection, naming the field', async () => {
    const res = await app.query(REPORT, { filter: { ...FILTER, connectionIds: ['nope'] }, groupBy: ['VENDOR'] });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.connectionIds[0]' });
  });

  it("keeps only the asked bot, with the simulator's count of its sessions", async () => {
    const data = ok(await app.query(`{ organisations(filter: { vendors: [KORE_AI] }) { edges { node { bots { edges { node { id externalId } } } } } } }`));
    const bot = data.organisations.edges[0].node.bots.edges[1].node as { id: string; externalId: string };
    const { rows, sources } = await report({ ...FILTER, botIds: [bot.id] }, ['BOT', 'VENDOR']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ vendor: 'KORE_AI', bot: { externalId: bot.externalId }, unit: 'SESSIONS' });
    const count = sessionsBetween(...APRIL_MAY, (s) => s.botId === bot.externalId).length;
    expect(rows[0].quantity).toBe(count);
    expect(rows[0].amount).toBe(dollars(count));
    expect(sources.map((s) => s.connection.name)).toEqual(['kore-demo']);
  });

  it('keeps only the asked channels, compared case-insensitively', async () => {
    const upper = await report({ ...FILTER, vendors: ['KORE_AI'], channels: ['IVR', 'MsTeams'] }, ['CHANNEL']);
    const lower = await report({ ...FILTER, vendors: ['KORE_AI'], channels: ['ivr', 'msteams'] }, ['CHANNEL']);
    expect(lower.rows).toEqual(upper.rows);
    const count = (channel: string) => sessionsBetween(...APRIL_MAY, (s) => s.channel.toLowerCase() === channel).length;
    expect(upper.rows.map((r) => [r.channel, r.quantity]).sort()).toEqual([['ivr', count('ivr')], ['msteams', count('msteams')]]);
  });

  it('keeps only the asked usage types', async () => {
    const { rows } = await report({ ...FILTER, types: ['ALERT_SESSION'] }, ['TYPE', 'VENDOR']);
    const alerts = sessionsBetween(...APRIL_MAY, (s) => s.billingSessionType === 'Alerts').length;
    expect(alerts).toBeGreaterThan(0);
    expect(rows.map((r) => [r.vendor, r.type, r.quantity])).toEqual([['KORE_AI', 'ALERT_SESSION', alerts]]);
  });

  it('keeps only the asked units', async () => {
    const all = await report(FILTER, ['VENDOR']);
    const minutes = await report({ ...FILTER, units: ['MINUTES'] }, ['VENDOR']);
    expect(minutes.rows.length).toBeGreaterThan(0);
    expect(minutes.rows.every((r) => r.unit === 'MINUTES')).toBe(true);
    expect(minutes.rows).toEqual(all.rows.filter((r) => r.unit === 'MINUTES'));
    expect(minutes.totals.every((t) => t.unit === 'MINUTES')).toBe(true);
  });
});

describe('sources', () => {
  it('reports every source OK and the report complete when every vendor answers', async () => {
    const result = await report({ from: '2025-06', to: '2025-06' }, ['VENDOR']);
    expect(result.incomplete).toBe(false);
    expect(result.sources.map((s) => [s.connection.name, s.state, s.code, s.message])).toEqual([
      ['kore-demo', 'OK', null, null],
      ['cognigy-demo', 'OK', null, null],
      ['evo-demo', 'OK', null, null],
      ['talkdesk-demo', 'OK', null, null],
    ]);
  });

  it('reports a failing vendor as FAILED with UPSTREAM_UNAVAILABLE, keeps the others, and leaks no vendor URL or secret', async () => {
    // Its own server without the shared cache: Cognigy's one listing serves every range, so a
    // cached copy from an earlier test would answer instead of the failing vendor.
    const uncached = await startTestApp({ overrides: { cache: { enabled: false } } });
    const cognigy = uncached.vendors.simulators.cognigy;
    cognigy.inject({ status: 500, times: Infinity });
    let res: GraphQLResponse<{ usage: Report }>;
    try {
      res = await uncached.query<{ usage: Report }>(REPORT, { filter: { from: '2026-03', to: '2026-04' }, groupBy: ['VENDOR'] });
    } finally {
      cognigy.clearFaults();
      await uncached.close();
    }
    const result = ok(res).usage;
    expect(cognigy.requests.some((r) => r.status === 500)).toBe(true);
    expect(result.incomplete).toBe(true);
    const failed = result.sources.find((s) => s.connection.name === 'cognigy-demo')!;
    expect(failed).toMatchObject({ state: 'FAILED', code: 'UPSTREAM_UNAVAILABLE' });
    expect(result.sources.filter((s) => s.state === 'OK').map((s) => s.connection.name).sort()).toEqual(['evo-demo', 'kore-demo', 'talkdesk-demo']);
    expect(new Set(result.rows.map((r) => r.vendor))).toEqual(new Set(['KORE_AI', 'EVOVOICE', 'TALKDESK']));
    const kore = result.rows.find((r) => r.vendor === 'KORE_AI')!;
    expect(kore.quantity).toBe(sessionsBetween('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z').length);

    const body = JSON.stringify(res);
    for (const connection of uncached.config.connections) {
      for (const [key, value] of Object.entries(connection)) {
        if (typeof value !== 'string' || ['name', 'vendor', 'scope'].includes(key)) continue;
        expect(body).not.toContain(value);
      }
    }
    expect(body).not.toContain(new URL(cognigy.url).host);
    expect(body).not.toMatch(/https?:\/\//);
  });
});
