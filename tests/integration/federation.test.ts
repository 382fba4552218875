import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { encodeId } from '../../src/ids';
import type { CognigySimulator, CognigySimulatorData } from '../../src/vendors/cognigy/simulator';
import { startTestApp, type TestApp } from '../helpers/app';
import { crmTypeDefs, startCrmSubgraph, startGateway, type CrmCustomerSeed, type RunningGraph } from '../helpers/supergraph';

/**
 * The API as an Apollo Federation 2 subgraph, over real HTTP: what anyone can
 * check by hand (`_service`, `_entities`), composition with another company
 * subgraph, and a real Apollo Gateway answering one query across both, with
 * the vendor requests it costs read from the simulators' logs.
 */

const FROM = '2025-01';
const TO = '2025-06';
const month2 = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Organisation { id vendor externalId name }
    ... on Account { id vendor externalId }
    ... on Bot { id vendor externalId }
    ... on VendorConnection { id name vendor }
  }
}`;

/** Cognigy conversations per month and channel of one organisation, summed from the simulator's daily data. */
function cognigyUsage(data: CognigySimulatorData, organisationId: string) {
  const org = data.organisations.find((o) => o.organisationId === organisationId)!;
  const sums = new Map<string, number>();
  for (const d of org.conversations) {
    const month = month2(d.year, d.month);
    const key = `${month}|${d.channel.toLowerCase()}`;
    if (month >= FROM && month <= TO) sums.set(key, (sums.get(key) ?? 0) + d.conversations);
  }
  return [...sums].map(([key, quantity]) => ({ month: key.split('|')[0], channel: key.split('|')[1], quantity })).sort(byMonthAndChannel);
}
const byMonthAndChannel = (a: { month: string; channel: string | null }, b: { month: string; channel: string | null }) =>
  `${a.month}|${a.channel}`.localeCompare(`${b.month}|${b.channel}`);

const cognigyData = (app: TestApp) => (app.vendors.simulators.cognigy as CognigySimulator).data;
const requestCounts = (app: TestApp) => Object.fromEntries(Object.entries(app.vendors.simulators).map(([name, sim]) => [name, sim.requests.length]));
const resetLogs = (app: TestApp) => Object.values(app.vendors.simulators).forEach((sim) => sim.resetLog());

describe('the subgraph as anyone can check it over HTTP', () => {
  let app: TestApp;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    app = await startTestApp();
    const res = await app.query(`{
      connections { id name }
      organisations(first: 500) { edges { node { id vendor externalId
        accounts(first: 1) { edges { node { id externalId } } }
        bots(first: 1) { edges { node { id externalId } } } } } }
    }`);
    expect(res.errors).toBeUndefined();
    for (const c of res.data.connections) ids.set(`connection/${c.name}`, c.id);
    for (const { node: o } of res.data.organisations.edges) {
      ids.set(`organisation/${o.vendor}/${o.externalId}`, o.id);
      for (const { node: a } of o.accounts.edges) ids.set(`account/${o.vendor}/${a.externalId}`, a.id);
      for (const { node: b } of o.bots.edges) ids.set(`bot/${o.vendor}/${b.externalId}`, b.id);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  const idOf = (prefix: string) => [...ids].find(([key]) => key.startsWith(prefix))!;

  it('answers { _service { sdl } } with the committed schema/subgraph.graphql, which composes with another subgraph', async () => {
    const res = await app.query('{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    const sdl: string = res.data._service.sdl;
    expect(`${sdl}\n`).toBe(readFileSync(join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8'));
    const composed = composeServices([
      { name: 'usage', typeDefs: parse(sdl), url: `${app.url}/graphql` },
      { name: 'crm', typeDefs: parse(crmTypeDefs()), url: 'http://127.0.0.1:1/graphql' },
    ]);
    expect(composed.errors).toBeUndefined();
    expect((composed.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`)).toEqual([]);
  });

  it('returns the organisation for an _entities reference by id', async () => {
    const org = cognigyData(app).organisations[3];
    const id = ids.get(`organisation/COGNIGY/${org.organisationId}`)!;
    const res = await app.query(ENTITIES, { representations: [{ __typename: 'Organisation', id }] });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ __typename: 'Organisation', id, vendor: 'COGNIGY', externalId: org.organisationId, name: org.name }]);
  });

  it("returns the organisation for a reference by vendor and the vendor's own id, the key a CRM knows", async () => {
    const org = cognigyData(app).organisations[7];
    const id = ids.get(`organisation/COGNIGY/${org.organisationId}`)!;
    const res = await app.query(ENTITIES, { representations: [{ __typename: 'Organisation', vendor: 'COGNIGY', externalId: org.organisationId }] });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ __typename: 'Organisation', id, vendor: 'COGNIGY', externalId: org.organisationId, name: org.name }]);
  });

  it('returns accounts, bots and connections for references by id, in the order asked', async () => {
    const [accountKey, accountId] = idOf('account/EVOVOICE/');
    const [botKey, botId] = idOf('bot/KORE_AI/');
    const connectionId = ids.get('connection/talkdesk-demo')!;
    const res = await app.query(ENTITIES, {
      representations: [
        { __typename: 'Bot', id: botId },
        { __typename: 'VendorConnection', id: connectionId },
        { __typename: 'Account', id: accountId },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { __typename: 'Bot', id: botId, vendor: 'KORE_AI', externalId: botKey.split('/')[2] },
      { __typename: 'VendorConnection', id: connectionId, name: 'talkdesk-demo', vendor: 'TALKDESK' },
      { __typename: 'Account', id: accountId, vendor: 'EVOVOICE', externalId: accountKey.split('/')[2] },
    ]);
  });

  it("resolves a reference to another tenant's connection, an unknown tenant or an id of another kind to null", async () => {
    const cognigyOrg = cognigyData(app).organisations[0].organisationId;
    const accountId = idOf('account/')[1];
    const res = await app.query(ENTITIES, {
      representations: [
        // The same vendor tenant id, read through a connection this caller cannot see.
        { __typename: 'Organisation', id: encodeId({ kind: 'Organisation', connection: 'another-tenant', externalId: cognigyOrg }) },
        { __typename: 'Organisation', vendor: 'COGNIGY', externalId: 'no-such-organisation' },
        { __typename: 'Organisation', id: accountId },
        { __typename: 'Bot', id: 'not-an-id' },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([null, null, null, null]);
  });
});

describe('server.federation: false', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ overrides: { server: { federation: false } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the plain schema, without _service or _entities, and answers the same API', async () => {
    const service = await app.query('{ _service { sdl } }');
    expect(service.status).toBe(400);
    expect(service.errors?.map((e) => e.message)).toEqual(['Cannot query field "_service" on type "Query".']);
    const plain = await app.query('{ connections { name vendor } }');
    expect(plain.errors).toBeUndefined();
    expect(plain.data.connections.map((c: { name: string }) => c.name)).toEqual(['kore-demo', 'cognigy-demo', 'evo-demo', 'talkdesk-demo']);
  });
});

