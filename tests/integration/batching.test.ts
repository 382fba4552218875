import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildUsageFilters } from '../../src/vendors/talkdesk/filter';
import type { DemoVendors } from '../../src/demo';
import type { CognigySimulator } from '../../src/vendors/cognigy/simulator';
import type { EvovoiceSimulator } from '../../src/vendors/evovoice/simulator';
import type { KoreAiSimulator } from '../../src/vendors/koreai/simulator';
import type { TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app';

/**
 * Batching, in-flight sharing and caching, counted from the simulators' own
 * request logs. Every expected count is worked out here from the simulators'
 * seeded data and each vendor's paging rules, never from our connectors.
 */

const DASHBOARD = readFileSync(join(__dirname, '../../operations/dashboard.graphql'), 'utf8');

/** The demo's simulators with their seeded data typed. */
type Sims = { koreai: KoreAiSimulator; cognigy: CognigySimulator; evovoice: EvovoiceSimulator; talkdesk: TalkdeskSimulator };
const simsOf = (vendors: DemoVendors): Sims => vendors.simulators as Sims;
type Range = { from: string; to: string };

/** Every `YYYY-MM` from `from` to `to`, inclusive (own arithmetic, not src/usage/month). */
function monthList({ from, to }: Range): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) {
      y += 1;
      m = 1;
    }
  }
  return months;
}
const monthStartMs = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y, m - 1, 1);
};
const nextMonthStartMs = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y, m, 1);
};
const pages = (items: number, perPage: number) => Math.max(1, Math.ceil(items / perPage));
const DAY_MS = 86_400_000;

/** Kore.ai: bots listing pages (50 a page), then per window of at most 90 days, ceil(sessions / 100) pages (at least 1). */
function koreMinimum(sims: Sims, range: Range): number {
  const { bots, sessions } = sims.koreai.data;
  const start = monthStartMs(range.from);
  const end = nextMonthStartMs(range.to);
  let total = pages(bots.length, 50);
  for (let ws = start; ws < end; ws += 90 * DAY_MS) {
    const we = Math.min(ws + 90 * DAY_MS, end);
    const inWindow = sessions.filter((s) => s.start.getTime() >= ws && s.start.getTime() < we).length;
    total += pages(inWindow, 100);
  }
  return total;
}

/** Cognigy: the billing listing, 100 organisations a page. */
const cognigyMinimum = (sims: Sims) => pages(sims.cognigy.data.organisations.length, 100);

/** Evovoice: one login, the accounts (100 a page), one /ai/usage per month. */
const evovoiceMinimum = (sims: Sims, range: Range) => 1 + pages(sims.evovoice.data.accounts.length, 100) + monthList(range).length;

/** The months and account ids a Talkdesk filter names (read back from its text). */
function filterValues(filter: string): { months: Set<string>; accounts: Set<string> } {
  const values = (field: string) => new Set([...filter.matchAll(new RegExp(`${field} eq '((?:[^'\\\\]|\\\\.)*)'`, 'g'))].map((m) => m[1].replace(/\\(.)/g, '$1')));
  return { months: values('month'), accounts: values('account_id') };
}

/** The filters Talkdesk must be sent: the fewest the 1,600-character limit allows, over every account, in listing order. */
function talkdeskFilters(sims: Sims, range: Range): string[] {
  return buildUsageFilters(monthList(range), sims.talkdesk.data.accounts.map((a) => a.id));
}

/** Talkdesk: one token, accounts (250 a page), then per filter ceil(matching records / 250) pages (at least 1). */
function talkdeskMinimum(sims: Sims, range: Range): number {
  const usagePages = talkdeskFilters(sims, range).reduce((sum, filter) => {
    const { months, accounts } = filterValues(filter);
    const matching = sims.talkdesk.data.usage.filter((u) => months.has(u.month) && accounts.has(u.account_id)).length;
    return sum + pages(matching, 250);
  }, 0);
  return 1 + pages(sims.talkdesk.data.accounts.length, 250) + usagePages;
}

function minimum(sims: Sims, range: Range) {
  return {
    koreai: koreMinimum(sims, range),
    cognigy: cognigyMinimum(sims),
    evovoice: evovoiceMinimum(sims, range),
    talkdesk: talkdeskMinimum(sims, range),
  };
}

const counts = (sims: Sims) => ({
  koreai: sims.koreai.requests.length,
  cognigy: sims.cognigy.requests.length,
  evovoice: sims.evovoice.requests.length,
  talkdesk: sims.talkdesk.requests.length,
});
const resetLogs = (sims: Sims) => Object.values(sims).forEach((s) => s.resetLog());
const talkdeskUsageRequests = (sims: Sims) => sims.talkdesk.requests.filter((r) => r.path === '/express/usage/month');

