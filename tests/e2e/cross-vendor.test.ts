import Decimal from 'decimal.js';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Every vendor end to end: GraphQL over HTTP -> the real server -> the four
 * simulators. Expected values are computed here from each simulator's seeded
 * `data`, in vendor terms, with the demo's rates (Kore.ai 0.05 USD per session,
 * Evovoice 0.02 USD per minute).
 */

const FROM = '2025-01';
const TO = '2025-12';
const KORE_RATE = '0.05';
const EVO_RATE = '0.02';

let app: TestApp;
/** Global ids by vendor external id, read once from the listings. */
const ids = { organisation: new Map<string, string>(), account: new Map<string, string>(), bot: new Map<string, string>() };

const inYear = (month: string) => month >= FROM && month <= TO;
const shown = (amount: Decimal) => amount.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber();
const month2 = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;
const sims = () => app.vendors.simulators as any;

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await app.query<T>(query, variables);
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data;
}

/** Evovoice minutes per month of an account (its own and all its customers') or of one customer, from the daily data. */
function evoMinutesByMonth(series: readonly (readonly number[])[]): Map<string, number> {
  const { days } = sims().evovoice.data;
  const byMonth = new Map<string, number>();
  (days as string[]).forEach((day, d) => {
    const month = day.slice(0, 7);
    if (inYear(month)) byMonth.set(month, (byMonth.get(month) ?? 0) + series.reduce((s, minutes) => s + minutes[d], 0));
  });
  for (const [month, minutes] of byMonth) if (minutes === 0) byMonth.delete(month);
  return byMonth;
}
function evoAccountSeries(accountId: string): number[][] {
  const data = sims().evovoice.data;
  return [data.accountOwnDailyMinutes[accountId], ...data.customers.filter((c: any) => c.accountId === accountId).map((c: any) => data.customerDailyMinutes[c.id])];
}

beforeAll(async () => {
  app = await startTestApp();
  const data = await ok(`{
    organisations(first: 500) { edges { node { id externalId
      accounts(first: 500) { edges { node { id externalId } } }
      bots(first: 500) { edges { node { id externalId } } } } } }
  }`);
  for (const { node: o } of data.organisations.edges) {
    ids.organisation.set(o.externalId, o.id);
    for (const { node: a } of o.accounts.edges) ids.account.set(a.externalId, a.id);
    for (const { node: b } of o.bots.edges) ids.bot.set(b.externalId, b.id);
  }
});
afterAll(async () => {
  await app?.close();
});