describe('a real Apollo Gateway in front of our subgraph and a CRM subgraph', () => {
  let app: TestApp;
  let crm: RunningGraph;
  let gateway: RunningGraph;
  let cognigy: CognigySimulatorData;
  let seeds: CrmCustomerSeed[];

  const CUSTOMERS = `query CustomersWithUsage($first: Int, $from: Month!, $to: Month!) {
    customers(first: $first) {
      id name
      organisation { vendor externalId name accountManager monthlyUsage(from: $from, to: $to) { month channel quantity } }
    }
  }`;

  beforeAll(async () => {
    // Shared cache off, so each query's vendor requests show in the simulators' logs.
    app = await startTestApp({ overrides: { cache: { enabled: false } } });
    cognigy = cognigyData(app);
    // A hundred customers on a hundred different Cognigy tenants, then one whose tenant we do not know.
    seeds = cognigy.organisations.slice(0, 100).map((o, i) => ({
      id: `crm-${i}`, name: `Customer ${i}`, organisation: { vendor: 'COGNIGY', externalId: o.organisationId }, accountManager: `manager-${i % 7}`,
    }));
    seeds.push({ id: 'crm-unknown', name: 'Lost tenant', organisation: { vendor: 'COGNIGY', externalId: 'gone' }, accountManager: 'nobody' });
    crm = await startCrmSubgraph(seeds);
    gateway = await startGateway([{ name: 'usage', url: `${app.url}/graphql` }, { name: 'crm', url: crm.url }]);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await crm?.close();
    await app?.close();
  });

  it("answers CRM customers with their organisation's monthly usage from us in one query", async () => {
    const res = await gateway.query(CUSTOMERS, { from: FROM, to: TO });
    expect(res.errors).toBeUndefined();
    expect(res.data.customers).toHaveLength(101);
    res.data.customers.slice(0, 100).forEach((customer: any, i: number) => {
      const org = cognigy.organisations[i];
      expect(customer).toEqual({
        id: `crm-${i}`,
        name: `Customer ${i}`,
        organisation: {
          vendor: 'COGNIGY', externalId: org.organisationId, name: org.name, accountManager: `manager-${i % 7}`, monthlyUsage: expect.any(Array),
        },
      });
      expect([...customer.organisation.monthlyUsage].sort(byMonthAndChannel)).toEqual(cognigyUsage(cognigy, org.organisationId));
    });
    // A tenant we do not have: the reference is null, and the gateway nulls the nullable organisation.
    expect(res.data.customers[100]).toEqual({ id: 'crm-unknown', name: 'Lost tenant', organisation: null });
  });

  it('costs the same vendor requests for a hundred organisations as for one: the entity fetch is batched', async () => {
    resetLogs(app);
    const one = await gateway.query(CUSTOMERS, { first: 1, from: '2025-07', to: '2025-09' });
    expect(one.errors).toBeUndefined();
    expect(one.data.customers).toHaveLength(1);
    const forOne = requestCounts(app);

    resetLogs(app);
    const hundred = await gateway.query(CUSTOMERS, { first: 100, from: '2025-07', to: '2025-09' });
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data.customers.filter((c: any) => c.organisation?.name)).toHaveLength(100);
    const forHundred = requestCounts(app);

    // Our own query for the same usage, straight to us: the least our connectors need.
    resetLogs(app);
    const direct = await app.query(`{ organisations(first: 500, filter: { vendors: [COGNIGY] }) { edges { node { name monthlyUsage(from: "2025-07", to: "2025-09") { quantity } } } } }`);
    expect(direct.errors).toBeUndefined();
    const minimum = requestCounts(app);

    expect(forHundred).toEqual(forOne);
    expect(forHundred).toEqual(minimum);
    // Cognigy's billing listing holds both the tenants and their usage: its pages, read once for each, and nothing asked of the other vendors.
    const pages = Math.ceil(cognigy.organisations.length / 100);
    expect(forHundred).toEqual({ koreai: 0, cognigy: 2 * pages, evovoice: 0, talkdesk: 0 });
  });
});