/** What a user sees of the dashboard: every organisation, and each Talkdesk account's usage rows, checked against the seeded data. */
function expectDashboardAnswer(response: GraphQLResponse, sims: Sims, range: Range) {
  expect(response.errors).toBeUndefined();
  const organisations = response.data.organisations;
  // One organisation per Kore.ai, Evovoice and Talkdesk connection, plus every Cognigy organisation.
  expect(organisations.totalCount).toBe(3 + sims.cognigy.data.organisations.length);
  const talkdesk = organisations.edges.find((e: any) => e.node.vendor === 'TALKDESK').node;
  const months = new Set(monthList(range));
  const rowsPerAccount = Object.fromEntries(
    talkdesk.accounts.edges.map((e: any) => [e.node.name, e.node.monthlyUsage.length]),
  );
  const expected = Object.fromEntries(
    sims.talkdesk.data.accounts.map((a) => [a.name, sims.talkdesk.data.usage.filter((u) => u.account_id === a.id && months.has(u.month)).length]),
  );
  expect(rowsPerAccount).toEqual(expected);
}

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('the dashboard query', () => {
  const range = { from: '2025-03', to: '2025-08' };

  it('makes exactly the fewest vendor requests each vendor allows, and then none for the same query again', async () => {
    const sims = simsOf(app.vendors);
    resetLogs(sims);
    const cold = await app.query(DASHBOARD, range);
    expectDashboardAnswer(cold, sims, range);
    expect(counts(sims)).toEqual(minimum(sims, range));
    // Talkdesk is sent exactly the fewest filters the length limit allows, each once per page.
    const sentFilters = new Set(talkdeskUsageRequests(sims).map((r) => r.query.filter));
    expect([...sentFilters].sort()).toEqual([...talkdeskFilters(sims, range)].sort());
    expect(sims.evovoice.requests.filter((r) => r.path === '/auth/credentials')).toHaveLength(1);
    expect(sims.talkdesk.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);

    resetLogs(sims);
    const again = await app.query(DASHBOARD, range);
    expect(again.data).toEqual(cold.data);
    expect(counts(sims)).toEqual({ koreai: 0, cognigy: 0, evovoice: 0, talkdesk: 0 });
  });

  it('needs no vendor request for a different query over data already fetched (vendor-answer cache)', async () => {
    const sims = simsOf(app.vendors);
    resetLogs(sims);
    // Same months, other fields and a different operation text: the response cache cannot answer it, the vendor answers can.
    const res = await app.query(
      `query Names($from: Month!, $to: Month!) { organisations(first: 200, filter: { vendors: [TALKDESK] }) {
         edges { node { accounts(first: 200) { edges { node { name monthlyUsage(from: $from, to: $to) { month quantity } } } } } } } }`,
      range,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.organisations.edges[0].node.accounts.edges).toHaveLength(sims.talkdesk.data.accounts.length);
    expect(counts(sims)).toEqual({ koreai: 0, cognigy: 0, evovoice: 0, talkdesk: 0 });
  });
});

