import Decimal from 'decimal.js';
import { Agent, request } from 'undici';
import { configSchema } from '../../src/config/schema';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { priceRecords } from '../../src/usage/rates';
import { groupUsage, totalUsage } from '../../src/usage/report';
import { createTalkdeskConnector } from '../../src/vendors/talkdesk/client';
import { startTalkdeskSimulator, type TalkdeskSimulator } from '../../src/vendors/talkdesk/simulator';
import type { TalkdeskUsageWire } from '../../src/vendors/talkdesk/wire';
import { testConnectorDeps } from '../helpers/connector-deps';

/**
 * Money without float drift: 100,000 Talkdesk records of 0.10 and 0.20 USD
 * (50,000 each) must add up to exactly 15,000.00, through the connector and the
 * report code, and through GraphQL. A naive float sum gives 15000.000000025351.
 */

const RECORDS = 100_000;
const ACCOUNTS = Array.from({ length: 8 }, (_, i) => `acc${String(i).padStart(21, '0')}`);
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);

/** Even records: 1 minute at 0.10; odd records: 2 minutes at 0.10 = 0.20. */
const usage: TalkdeskUsageWire[] = Array.from({ length: RECORDS }, (_, i) => ({
  id: i.toString(16).padStart(32, '0'),
  account_id: ACCOUNTS[i % ACCOUNTS.length],
  product_id: 'TD-USG-TEL-IN-102201',
  aggr_product_id: 'TD-USG-TEL-UG-102213',
  month: MONTHS[Math.floor(i / 2) % MONTHS.length],
  type: 'CALL',
  description: 'Inbound calls',
  currency: 'USD',
  direction: 'INBOUND',
  resolution: 'ANSWERED',
  unit: 'MINUTES',
  price: 0.1,
  wallet_name: 'contact center',
  number_of_units: i % 2 === 0 ? 1 : 2,
  total_amount: i % 2 === 0 ? 0.1 : 0.2,
}));

let sim: TalkdeskSimulator;
let agent: Agent;

beforeAll(async () => {
  sim = await startTalkdeskSimulator({ usage, until: new Date('2026-11-22T12:00:00Z') });
  agent = new Agent();
});
afterAll(async () => {
  await sim.close();
  await agent.close();
});

describe('Talkdesk money over 100,000 records', () => {
  it('starts from 50,000 records of 0.10 and 50,000 of 0.20 whose naive float sum is not 15,000', () => {
    expect(usage.filter((u) => u.total_amount === 0.1)).toHaveLength(50_000);
    expect(usage.filter((u) => u.total_amount === 0.2)).toHaveLength(50_000);
    const naive = usage.reduce((sum, u) => sum + (u.total_amount ?? 0), 0);
    // The exact assertions below would fail for code that adds floats.
    expect(naive).not.toBe(15_000);
    expect(String(naive)).not.toBe('15000');
  });

  it('sums every record exactly through the connector and the report: 150,000 minutes, 15,000 USD', async () => {
    const connector = createTalkdeskConnector(sim.connectionConfig('td-money'), testConnectorDeps(agent, { timeoutMs: 10_000 }));
    const records = priceRecords(await connector.usage({ from: '2025-01', to: '2025-12', timeZone: 'UTC' }), []);
    expect(records).toHaveLength(RECORDS);
    const totals = totalUsage(groupUsage(records, ['MONTH', 'UNIT', 'CURRENCY']));
    expect(totals).toEqual([{ unit: 'MINUTES', currency: 'USD', quantity: '150000', amount: '15000' }]);
  });

  it('shows the exact totals and monthly sums through GraphQL', async () => {
    let server: RunningServer | undefined;
    try {
      const config = configSchema.parse({
        // 100,000 records are more Talkdesk pages than the default vendor-call budget of one operation (200) allows.
        server: { port: 0, limits: { maxVendorCallsPerOperation: 2000 } },
        cache: { enabled: false },
        // 400 pages on a busy machine may take longer than the default 8 s source deadline; this test is about exact sums.
        upstream: { sourceDeadlineMs: 300_000 },
        connections: [sim.connectionConfig('td-money')],
      });
      server = await startServer(config, silentLogger);
      const res = await request(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ usage(filter: { from: "2025-01", to: "2025-12" }, groupBy: [MONTH, UNIT, CURRENCY]) {
            incomplete rows { month unit currency quantity amount } totals { unit currency quantity amount } } }`,
        }),
      });
      const body = (await res.body.json()) as { data: any; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data.usage.incomplete).toBe(false);
      expect(body.data.usage.totals).toEqual([{ unit: 'MINUTES', currency: 'USD', quantity: 150_000, amount: 15_000 }]);

      const byMonth = new Map<string, { quantity: Decimal; amount: Decimal }>();
      for (const u of usage) {
        const m = byMonth.get(u.month) ?? { quantity: new Decimal(0), amount: new Decimal(0) };
        byMonth.set(u.month, { quantity: m.quantity.plus(u.number_of_units), amount: m.amount.plus(String(u.total_amount)) });
      }
      expect(body.data.usage.rows).toEqual(
        MONTHS.map((month) => ({ month, unit: 'MINUTES', currency: 'USD', quantity: byMonth.get(month)!.quantity.toNumber(), amount: byMonth.get(month)!.amount.toNumber() })),
      );
    } finally {
      await server?.close();
    }
  });
});
