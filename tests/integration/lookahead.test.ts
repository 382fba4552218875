import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KoreAiSimulator } from '../../src/vendors/koreai/simulator';
import { startTestApp, type TestApp } from '../helpers/app';

const DASHBOARD = readFileSync(join(__dirname, '..', '..', 'operations', 'dashboard.graphql'), 'utf8');

/**
 * A slow vendor must not hold the others: the dashboard's bots' monthly usage
 * starts as soon as Kore.ai's own listing is in, not when the slowest vendor's
 * organisations arrive. Shown by order of events in the simulators' logs
 * (Cognigy answers 600 ms after it is asked, Kore.ai at once), not by timing.
 */
describe('organisations look-ahead', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it("answers every Kore.ai session call of the dashboard before a slow Cognigy answers its first page, with the same vendor calls", async () => {
    const { cognigy } = app.vendors.simulators;
    const koreai = app.vendors.simulators.koreai as KoreAiSimulator;
    cognigy.latencyMs = 600;
    try {
      const res = await app.query(DASHBOARD, { from: '2025-03', to: '2025-05' });
      expect(res.errors).toBeUndefined();
      const cognigyFirst = Math.min(...cognigy.requests.map((r) => r.at));
      const sessionCalls = koreai.requests.filter((r) => r.path.endsWith('getBillingSessionsDetails'));
      expect(sessionCalls.length).toBeGreaterThan(0);
      expect(sessionCalls.filter((r) => r.at >= cognigyFirst)).toEqual([]);

      // The same answer for Kore.ai's bots as from the simulator's data, and no call twice.
      const kore = res.data.organisations.edges.map((e: any) => e.node).find((o: any) => o.vendor === 'KORE_AI');
      const sessions = kore.bots.edges.flatMap((e: any) => e.node.monthlyUsage).reduce((n: number, u: any) => n + u.quantity, 0);
      const from = Date.UTC(2025, 2, 1);
      const to = Date.UTC(2025, 5, 1);
      expect(sessions).toBe(koreai.data.sessions.filter((s) => s.start.getTime() >= from && s.start.getTime() < to).length);
      const bodies = sessionCalls.map((r) => r.body);
      expect(new Set(bodies).size).toBe(bodies.length);
    } finally {
      cognigy.latencyMs = 0;
    }
  });

  it('loads no usage for organisations the page leaves out', async () => {
    const { evovoice, talkdesk } = app.vendors.simulators;
    const koreai = app.vendors.simulators.koreai as KoreAiSimulator;
    for (const sim of [koreai, evovoice, talkdesk]) sim.resetLog();
    // Connections are listed in configuration order: Kore.ai's one organisation is the whole first page.
    const res = await app.query(DASHBOARD.replace('organisations(first: 200)', 'organisations(first: 1)'), { from: '2025-06', to: '2025-07' });
    expect(res.errors).toBeUndefined();
    expect(res.data.organisations.edges.map((e: any) => e.node.vendor)).toEqual(['KORE_AI']);
    expect(koreai.count('getBillingSessionsDetails')).toBeGreaterThan(0);
    expect(evovoice.count('/ai/usage')).toBe(0);
    expect(talkdesk.count('/express/usage/month')).toBe(0);
  });
});
