import { startTestApp, type TestApp } from '../helpers/app';

/**
 * The demo's history holds still: the same past month answers the same figures
 * whether the simulators' "today" is in March or a month later, and days after
 * "today" are absent.
 */
const TODAY = new Date('2026-03-10T15:00:00Z');
const A_MONTH_LATER = new Date('2026-04-10T15:00:00Z');

const REPORT = `{
  usage(filter: { from: "2025-06", to: "2026-02" }, groupBy: [MONTH, CONNECTION, UNIT, CURRENCY]) {
    rows { month connection { name } unit quantity currency amount }
    incomplete
  }
}`;
const SESSIONS = `{
  organisations(filter: { vendors: [KORE_AI] }) { edges { node { bots { edges { node { externalId
    billingSessions(from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z", first: 50) { totalCount edges { node { externalId start end } } }
  } } } } } }
}`;

let before: TestApp;
let after: TestApp;
beforeAll(async () => {
  before = await startTestApp({ until: TODAY });
  after = await startTestApp({ until: A_MONTH_LATER });
});
afterAll(async () => {
  await before?.close();
  await after?.close();
});

describe('demo data when "today" moves forward a month', () => {
  it('reports every past month exactly as before, for every vendor', async () => {
    const [a, b] = await Promise.all([before.query(REPORT), after.query(REPORT)]);
    expect(a.errors).toBeUndefined();
    expect(a.data.usage.incomplete).toBe(false);
    expect(a.data.usage.rows.length).toBeGreaterThan(9 * 4);
    expect(b.data.usage.rows).toEqual(a.data.usage.rows);
  });

  it("keeps a past month's Kore.ai billing sessions, ids included", async () => {
    const [a, b] = await Promise.all([before.query(SESSIONS), after.query(SESSIONS)]);
    expect(a.errors).toBeUndefined();
    const bots = a.data.organisations.edges.flatMap((o: any) => o.node.bots.edges.map((b: any) => b.node));
    expect(bots.reduce((n: number, bot: any) => n + bot.billingSessions.totalCount, 0)).toBeGreaterThan(100);
    expect(b.data).toEqual(a.data);
  });

  it('has no data after "today" and grows the current month as days pass', async () => {
    const month = `{ usage(filter: { from: "2026-03", to: "2026-04" }, groupBy: [MONTH, VENDOR]) { rows { month vendor unit quantity } } }`;
    const [a, b] = await Promise.all([before.query(month), after.query(month)]);
    expect(a.data.usage.rows.filter((r: any) => r.month === '2026-04')).toEqual([]);
    expect(b.data.usage.rows.filter((r: any) => r.month === '2026-04').length).toBeGreaterThan(0);
    const march = (rows: any[], vendor: string) => rows.filter((r) => r.month === '2026-03' && r.vendor === vendor).reduce((n, r) => n + r.quantity, 0);
    for (const vendor of ['KORE_AI', 'EVOVOICE', 'TALKDESK']) expect(march(b.data.usage.rows, vendor)).toBeGreaterThan(march(a.data.usage.rows, vendor));
  });
});
