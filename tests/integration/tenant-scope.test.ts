import { encodeId } from '../../src/ids';
import { startTestApp, type TestApp } from '../helpers/app';
import { withClients } from '../helpers/security';

const ALL = { 'x-api-key': 'analyst-key-0123456789abcdef' };
const TALKDESK = { 'x-api-key': 'talkdesk-partner-key-0123456789' };
const KORE = { 'x-api-key': 'kore-partner-key-0123456789abcd' };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    configure: (config) =>
      withClients(config, [
        { name: 'analysts', apiKey: ALL['x-api-key'] },
        { name: 'talkdesk-partner', apiKey: TALKDESK['x-api-key'], connections: ['talkdesk-demo'] },
        { name: 'kore-partner', apiKey: KORE['x-api-key'], connections: ['kore-demo'] },
      ]),
  });
});
afterAll(async () => {
  await app?.close();
});

const REPORT = `query Report($from: Month!, $to: Month!) {
  usage(filter: { from: $from, to: $to }, groupBy: [CONNECTION, UNIT]) { rows { connection { name } unit quantity } sources { connection { name } state } }
}`;

describe('a client scoped to one connection', () => {
  it('sees only its connection in connections', async () => {
    const res = await app.query('{ connections { name vendor } }', {}, TALKDESK);
    expect(res.data.connections).toEqual([{ name: 'talkdesk-demo', vendor: 'TALKDESK' }]);
  });

  it('counts only its organisations in organisations.totalCount', async () => {
    const all = await app.query('{ organisations(first: 500) { totalCount edges { node { connection { name } } } } }', {}, ALL);
    const own = await app.query('{ organisations(first: 500) { totalCount edges { node { connection { name } } } } }', {}, TALKDESK);
    const talkdeskOrganisations = all.data.organisations.edges.filter((e: any) => e.node.connection.name === 'talkdesk-demo').length;
    expect(talkdeskOrganisations).toBeGreaterThan(0);
    expect(all.data.organisations.totalCount).toBeGreaterThan(talkdeskOrganisations);
    expect(own.data.organisations.totalCount).toBe(talkdeskOrganisations);
    expect(new Set(own.data.organisations.edges.map((e: any) => e.node.connection.name))).toEqual(new Set(['talkdesk-demo']));
  });

  it('gets usage of its connection only, and the same report as the analysts for that connection', async () => {
    const variables = { from: '2025-01', to: '2025-06' };
    const all = await app.query(REPORT, variables, ALL);
    const own = await app.query(REPORT, variables, TALKDESK);
    expect(own.errors).toBeUndefined();
    expect(own.data.usage.sources).toEqual([{ connection: { name: 'talkdesk-demo' }, state: 'OK' }]);
    expect(own.data.usage.rows.length).toBeGreaterThan(0);
    expect(own.data.usage.rows).toEqual(all.data.usage.rows.filter((r: any) => r.connection.name === 'talkdesk-demo'));
  });

  it('answers another tenant\'s ids exactly like ids that do not exist', async () => {
    const kore = await app.query('{ organisations(filter: { vendors: [KORE_AI] }) { edges { node { id bots(first: 1) { edges { node { id } } } } } } }', {}, ALL);
    const organisationId: string = kore.data.organisations.edges[0].node.id;
    const botId: string = kore.data.organisations.edges[0].node.bots.edges[0].node.id;
    const missingBot = encodeId({ kind: 'Bot', connection: 'kore-demo', externalId: 'no-such-bot' });
    const ask = (id: string, headers: Record<string, string>) =>
      app.query('query ($id: ID!) { node(id: $id) { id } bot(id: $id) { name } organisation(id: $id) { name } account(id: $id) { name } }', { id }, headers);
    // The owner sees them; the other tenant gets what a non-existent id gets.
    expect((await ask(botId, KORE)).data.bot.name).toEqual(expect.any(String));
    const foreign = await ask(botId, TALKDESK);
    const missing = await ask(missingBot, KORE);
    expect(foreign).toEqual(missing);
    expect(foreign.data).toEqual({ node: null, bot: null, organisation: null, account: null });
    expect((await ask(organisationId, TALKDESK)).data.node).toBeNull();
  });

  it('gives the same refusal for another tenant\'s connection in a usage filter as for one that does not exist', async () => {
    const query = 'query ($c: [ID!]) { usage(filter: { from: "2025-01", to: "2025-02", connectionIds: $c }) { rows { quantity } } }';
    const foreign = await app.query(query, { c: ['kore-demo'] }, TALKDESK);
    const missing = await app.query(query, { c: ['nobody-demo'] }, TALKDESK);
    expect(foreign.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(foreign.errors?.[0].message.replace('kore-demo', 'X')).toBe(missing.errors?.[0].message.replace('nobody-demo', 'X'));
  });

  it('never gets another client\'s cached answer: the same document from two scopes, both right', async () => {
    const query = '{ connections { name } organisations(first: 500) { edges { node { connection { name } } } } }';
    const first = await app.query(query, {}, KORE);
    const second = await app.query(query, {}, TALKDESK);
    const again = await app.query(query, {}, KORE);
    expect(first.data.connections).toEqual([{ name: 'kore-demo' }]);
    expect(second.data.connections).toEqual([{ name: 'talkdesk-demo' }]);
    expect(again).toEqual(first);
    const connectionsOf = (res: typeof first) => new Set(res.data.organisations.edges.map((e: any) => e.node.connection.name));
    expect(connectionsOf(first)).toEqual(new Set(['kore-demo']));
    expect(connectionsOf(second)).toEqual(new Set(['talkdesk-demo']));
  });
});
