import type { KoreAiSimulator, KoreSimSession } from '../../src/vendors/koreai/simulator';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app';

/**
 * Kore.ai end to end: the real server over HTTP in front of the Kore.ai
 * simulator. Every expected value is computed here from the simulator's
 * seeded data, in vendor terms.
 */

const DAY_MS = 86_400_000;
const RATE_CENTS = 5; // the demo's rate: 0.05 USD per Kore.ai session
const NINE_MONTHS = { from: '2025-01-01T00:00:00.000Z', to: '2025-10-01T00:00:00.000Z' };

let app: TestApp;
let sim: KoreAiSimulator;

beforeAll(async () => {
  // Reconciliation is checked over the whole seeded range (2025 to date), longer than the default span limit of 366 days.
  app = await startTestApp({ overrides: { server: { limits: { maxSpanDays: 1100 } } } });
  sim = app.vendors.simulators.koreai as KoreAiSimulator;
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  sim.resetLog();
});

const ok = <T>(res: GraphQLResponse<T>): T => {
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data;
};

const utcMonth = (d: Date) => d.toISOString().slice(0, 7);

interface KoreOrg {
  id: string;
  externalId: string;
  name: string;
  bots: { totalCount: number; edges: { node: { id: string; externalId: string; name: string | null } }[] };
}

async function koreOrganisation(): Promise<KoreOrg> {
  const data = ok(
    await app.query(`{
      organisations(filter: { vendors: [KORE_AI] }) {
        edges { node { id externalId name bots(first: 50) { totalCount edges { node { id externalId name } } } } }
      }
    }`),
  );
  expect(data.organisations.edges).toHaveLength(1);
  return data.organisations.edges[0].node;
}

describe('organisations and bots', () => {
  it('pages through every organisation once, the Kore.ai one named after its connection with the account id as externalId', async () => {
    const PAGE = `query ($after: String) {
      organisations(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id vendor name externalId disabled connection { name vendor } } } }
    }`;
    const nodes: Array<{ id: string; vendor: string; name: string; externalId: string; disabled: boolean; connection: { name: string; vendor: string } }> = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let pages = 0; pages < 50; pages++) {
      const { organisations }: { organisations: any } = ok(await app.query(PAGE, { after }));
      totalCount = organisations.totalCount;
      nodes.push(...organisations.edges.map((e: { node: (typeof nodes)[number] }) => e.node));
      if (!organisations.pageInfo.hasNextPage) break;
      after = organisations.pageInfo.endCursor;
    }
    expect(nodes).toHaveLength(totalCount);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(totalCount);
    expect(new Set(nodes.map((n) => n.vendor))).toEqual(new Set(['KORE_AI', 'COGNIGY', 'EVOVOICE', 'TALKDESK']));
    const kore = nodes.filter((n) => n.vendor === 'KORE_AI');
    expect(kore).toHaveLength(1);
    expect(kore[0]).toMatchObject({
      name: 'kore-demo',
      externalId: sim.data.accountId,
      disabled: false,
      connection: { name: 'kore-demo', vendor: 'KORE_AI' },
    });
  });

  it("lists the simulator's bots under the Kore.ai organisation, with their ids and names", async () => {
    const org = await koreOrganisation();
    expect(org.bots.totalCount).toBe(sim.data.bots.length);
    expect(org.bots.edges.map((e) => ({ externalId: e.node.externalId, name: e.node.name }))).toEqual(
      expect.arrayContaining(sim.data.bots.map((b) => ({ externalId: b._id, name: b.name }))),
    );
    expect(org.bots.edges).toHaveLength(sim.data.bots.length);
  });

  it('resolves node(id) and bot(id) to the same bot, and node(id) to the same organisation', async () => {
    const org = await koreOrganisation();
    const bot = org.bots.edges[0].node;
    const data = ok(
      await app.query(
        `query ($bot: ID!, $org: ID!) {
          botNode: node(id: $bot) { __typename id ... on Bot { externalId name vendor organisation { id externalId } } }
          bot(id: $bot) { id externalId }
          orgNode: node(id: $org) { __typename id ... on Organisation { externalId name vendor } }
          organisation(id: $org) { id externalId }
        }`,
        { bot: bot.id, org: org.id },
      ),
    );
    expect(data.botNode).toEqual({
      __typename: 'Bot', id: bot.id, externalId: bot.externalId, name: bot.name, vendor: 'KORE_AI', organisation: { id: org.id, externalId: sim.data.accountId },
    });
    expect(data.bot).toEqual({ id: bot.id, externalId: bot.externalId });
    expect(data.orgNode).toEqual({ __typename: 'Organisation', id: org.id, externalId: sim.data.accountId, name: 'kore-demo', vendor: 'KORE_AI' });
    expect(data.organisation).toEqual({ id: org.id, externalId: sim.data.accountId });
  });

  it('answers null for node ids that are not ours', async () => {
    const data = ok(await app.query(`{ a: node(id: "not-an-id") { id } b: bot(id: "bm90LWFuLWlk") { id } }`));
    expect(data).toEqual({ a: null, b: null });
  });
});