describe('organisations across vendors', () => {
  const PAGE = `query($filter: OrganisationFilter, $after: String) {
    organisations(filter: $filter, first: 40, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { externalId name disabled vendor } }
    }
  }`;
  async function allPages(filter: Record<string, unknown>) {
    const nodes: any[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (;;) {
      const { organisations }: { organisations: any } = await ok(PAGE, { filter, after });
      totalCount = organisations.totalCount;
      nodes.push(...organisations.edges.map((e: any) => e.node));
      if (!organisations.pageInfo.hasNextPage) break;
      after = organisations.pageInfo.endCursor;
    }
    return { nodes, totalCount };
  }
  const cognigy = () => sims().cognigy.data.organisations as { organisationId: string; name: string; isDisabled: boolean }[];

  it("lists every one of Cognigy's more than 100 organisations once when paging the connection", async () => {
    const { nodes, totalCount } = await allPages({ vendors: ['COGNIGY'] });
    expect(cognigy().length).toBeGreaterThan(100);
    expect(totalCount).toBe(cognigy().length);
    expect(nodes.map((n) => n.externalId).sort()).toEqual(cognigy().map((o) => o.organisationId).sort());
    const byId = new Map(cognigy().map((o) => [o.organisationId, o]));
    for (const n of nodes) {
      expect(n).toEqual({ externalId: n.externalId, name: byId.get(n.externalId)!.name, disabled: byId.get(n.externalId)!.isDisabled, vendor: 'COGNIGY' });
    }
  });

  it('leaves disabled organisations out when includeDisabled is false', async () => {
    const { nodes } = await allPages({ vendors: ['COGNIGY'], includeDisabled: false });
    const enabled = cognigy().filter((o) => !o.isDisabled);
    expect(enabled.length).toBeLessThan(cognigy().length);
    expect(nodes.map((n) => n.externalId).sort()).toEqual(enabled.map((o) => o.organisationId).sort());
  });

  it('finds organisations by a case-insensitive part of their name', async () => {
    const { nodes } = await allPages({ vendors: ['COGNIGY'], search: 'BaNk' });
    const expected = cognigy().filter((o) => o.name.toLowerCase().includes('bank'));
    expect(expected.length).toBeGreaterThan(0);
    expect(nodes.map((n) => n.externalId).sort()).toEqual(expected.map((o) => o.organisationId).sort());
  });

  it('shows one organisation for each of Kore.ai, Evovoice and Talkdesk', async () => {
    const { nodes } = await allPages({ vendors: ['KORE_AI', 'EVOVOICE', 'TALKDESK'] });
    expect(nodes.map((n) => [n.vendor, n.externalId]).sort()).toEqual(
      [['KORE_AI', sims().koreai.data.accountId], ['EVOVOICE', 'evo-demo'], ['TALKDESK', 'talkdesk-demo']].sort(),
    );
  });
});

describe('accounts and customers', () => {
  const ACCOUNTS = `query($vendor: Vendor!) {
    organisations(filter: { vendors: [$vendor] }) { edges { node {
      accounts(first: 500) { totalCount edges { node { externalId name vendor customers { externalId } } } } } } }
  }`;

  it('lists Talkdesk accounts exactly as the vendor holds them', async () => {
    const data = await ok(ACCOUNTS, { vendor: 'TALKDESK' });
    const accounts = data.organisations.edges[0].node.accounts;
    const wire = sims().talkdesk.data.accounts as { id: string; name: string; company_name: string | null }[];
    expect(accounts.totalCount).toBe(wire.length);
    expect(accounts.edges.map((e: any) => [e.node.externalId, e.node.name, e.node.vendor, e.node.customers])).toEqual(
      wire.map((a) => [a.id, a.name || a.company_name, 'TALKDESK', []]),
    );
  });

  it('lists Evovoice accounts with their customers exactly as the vendor holds them', async () => {
    const data = await ok(ACCOUNTS, { vendor: 'EVOVOICE' });
    const { accounts, customers } = sims().evovoice.data as { accounts: { id: string; name: string }[]; customers: { id: string; accountId: string }[] };
    expect(data.organisations.edges[0].node.accounts.edges.map((e: any) => e.node)).toEqual(
      accounts.map((a) => ({
        externalId: a.id,
        name: a.name,
        vendor: 'EVOVOICE',
        customers: customers.filter((c) => c.accountId === a.id).map((c) => ({ externalId: c.id })),
      })),
    );
  });
});

describe('monthlyUsage on each kind of entity', () => {
  it("sums a Cognigy organisation's daily conversations into months per channel", async () => {
    const org = sims().cognigy.data.organisations.find((o: any) => o.conversations.some((d: any) => d.year === 2025))!;
    const data = await ok(`query($id: ID!) { organisation(id: $id) { monthlyUsage(from: "${FROM}", to: "${TO}") { month vendor channel type unit quantity amount currency } } }`, {
      id: ids.organisation.get(org.organisationId),
    });
    const sums = new Map<string, number>();
    for (const d of org.conversations) {
      const month = month2(d.year, d.month);
      if (inYear(month)) sums.set(`${month}|${d.channel.toLowerCase()}`, (sums.get(`${month}|${d.channel.toLowerCase()}`) ?? 0) + d.conversations);
    }
    const expected = [...sums].map(([key, quantity]) => {
      const [month, channel] = key.split('|');
      return { month, vendor: 'COGNIGY', channel, type: 'CONVERSATION', unit: 'CONVERSATIONS', quantity, amount: null, currency: null };
    });
    const byKey = (a: any, b: any) => `${a.month}${a.channel}`.localeCompare(`${b.month}${b.channel}`);
    expect([...data.organisation.monthlyUsage].sort(byKey)).toEqual(expected.sort(byKey));
  });

  it("counts each Kore.ai bot's billing sessions per month, channel and type, priced at the rate", async () => {
    const { bots, sessions } = sims().koreai.data;
    for (const bot of bots.slice(0, 2)) {
      const data = await ok(`query($id: ID!) { bot(id: $id) { monthlyUsage(from: "${FROM}", to: "${TO}") { month channel type unit quantity amount currency } } }`, {
        id: ids.bot.get(bot._id),
      });
      const counts = new Map<string, number>();
      for (const s of sessions) {
        const month = s.start.toISOString().slice(0, 7);
        if (s.botId !== bot._id || !inYear(month)) continue;
        const key = `${month}|${s.channel.toLowerCase()}|${s.billingSessionType === 'Alerts' ? 'ALERT_SESSION' : 'BILLING_SESSION'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const expected = [...counts].map(([key, n]) => {
        const [month, channel, type] = key.split('|');
        return { month, channel, type, unit: 'SESSIONS', quantity: n, amount: shown(new Decimal(KORE_RATE).times(n)), currency: 'USD' };
      });
      const byKey = (a: any, b: any) => `${a.month}${a.channel}${a.type}`.localeCompare(`${b.month}${b.channel}${b.type}`);
      expect(expected.length).toBeGreaterThan(12);
      expect([...data.bot.monthlyUsage].sort(byKey)).toEqual(expected.sort(byKey));
    }
  });

  it("gives an Evovoice account its total minutes and each customer its own, never adding them twice", async () => {
    const account = sims().evovoice.data.accounts[0];
    const data = await ok(`query($id: ID!) { account(id: $id) {
      monthlyUsage(from: "${FROM}", to: "${TO}") { month type unit quantity unitPrice amount currency customerId }
      customers { externalId monthlyUsage(from: "${FROM}", to: "${TO}") { month quantity amount currency customerId } } } }`, {
      id: ids.account.get(account.id),
    });
    const expectedAccount = [...evoMinutesByMonth(evoAccountSeries(account.id))].map(([month, minutes]) => ({
      month, type: 'AI_MINUTES', unit: 'MINUTES', quantity: minutes, unitPrice: 0.02, amount: shown(new Decimal(EVO_RATE).times(minutes)), currency: 'USD', customerId: null,
    }));
    expect(data.account.monthlyUsage).toEqual(expectedAccount);
    const customerData = sims().evovoice.data.customerDailyMinutes;
    expect(data.account.customers.length).toBeGreaterThan(1);
    for (const customer of data.account.customers) {
      const expected = [...evoMinutesByMonth([customerData[customer.externalId]])].map(([month, minutes]) => ({
        month, quantity: minutes, amount: shown(new Decimal(EVO_RATE).times(minutes)), currency: 'USD', customerId: customer.externalId,
      }));
      expect(customer.monthlyUsage).toEqual(expected);
    }
  });

  it('keeps every field of a Talkdesk record on the account it belongs to', async () => {
    const usage = sims().talkdesk.data.usage as any[];
    const account = usage.find((u) => u.month === '2025-06' && u.direction !== null && u.resolution !== null)!.account_id;
    const data = await ok(`query($id: ID!) { account(id: $id) { monthlyUsage(from: "${FROM}", to: "${TO}") {
      month vendor type unit quantity productId aggregateProductId description direction resolution unitPrice amount currency wallet customerId channel } } }`, {
      id: ids.account.get(account),
    });
    const expected = usage
      .filter((u) => u.account_id === account && inYear(u.month))
      .map((u) => ({
        month: u.month,
        vendor: 'TALKDESK',
        type: u.type,
        unit: u.unit,
        quantity: u.number_of_units,
        productId: u.product_id,
        aggregateProductId: u.aggr_product_id,
        description: u.description,
        direction: u.direction,
        resolution: u.resolution,
        unitPrice: u.price,
        amount: shown(new Decimal(String(u.total_amount))),
        currency: u.currency,
        wallet: u.wallet_name,
        customerId: null,
        channel: null,
      }));
    const byKey = (a: any, b: any) => `${a.month}${a.productId}`.localeCompare(`${b.month}${b.productId}`);
    expect(expected.length).toBeGreaterThan(12);
    expect([...data.account.monthlyUsage].sort(byKey)).toEqual(expected.sort(byKey));
  });
});

describe('the cross-vendor usage report', () => {
  type Sum = { quantity: Decimal; amount: Decimal | null };
  /** Independent totals keyed "month|vendor|unit|currency", in vendor terms. */
  function expectedRows(): Map<string, Sum> {
    const rows = new Map<string, Sum>();
    const add = (month: string, vendor: string, unit: string, currency: string | null, quantity: Decimal.Value, amount: Decimal.Value | null) => {
      const key = `${month}|${vendor}|${unit}|${currency ?? ''}`;
      const row = rows.get(key) ?? { quantity: new Decimal(0), amount: null };
      row.quantity = row.quantity.plus(quantity);
      if (amount !== null) row.amount = (row.amount ?? new Decimal(0)).plus(amount);
      rows.set(key, row);
    };
    for (const s of sims().koreai.data.sessions) {
      const month = s.start.toISOString().slice(0, 7);
      if (inYear(month)) add(month, 'KORE_AI', 'SESSIONS', 'USD', 1, KORE_RATE);
    }
    for (const o of sims().cognigy.data.organisations) {
      for (const d of o.conversations) if (inYear(month2(d.year, d.month))) add(month2(d.year, d.month), 'COGNIGY', 'CONVERSATIONS', null, d.conversations, null);
    }
    for (const a of sims().evovoice.data.accounts) {
      for (const [month, minutes] of evoMinutesByMonth(evoAccountSeries(a.id))) add(month, 'EVOVOICE', 'MINUTES', 'USD', minutes, new Decimal(minutes).times(EVO_RATE));
    }
    for (const u of sims().talkdesk.data.usage) {
      if (inYear(u.month)) add(u.month, 'TALKDESK', u.unit, u.currency, u.number_of_units, String(u.total_amount));
    }
    return rows;
  }

  it("reports twelve months by month, vendor, unit and currency with every figure equal to the vendors' own data", async () => {
    const data = await ok(`{ usage(filter: { from: "${FROM}", to: "${TO}" }, groupBy: [MONTH, VENDOR, UNIT, CURRENCY]) {
      incomplete sources { state connection { name } }
      rows { month vendor unit currency quantity amount }
      totals { unit currency quantity amount } } }`);
    expect(data.usage.incomplete).toBe(false);
    expect(data.usage.sources.map((s: any) => [s.connection.name, s.state]).sort()).toEqual(
      [['cognigy-demo', 'OK'], ['evo-demo', 'OK'], ['kore-demo', 'OK'], ['talkdesk-demo', 'OK']],
    );

    const expected = expectedRows();
    const asRow = ([key, sum]: [string, Sum]) => {
      const [month, vendor, unit, currency] = key.split('|');
      return { month, vendor, unit, currency: currency || null, quantity: sum.quantity.toNumber(), amount: sum.amount === null ? null : shown(sum.amount) };
    };
    const order = (r: any) => `${r.month}|${r.vendor}|${r.unit}|${r.currency ?? ''}`;
    const byKey = (a: any, b: any) => order(a).localeCompare(order(b));
    expect([...data.usage.rows].sort(byKey)).toEqual([...expected].map(asRow).sort(byKey));
    // Every vendor and month is there.
    for (const vendor of ['KORE_AI', 'COGNIGY', 'EVOVOICE', 'TALKDESK']) {
      expect(new Set(data.usage.rows.filter((r: any) => r.vendor === vendor).map((r: any) => r.month)).size).toBe(12);
    }

    const totals = new Map<string, Sum>();
    for (const [key, sum] of expected) {
      const [, , unit, currency] = key.split('|');
      const t = totals.get(`${unit}|${currency}`) ?? { quantity: new Decimal(0), amount: null };
      t.quantity = t.quantity.plus(sum.quantity);
      if (sum.amount !== null) t.amount = (t.amount ?? new Decimal(0)).plus(sum.amount);
      totals.set(`${unit}|${currency}`, t);
    }
    const expectedTotals = [...totals].map(([key, t]) => {
      const [unit, currency] = key.split('|');
      return { unit, currency: currency || null, quantity: t.quantity.toNumber(), amount: t.amount === null ? null : shown(t.amount) };
    });
    const totalKey = (a: any, b: any) => `${a.unit}|${a.currency ?? ''}`.localeCompare(`${b.unit}|${b.currency ?? ''}`);
    expect([...data.usage.totals].sort(totalKey)).toEqual(expectedTotals.sort(totalKey));
  });

  it("counts Evovoice customers' minutes once: account rows equal the vendor's account totals", async () => {
    const data = await ok(`{ usage(filter: { from: "${FROM}", to: "${TO}", vendors: [EVOVOICE] }, groupBy: [ACCOUNT, UNIT]) {
      rows { account { externalId } unit quantity amount currency } } }`);
    const evo = sims().evovoice.data;
    const expected = evo.accounts.map((a: any) => {
      const minutes = [...evoMinutesByMonth(evoAccountSeries(a.id)).values()].reduce((s, m) => s + m, 0);
      return { account: { externalId: a.id }, unit: 'MINUTES', quantity: minutes, amount: shown(new Decimal(minutes).times(EVO_RATE)), currency: 'USD' };
    });
    const byAccount = (a: any, b: any) => a.account.externalId.localeCompare(b.account.externalId);
    expect([...data.usage.rows].sort(byAccount)).toEqual([...expected].sort(byAccount));
    // Adding the customers again would give a larger number: the check above can tell.
    const customerMinutes = evo.customers.reduce(
      (s: number, c: any) => s + [...evoMinutesByMonth([evo.customerDailyMinutes[c.id]]).values()].reduce((x, m) => x + m, 0),
      0,
    );
    expect(customerMinutes).toBeGreaterThan(0);
  });
});
