import { randomBytes } from 'node:crypto';
import { createCognigyConnector } from '../../src/vendors/cognigy/client';
import { startCognigySimulator, type CognigySimulatorOptions } from '../../src/vendors/cognigy/simulator';
import { createEvovoiceConnector } from '../../src/vendors/evovoice/client';
import { startEvovoiceSimulator, type EvovoiceSimulatorOptions } from '../../src/vendors/evovoice/simulator';
import { createKoreAiConnector } from '../../src/vendors/koreai/client';
import { startKoreAiSimulator, type KoreAiSimulatorOptions } from '../../src/vendors/koreai/simulator';
import { createTalkdeskConnector } from '../../src/vendors/talkdesk/client';
import { startTalkdeskSimulator, type TalkdeskSimulatorOptions } from '../../src/vendors/talkdesk/simulator';
import type { UsageRecord } from '../../src/model';
import { connectorContract, totalsOf, totalsSeen } from './connector-contract';

/**
 * The contract suite against all four connectors, each in front of its own simulator: once as
 * the contract describes the vendor, once in a mode that serves the seeds' literal shapes and
 * ignores what a careless server ignores (Talkdesk's filter, Kore.ai's period, Evovoice's
 * account filters). Both runs must give the same totals, to the cent.
 */

const UNTIL = new Date('2026-11-22T12:00:00Z');
const wrong = () => `wrong-${randomBytes(12).toString('hex')}`;
const inRange = (month: string, from: string, to: string) => month >= from && month <= to;
/** Numbers compared as numbers: "12.50" and 12.5 are the same amount to a user. */
const num = (value: string | number | null) => (value === null ? 'null' : String(Number(value)));