describe('Bot.billingSessions', () => {
  const PAGE = `query ($id: ID!, $from: DateTime!, $to: DateTime!, $after: String) {
    bot(id: $id) {
      billingSessions(from: $from, to: $to, first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { externalId channel type conversationId start end conversationStart } }
      }
    }
  }`;

  it('walks a nine-month range page by page and returns every session of the bot exactly once, in UTC, channels lower-case', async () => {
    const org = await koreOrganisation();
    const bot = org.bots.edges[0].node;
    const expected = sim.data.sessions.filter(
      (s) => s.botId === bot.externalId && s.start >= new Date(NINE_MONTHS.from) && s.start < new Date(NINE_MONTHS.to),
    );
    expect(expected.length).toBeGreaterThan(100); // more than one page

    const seen: Array<{ externalId: string; channel: string; start: string; end: string }> = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const data: any = ok(await app.query(PAGE, { id: bot.id, ...NINE_MONTHS, after }));
      const conn: any = data.bot.billingSessions;
      expect(conn.totalCount).toBe(expected.length);
      seen.push(...conn.edges.map((e: { node: (typeof seen)[number] }) => e.node));
      pages += 1;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
      expect(pages).toBeLessThan(100);
    }
    expect(pages).toBe(Math.ceil(expected.length / 100));

    const ids = seen.map((s) => s.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expected.map((s) => s.billingSessionId).sort());

    const byId = new Map<string, KoreSimSession>(expected.map((s) => [s.billingSessionId, s]));
    for (const s of seen) {
      const truth = byId.get(s.externalId)!;
      expect(s.start).toBe(truth.start.toISOString());
      expect(s.end).toBe(truth.end.toISOString());
      expect(s.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(s.channel).toBe(truth.channel.toLowerCase());
    }
    // The simulator mixes letter case (IVR and ivr); the API shows one spelling.
    expect(expected.some((s) => s.channel !== s.channel.toLowerCase())).toBe(true);
  });

  it('asks the vendor in windows of at most 90 days', async () => {
    const org = await koreOrganisation();
    sim.resetLog();
    // A range no other test asks for, so the shared cache cannot answer any part of it.
    const range = { from: '2025-02-01T00:00:00.000Z', to: '2025-11-01T00:00:00.000Z' };
    ok(await app.query(PAGE, { id: org.bots.edges[1].node.id, ...range, after: null }));
    const bodies = sim.requests
      .filter((r) => r.path.endsWith('getBillingSessionsDetails'))
      .map((r) => JSON.parse(r.body) as { fromDate: string; toDate: string });
    expect(bodies.length).toBeGreaterThanOrEqual(4); // 273 days need at least four 90-day windows
    for (const b of bodies) expect(Date.parse(b.toDate) - Date.parse(b.fromDate)).toBeLessThanOrEqual(90 * DAY_MS);
    const earliest = Math.min(...bodies.map((b) => Date.parse(b.fromDate)));
    const latest = Math.max(...bodies.map((b) => Date.parse(b.toDate)));
    expect(new Date(earliest).toISOString()).toBe(range.from);
    expect(new Date(latest).toISOString()).toBe(range.to);
  });

  it('filters by channel case-insensitively', async () => {
    const org = await koreOrganisation();
    const bot = org.bots.edges[0].node;
    const expected = sim.data.sessions.filter(
      (s) => s.botId === bot.externalId && s.channel.toLowerCase() === 'ivr' && s.start >= new Date(NINE_MONTHS.from) && s.start < new Date(NINE_MONTHS.to),
    );
    const data = ok(
      await app.query(
        `query ($id: ID!, $from: DateTime!, $to: DateTime!) { bot(id: $id) { billingSessions(from: $from, to: $to, channel: "IVR", first: 500) { totalCount edges { node { externalId channel } } } } }`,
        { id: bot.id, ...NINE_MONTHS },
      ),
    );
    expect(data.bot.billingSessions.totalCount).toBe(expected.length);
    expect(data.bot.billingSessions.edges.map((e: { node: { externalId: string } }) => e.node.externalId).sort()).toEqual(
      expected.map((s) => s.billingSessionId).sort(),
    );
  });
});