describe('concurrent identical queries', () => {
  it('makes as many vendor requests for 20 concurrent cold dashboard queries as one cold query needs', async () => {
    const fresh = await startTestApp();
    try {
      const sims = simsOf(fresh.vendors);
      const range = { from: '2025-04', to: '2025-09' };
      resetLogs(sims);
      const answers = await Promise.all(Array.from({ length: 20 }, () => fresh.query(DASHBOARD, range)));
      expectDashboardAnswer(answers[0], sims, range);
      for (const answer of answers) expect(answer.data).toEqual(answers[0].data);
      expect(counts(sims)).toEqual(minimum(sims, range));
      expect(sims.evovoice.requests.filter((r) => r.path === '/auth/credentials')).toHaveLength(1);
      expect(sims.talkdesk.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('batching of monthly usage', () => {
  it('asks Talkdesk for the usage of N accounts as one filtered request set, where unbatched loading sends one per account', async () => {
    const range = { from: '2025-09', to: '2026-02' };
    const months = new Set(monthList(range));
    let unbatchedUsage = 0;
    const unbatched = await startTestApp({ overrides: { upstream: { batching: false } } });
    try {
      const sims = simsOf(unbatched.vendors);
      resetLogs(sims);
      const res = await unbatched.query(DASHBOARD, range);
      expectDashboardAnswer(res, sims, range);
      // One request set per account: each account's months fit one filter, at 250 records a page.
      const perAccount = sims.talkdesk.data.accounts.reduce(
        (sum, a) => sum + pages(sims.talkdesk.data.usage.filter((u) => u.account_id === a.id && months.has(u.month)).length, 250),
        0,
      );
      unbatchedUsage = talkdeskUsageRequests(sims).length;
      expect(unbatchedUsage).toBe(perAccount);
      expect(perAccount).toBeGreaterThanOrEqual(sims.talkdesk.data.accounts.length);
    } finally {
      await unbatched.close();
    }

    const sims = simsOf(app.vendors);
    resetLogs(sims);
    const batched = await app.query(DASHBOARD, range);
    expectDashboardAnswer(batched, sims, range);
    const batchedUsage = talkdeskUsageRequests(sims).length;
    // The token and the accounts listing were fetched by an earlier query; only the usage pages are new.
    expect(counts(sims).talkdesk).toBe(talkdeskMinimum(sims, range) - 2);
    // N accounts in a handful of filtered requests: several times fewer than one request set per account.
    expect(batchedUsage * 5).toBeLessThanOrEqual(unbatchedUsage);
  });

  it('asks Kore.ai for the sessions of every bot in one call set per window, where unbatched loading asks per bot', async () => {
    const range = { from: '2026-03', to: '2026-05' };
    const unbatched = await startTestApp({ overrides: { upstream: { batching: false } } });
    const billingPath = '/api/public/bots/getBillingSessionsDetails';
    try {
      const sims = simsOf(unbatched.vendors);
      resetLogs(sims);
      const res = await unbatched.query(DASHBOARD, range);
      expect(res.errors).toBeUndefined();
      const calls = sims.koreai.requests.filter((r) => r.path === billingPath);
      // Every bot asked on its own: each call names one botId.
      const botsAsked = new Set(calls.map((r) => (r.body ? JSON.parse(r.body).botId : undefined)));
      expect([...botsAsked].sort()).toEqual(sims.koreai.data.bots.map((b) => b._id).sort());
    } finally {
      await unbatched.close();
    }

    const sims = simsOf(app.vendors);
    resetLogs(sims);
    expect((await app.query(DASHBOARD, range)).errors).toBeUndefined();
    const calls = sims.koreai.requests.filter((r) => r.path === billingPath);
    expect(calls.every((r) => JSON.parse(r.body ?? '{}').botId === undefined)).toBe(true);
    // Only the billing pages of each window are new: the bots listing was fetched by an earlier query.
    expect(sims.koreai.requests).toHaveLength(koreMinimum(sims, range) - pages(sims.koreai.data.bots.length, 50));
  });
});

describe('the same vendor data through different fields', () => {
  it('fetches the Cognigy listing once for its organisations and their usage in one query', async () => {
    const fresh = await startTestApp();
    try {
      const sims = simsOf(fresh.vendors);
      const range = { from: '2025-05', to: '2025-07' };
      resetLogs(sims);
      const res = await fresh.query(
        `query Cognigy($from: Month!, $to: Month!) {
           organisations(first: 200, filter: { vendors: [COGNIGY] }) { totalCount edges { node { name monthlyUsage(from: $from, to: $to) { quantity } } } }
           usage(filter: { from: $from, to: $to, vendors: [COGNIGY] }, groupBy: [VENDOR]) { rows { vendor quantity } }
         }`,
        range,
      );
      expect(res.errors).toBeUndefined();
      const months = new Set(monthList(range));
      const conversations = sims.cognigy.data.organisations
        .flatMap((o) => o.conversations)
        .filter((d) => months.has(`${d.year}-${String(d.month).padStart(2, '0')}`))
        .reduce((sum, d) => sum + d.conversations, 0);
      expect(res.data.organisations.totalCount).toBe(sims.cognigy.data.organisations.length);
      expect(res.data.usage.rows).toEqual([{ vendor: 'COGNIGY', quantity: conversations }]);
      const perOrganisation = res.data.organisations.edges.flatMap((e: any) => e.node.monthlyUsage).reduce((s: number, u: any) => s + u.quantity, 0);
      expect(perOrganisation).toBe(conversations);
      // Each listing page once, though organisations, their usage and the report all read it.
      expect(sims.cognigy.requests).toHaveLength(cognigyMinimum(sims));
      expect(new Set(sims.cognigy.requests.map((r) => JSON.stringify(r.query))).size).toBe(cognigyMinimum(sims));
    } finally {
      await fresh.close();
    }
  });
});