/** Counts per key, then "key|count" per key: the identity of an aggregated row. */
function countsBy(keys: Iterable<string>): string[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}|${n}`);
}

// Kore.ai: 60 bots (two pages of 50); five months need two 90-day windows of session pages.
const koreAi = (name: string, mode: KoreAiSimulatorOptions = {}) => connectorContract(name, {
  start: () => startKoreAiSimulator({ until: UNTIL, bots: 60, ...mode }),
  config: (sim) => sim.connectionConfig('kore-contract'),
  create: createKoreAiConnector,
  badCredentials: (config) => {
    const secret = wrong();
    return { config: { ...config, clientSecret: secret }, secret };
  },
  expectedListings: (sim) => ({ organisations: [sim.data.accountId], accounts: [], bots: sim.data.bots.map((b) => b._id) }),
  range: { from: '2025-01', to: '2025-05' },
  expectedUsage: (sim, from, to) =>
    countsBy(
      sim.data.sessions
        .map((s) => ({ s, month: s.start.toISOString().slice(0, 7) }))
        .filter(({ month }) => inRange(month, from, to))
        .map(({ s, month }) => `${month}|${s.botId}|${s.channel.toLowerCase()}|${s.billingSessionType === 'Alerts' ? 'ALERT_SESSION' : 'BILLING_SESSION'}`),
    ),
  usageKey: (r: UsageRecord) => `${r.month}|${r.botExternalId}|${r.channel}|${r.type}|${num(r.quantity)}`,
  usagePath: 'getBillingSessionsDetails',
  expectedTotals: (sim, from, to) =>
    totalsOf(sim.data.sessions.filter((s) => inRange(s.start.toISOString().slice(0, 7), from, to)).map(() => ({ unit: 'SESSIONS', currency: null, quantity: 1, amount: null }))),
});

// Cognigy: 130 organisations (two pages of 100); usage is the daily history summed per month and channel.
const cognigy = (name: string, mode: CognigySimulatorOptions = {}) => connectorContract(name, {
  start: () => startCognigySimulator({ until: UNTIL, ...mode }),
  config: (sim) => sim.connectionConfig('cognigy-contract'),
  create: createCognigyConnector,
  badCredentials: (config) => {
    const secret = wrong();
    return { config: { ...config, password: secret }, secret };
  },
  expectedListings: (sim) => ({ organisations: sim.data.organisations.map((o) => o.organisationId), accounts: [], bots: [] }),
  range: { from: '2025-01', to: '2025-04' },
  expectedUsage: (sim, from, to) => {
    const sums = new Map<string, number>();
    for (const o of sim.data.organisations) {
      for (const d of o.conversations) {
        const month = `${d.year}-${String(d.month).padStart(2, '0')}`;
        if (!inRange(month, from, to)) continue;
        const key = `${month}|${o.organisationId}|${d.channel.toLowerCase()}`;
        sums.set(key, (sums.get(key) ?? 0) + d.conversations);
      }
    }
    return [...sums].map(([k, n]) => `${k}|${n}`);
  },
  usageKey: (r) => `${r.month}|${r.organisationExternalId}|${r.channel}|${num(r.quantity)}`,
  usagePath: '/new/management/v2.0/billing',
  expectedTotals: (sim, from, to) =>
    totalsOf(
      sim.data.organisations.flatMap((o) =>
        o.conversations
          .filter((d) => inRange(`${d.year}-${String(d.month).padStart(2, '0')}`, from, to))
          .map((d) => ({ unit: 'CONVERSATIONS', currency: null, quantity: d.conversations, amount: null })),
      ),
    ),
});

// Evovoice: 120 accounts (two pages of 100); an account's minutes are its own plus its customers'.
const evovoice = (name: string, mode: EvovoiceSimulatorOptions = {}) => connectorContract(name, {
  start: () => startEvovoiceSimulator({ until: UNTIL, accounts: 120, ...mode }),
  config: (sim) => sim.connectionConfig('evo-contract'),
  create: createEvovoiceConnector,
  badCredentials: (config) => {
    const secret = wrong();
    return { config: { ...config, password: secret }, secret };
  },
  expectedListings: (sim) => ({ organisations: ['evo-contract'], accounts: sim.data.accounts.map((a) => a.id), bots: [] }),
  range: { from: '2025-01', to: '2025-04' },
  expectedUsage: (sim, from, to) => {
    const { days, accounts, customers, customerDailyMinutes, accountOwnDailyMinutes } = sim.data;
    const keys: string[] = [];
    for (const account of accounts) {
      const series = [accountOwnDailyMinutes[account.id], ...customers.filter((c) => c.accountId === account.id).map((c) => customerDailyMinutes[c.id])];
      const byMonth = new Map<string, number>();
      days.forEach((day, d) => {
        const month = day.slice(0, 7);
        if (inRange(month, from, to)) byMonth.set(month, (byMonth.get(month) ?? 0) + series.reduce((s, minutes) => s + minutes[d], 0));
      });
      // Evovoice leaves out accounts without minutes.
      for (const [month, minutes] of byMonth) if (minutes > 0) keys.push(`${month}|${account.id}|${minutes}`);
    }
    return keys;
  },
  usageKey: (r) => `${r.month}|${r.accountExternalId}|${num(r.quantity)}`,
  usagePath: '/ai/usage',
  expectedTotals: (sim, from, to) => {
    const { days, accounts, accountOwnDailyMinutes, customers, customerDailyMinutes } = sim.data;
    const series = [...accounts.map((a) => accountOwnDailyMinutes[a.id]), ...customers.map((c) => customerDailyMinutes[c.id])];
    return totalsOf(
      days.flatMap((day, d) => (inRange(day.slice(0, 7), from, to) ? series.map((minutes) => ({ unit: 'MINUTES', currency: null, quantity: minutes[d], amount: null })) : [])),
    );
  },
});

// Talkdesk: 260 accounts (two pages of 250); three months of usage are many pages of 250.
const talkdesk = (name: string, mode: TalkdeskSimulatorOptions = {}) => connectorContract(name, {
  start: () => startTalkdeskSimulator({ until: UNTIL, accounts: 260, ...mode }),
  config: (sim) => sim.connectionConfig('talkdesk-contract'),
  create: createTalkdeskConnector,
  badCredentials: (config) => {
    const secret = wrong();
    return { config: { ...config, clientSecret: secret }, secret };
  },
  expectedListings: (sim) => ({ organisations: ['talkdesk-contract'], accounts: sim.data.accounts.map((a) => a.id), bots: [] }),
  range: { from: '2025-01', to: '2025-03' },
  expectedUsage: (sim, from, to) =>
    sim.data.usage
      .filter((u) => inRange(u.month, from, to))
      .map((u) => `${u.month}|${u.account_id}|${u.product_id}|${num(u.number_of_units)}|${num(u.total_amount)}`),
  usageKey: (r) => `${r.month}|${r.accountExternalId}|${r.productId}|${num(r.quantity)}|${num(r.amount)}`,
  usagePath: '/express/usage/month',
  expectedTotals: (sim, from, to) =>
    totalsOf(sim.data.usage.filter((u) => inRange(u.month, from, to)).map((u) => ({ unit: u.unit, currency: u.currency, quantity: u.number_of_units, amount: u.total_amount }))),
});

const RUNS: Array<[vendor: string, contract: () => void, seedShapes: () => void]> = [
  ['Kore.ai', () => koreAi('Kore.ai'), () => koreAi('Kore.ai (seed 000 pages, period ignored)', { shape: 'seed', ignorePeriod: true })],
  ['Cognigy', () => cognigy('Cognigy'), () => cognigy('Cognigy (older next/previous cursors, no total)', { cursorField: 'next', reportTotal: false })],
  ['Evovoice', () => evovoice('Evovoice'), () => evovoice('Evovoice (PascalCase, pages without totals, filters ignored)', { pascalCase: true, pages: 'items-only', ignoreFilters: true })],
  ['Talkdesk', () => talkdesk('Talkdesk'), () => talkdesk('Talkdesk (seed 003 pages, filter ignored)', { shape: 'seed', ignoreFilter: true })],
];
for (const [, contract, seedShapes] of RUNS) {
  contract();
  seedShapes();
}

describe('the contract and the seed-shape runs', () => {
  it.each(RUNS.map(([vendor]) => [vendor]))('give %s the same totals, to the cent', (vendor) => {
    const runs = [...totalsSeen].filter(([name]) => name === vendor || name.startsWith(`${vendor} (`));
    expect(runs).toHaveLength(2);
    expect(runs[1][1]).toEqual(runs[0][1]);
  });
});