describe('Bot.monthlyUsage', () => {
  it('counts sessions per month, channel and type as the simulator billed them, priced at 0.05 USD each', async () => {
    const org = await koreOrganisation();
    const bot = org.bots.edges[2].node;
    const data = ok(
      await app.query(
        `query ($id: ID!) { bot(id: $id) { monthlyUsage(from: "2025-01", to: "2025-06") { month vendor channel type unit quantity amount currency bot { externalId } } } }`,
        { id: bot.id },
      ),
    );
    const counts = new Map<string, number>();
    for (const s of sim.data.sessions) {
      const month = utcMonth(s.start);
      if (s.botId !== bot.externalId || month < '2025-01' || month > '2025-06') continue;
      const key = JSON.stringify([month, s.channel.toLowerCase(), s.billingSessionType === 'Alerts' ? 'ALERT_SESSION' : 'BILLING_SESSION']);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const expected = [...counts].map(([key, count]) => {
      const [month, channel, type] = JSON.parse(key) as string[];
      return { month, vendor: 'KORE_AI', channel, type, unit: 'SESSIONS', quantity: count, amount: (count * RATE_CENTS) / 100, currency: 'USD', bot: { externalId: bot.externalId } };
    });
    const sortKey = (r: { month: string; channel: string; type: string }) => `${r.month}/${r.channel}/${r.type}`;
    const byKey = (a: { month: string; channel: string; type: string }, b: typeof a) => sortKey(a).localeCompare(sortKey(b));
    expect([...data.bot.monthlyUsage].sort(byKey)).toEqual(expected.sort(byKey));
    const months = new Set(expected.map((e) => e.month));
    expect(months.size).toBe(6);
  });
});

describe('Bot.reconciliation', () => {
  it("finds exactly the simulator's mis-billed conversations of each bot over the whole data range", async () => {
    const from = '2025-01-01T00:00:00.000Z';
    const to = new Date(Math.ceil((Date.now() + DAY_MS) / DAY_MS) * DAY_MS).toISOString();
    // One Kore.ai connection has one organisation: a page of 1 says so, and keeps the estimated cost
    // (pages x bots x months of sessions) under the default maxCost.
    const data = ok(
      await app.query(
        `query ($from: DateTime!, $to: DateTime!) {
          organisations(first: 1, filter: { vendors: [KORE_AI] }) { edges { node { bots(first: 50) { edges { node { externalId
            reconciliation(from: $from, to: $to) { conversations billedSessions expectedSessions discrepancies { conversationId billed expected reason } }
          } } } } } }
        }`,
        { from, to },
      ),
    );
    const bots = data.organisations.edges[0].node.bots.edges.map((e: { node: unknown }) => e.node) as Array<{
      externalId: string;
      reconciliation: { conversations: number; billedSessions: number; expectedSessions: number; discrepancies: Array<{ conversationId: string; billed: number; expected: number; reason: string }> };
    }>;
    expect(bots).toHaveLength(sim.data.bots.length);

    const misbilled = new Set(sim.data.misbilledConversationIds);
    const found: string[] = [];
    for (const bot of bots) {
      const conversations = sim.data.conversations.filter((c) => c.botId === bot.externalId);
      const talks = conversations.filter((c) => c.type === 'Conversations');
      const ruleOf = (seconds: number) => Math.max(1, Math.ceil(seconds / 900));
      const expectedDiscrepancies = talks
        .filter((c) => misbilled.has(c.id))
        .map((c) => ({ conversationId: c.id, billed: c.billedSessions, expected: ruleOf((c.end.getTime() - c.start.getTime()) / 1000) }))
        .sort((a, b) => a.conversationId.localeCompare(b.conversationId));
      const { reconciliation } = bot;
      expect(reconciliation.discrepancies.map(({ conversationId, billed, expected }) => ({ conversationId, billed, expected }))).toEqual(expectedDiscrepancies);
      for (const d of reconciliation.discrepancies) expect(Math.abs(d.billed - d.expected)).toBe(1);
      expect(reconciliation.conversations).toBe(talks.length);
      expect(reconciliation.billedSessions).toBe(conversations.reduce((n, c) => n + c.billedSessions, 0));
      expect(reconciliation.expectedSessions).toBe(
        conversations.reduce((n, c) => n + (c.type === 'Alerts' ? 1 : ruleOf((c.end.getTime() - c.start.getTime()) / 1000)), 0),
      );
      found.push(...reconciliation.discrepancies.map((d) => d.conversationId));
    }
    expect(found.sort()).toEqual([...sim.data.misbilledConversationIds].sort());
    expect(found.length).toBeGreaterThanOrEqual(4);
  });
});

describe('bad input', () => {
  const USAGE = `query ($filter: UsageFilter!) { usage(filter: $filter) { incomplete } }`;

  const badInput = (res: GraphQLResponse, field: string) => {
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors!;
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(error.message).toContain(field);
    return error;
  };

  it('rejects a usage filter whose from is after to, naming filter.to', async () => {
    badInput(await app.query(USAGE, { filter: { from: '2025-03', to: '2025-01' } }), 'filter.to');
  });

  it('rejects a usage filter over 37 months, naming filter.to, and accepts 36', async () => {
    const error = badInput(await app.query(USAGE, { filter: { from: '2023-01', to: '2026-02', vendors: ['COGNIGY'] } }), 'filter.to');
    expect(error.message).toContain('36');
    const accepted = await app.query(USAGE, { filter: { from: '2023-01', to: '2026-01', vendors: ['COGNIGY'] } });
    expect(accepted.errors).toBeUndefined();
  });

  it('rejects the month 2024-13 written in the query text, naming filter.from', async () => {
    badInput(await app.query(`{ usage(filter: { from: "2024-13", to: "2025-01" }) { incomplete } }`), 'filter.from');
  });

  it('rejects the month 2024-13 passed in a variable, naming filter.from', async () => {
    badInput(await app.query(USAGE, { filter: { from: '2024-13', to: '2025-01' } }), 'filter.from');
  });

  it('rejects the month 2024-13 passed in a variable used as filter.from, naming filter.from', async () => {
    const res = await app.query(`query ($m: Month!) { usage(filter: { from: $m, to: "2025-01" }) { incomplete } }`, { m: '2024-13' });
    badInput(res, 'filter.from');
  });

  it('rejects a month written as a number, naming filter.from', async () => {
    badInput(await app.query(`{ usage(filter: { from: 202501, to: "2025-01" }) { incomplete } }`), 'filter.from');
  });

  it('rejects a bad month in a month-range argument, naming it', async () => {
    const org = await koreOrganisation();
    const res = await app.query(`query ($id: ID!) { bot(id: $id) { monthlyUsage(from: "2025-01", to: "25-03") { quantity } } }`, { id: org.bots.edges[0].node.id });
    badInput(res, 'to');
  });

  it('rejects an unknown time zone, naming filter.timeZone', async () => {
    badInput(await app.query(USAGE, { filter: { from: '2025-01', to: '2025-02', timeZone: 'Mars/Olympus_Mons' } }), 'filter.timeZone');
  });

  it.each([
    ['to before from', '2025-02-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['to equal to from', '2025-02-01T00:00:00Z', '2025-02-01T00:00:00Z'],
  ])('rejects billingSessions with %s, naming to', async (_name, from, to) => {
    const org = await koreOrganisation();
    const res = await app.query(
      `query ($id: ID!, $from: DateTime!, $to: DateTime!) { bot(id: $id) { billingSessions(from: $from, to: $to) { totalCount } } }`,
      { id: org.bots.edges[0].node.id, from, to },
    );
    badInput(res, 'to');
  });
});
