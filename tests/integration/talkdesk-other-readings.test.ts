import Decimal from 'decimal.js';
import { Agent } from 'undici';
import { createTalkdeskConnector } from '../../src/vendors/talkdesk/client';
import { startTalkdeskSimulator, type TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';
import type { UsageRecord } from '../../src/model';
import { testConnectorDeps } from '../helpers/connector-deps';

/**
 * Talkdesk as a real server may answer: filters ignored, seed 003's page shape (no
 * totals, null fields left out), the accounts listing refused for want of a scope.
 * Expected values come from the simulator's data.
 */

const UNTIL = new Date('2025-12-15T00:00:00Z');
let agent: Agent;
beforeAll(() => {
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
});

async function withSim<T>(options: Parameters<typeof startTalkdeskSimulator>[0], fn: (sim: TalkdeskSimulator) => Promise<T>): Promise<T> {
  const sim = await startTalkdeskSimulator({ until: UNTIL, accounts: 60, ...options });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

/** Amount per currency and quantity per unit, as strings of exact decimals. */
function totals(rows: readonly { unit: string; currency: string | null; quantity: string | number; amount: string | number | null }[]): Record<string, string> {
  const sums: Record<string, Decimal> = {};
  for (const r of rows) {
    sums[`units ${r.unit}`] = (sums[`units ${r.unit}`] ?? new Decimal(0)).plus(r.quantity);
    if (r.amount !== null) sums[`amount ${r.currency}`] = (sums[`amount ${r.currency}`] ?? new Decimal(0)).plus(r.amount);
  }
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v.toFixed()]));
}

function expectedTotals(sim: TalkdeskSimulator, from: string, to: string, accountIds?: readonly string[]): Record<string, string> {
  const wanted = accountIds && new Set(accountIds);
  return totals(
    sim.data.usage
      .filter((u) => u.month >= from && u.month <= to && (!wanted || wanted.has(u.account_id)))
      .map((u) => ({ unit: u.unit, currency: u.currency, quantity: u.number_of_units, amount: u.total_amount })),
  );
}

const ofRecords = (records: UsageRecord[]) => totals(records.map((r) => ({ unit: r.unit, currency: r.currency, quantity: r.quantity, amount: r.amount })));

describe('Talkdesk, the other readings', () => {
  it('keeps only the asked months and accounts from a server that ignores the filter, each record once though account chunks repeat it', async () => {
    await withSim({ ignoreFilter: true }, async (sim) => {
      const connector = createTalkdeskConnector(sim.connectionConfig('td'), testConnectorDeps(agent));
      const accountIds = sim.data.accounts.slice(0, 50).map((a) => a.id);
      const records = await connector.usage({ from: '2025-03', to: '2025-05', timeZone: 'UTC', accountIds });
      expect(ofRecords(records)).toEqual(expectedTotals(sim, '2025-03', '2025-05', accountIds));
      expect(new Set(records.map((r) => r.accountExternalId))).toEqual(new Set(accountIds));
        // 50 ids do not fit one 1,600-character filter: several filters, each answered with every record.
      expect(new Set(sim.requests.filter((r) => r.path === '/express/usage/month').map((r) => r.query.filter)).size).toBeGreaterThan(1);
      expect(records.length).toBe(new Set(records.map((r) => `${r.month}|${r.accountExternalId}|${r.productId}`)).size);
    });
  });

  it("reads seed 003's page shape (no totals, null fields left out) by following next links to the last page", async () => {
    await withSim({ shape: 'seed' }, async (sim) => {
      const connector = createTalkdeskConnector(sim.connectionConfig('td'), testConnectorDeps(agent));
      const records = await connector.usage({ from: '2025-01', to: '2025-04', timeZone: 'UTC' });
      expect(ofRecords(records)).toEqual(expectedTotals(sim, '2025-01', '2025-04'));
      expect(records.length).toBeGreaterThan(250);
      expect((await connector.accounts()).map((a) => a.externalId)).toEqual(sim.data.accounts.map((a) => a.id));
    });
  });

  it('asks only for the scope seed 003 names by default; the refused accounts listing degrades to accounts by id with a note', async () => {
    await withSim({}, async (sim) => {
      const { scopes: _both, ...config } = sim.connectionConfig('td');
      const connector = createTalkdeskConnector({ ...config, scopes: ['express-accounts-usage:read'] }, testConnectorDeps(agent));
      const records = await connector.usage({ from: '2025-06', to: '2025-06', timeZone: 'UTC' });
      expect(ofRecords(records)).toEqual(expectedTotals(sim, '2025-06', '2025-06'));
      expect(await connector.accounts()).toEqual([]);
      expect(connector.notes?.()).toEqual([
        'The accounts listing was refused (HTTP 403; scopes asked: express-accounts-usage:read): accounts are shown by id without names.',
      ]);
      const token = sim.requests.find((r) => r.path === '/oauth/token')!;
      expect(new URLSearchParams(token.body).get('scope')).toBe('express-accounts-usage:read');
    });
  });
});
