import 'reflect-metadata';
import { parse } from 'graphql';
import { estimateCost } from '../../src/security/cost';
import { encodeId } from '../../src/ids';
import { usageSchema } from '../../schema/build';

const CONNECTIONS = [
  { name: 'kore', vendor: 'KORE_AI' },
  { name: 'cognigy', vendor: 'COGNIGY' },
  { name: 'evo', vendor: 'EVOVOICE' },
  { name: 'talkdesk', vendor: 'TALKDESK' },
];
const YEAR = 'from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z"';
const kore = (externalId: string) => encodeId({ kind: 'Organisation', connection: 'kore', externalId });

const cost = (document: string, variables: Record<string, unknown> = {}, connections = CONNECTIONS) =>
  estimateCost({ schema: usageSchema(), document: parse(document), variables, connections }).cost;

describe('estimateCost', () => {
  it.each([
    ['connections from configuration cost nothing', '{ connections { name vendor } }', 0],
    ["each visible connection's organisation listing is one request", '{ connections { organisations { name } } }', 4],
    ['organisations list every visible connection once', '{ organisations { totalCount } }', 4],
    ['a vendor filter narrows the connections asked', '{ organisations(filter: { vendors: [KORE_AI] }) { totalCount } }', 1],
    ['connection ids narrow them too', '{ organisations(filter: { connectionIds: ["kore", "evo"] }) { totalCount } }', 2],
    ['a usage report is connections x months', '{ usage(filter: { from: "2025-01", to: "2025-12" }) { rows { quantity } } }', 48],
    ['a usage report of two vendors is two connections x months', '{ usage(filter: { from: "2025-01", to: "2025-12", vendors: [TALKDESK, EVOVOICE] }) { rows { quantity } } }', 24],
    ['a usage report of one organisation asks its connection only', `{ usage(filter: { from: "2025-01", to: "2025-03", organisationIds: ["${kore('w1')}"] }) { rows { quantity } } }`, 3],
    [
      'the dashboard: listings once per connection, entity usage batched per connection and range',
      '{ organisations(first: 200) { edges { node { accounts(first: 200) { edges { node { monthlyUsage(from: "2025-01", to: "2025-12") { quantity } } } } bots(first: 200) { edges { node { monthlyUsage(from: "2025-01", to: "2025-12") { quantity } } } } } } } }',
      4 + 4 + 4 * 12 + 4 + 4 * 12,
    ],
    ['one bot by id with a month of reconciliation (a day of tail makes it two 30-day months)', '{ bot(id: "x") { reconciliation(from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z") { conversations } } }', 1 + 2],
    [
      'billing sessions are per bot: default pages of 25 organisations x 50 bots x one month',
      '{ organisations { edges { node { bots { edges { node { billingSessions(from: "2025-01-01T00:00:00Z", to: "2025-01-31T00:00:00Z") { totalCount } } } } } } } }',
      4 + 4 + 25 * 50 * 1,
    ],
    [
      "every organisation's bots with a year of billing sessions and reconciliation",
      `{ organisations(first: 200) { edges { node { bots(first: 200) { edges { node { billingSessions(${YEAR}) { totalCount } reconciliation(${YEAR}) { conversations } } } } } } } }`,
      4 + 4 + 200 * 200 * 13 + 200 * 200 * 13,
    ],
    ['aliases and fragments each count', '{ a: usage(filter: { from: "2025-01", to: "2025-01" }) { incomplete } b: usage(filter: { from: "2025-01", to: "2025-02" }) { incomplete } ...F } fragment F on Query { usage(filter: { from: "2025-01", to: "2025-01" }) { incomplete } }', 4 + 8 + 4],
    ['a plain list of entities multiplies per-item work by the nominal list size', '{ connections { organisations { bots { edges { node { reconciliation(from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z") { conversations } } } } } } }', 4 + 4 + 4 * 25 * 50],
  ])('%s', (_name, document, expected) => {
    expect(cost(document)).toBe(expected);
  });

  it('reads months and page sizes from variables', () => {
    const document = 'query ($from: Month!, $to: Month!, $first: Int) { usage(filter: { from: $from, to: $to }) { incomplete } organisations(first: $first) { edges { node { bots(first: 10) { edges { node { billingSessions(from: "2025-01-01T00:00:00Z", to: "2025-01-15T00:00:00Z") { totalCount } } } } } } } }';
    expect(cost(document, { from: '2025-01', to: '2025-03', first: 3 })).toBe(4 * 3 + 4 + Math.min(3, 4) + 3 * 10);
  });

  it('counts only the connections the caller can see', () => {
    expect(cost('{ usage(filter: { from: "2025-01", to: "2025-12" }) { incomplete } }', {}, [CONNECTIONS[3]])).toBe(12);
  });

  it('names every page size over 500 by its path', () => {
    const result = estimateCost({
      schema: usageSchema(),
      document: parse('query ($n: Int) { organisations(first: $n) { edges { node { bots(first: 501) { totalCount } } } } }'),
      variables: { n: 1000 },
      connections: CONNECTIONS,
    });
    expect(result.oversizedPages).toEqual([
      { path: 'organisations.first', value: 1000 },
      { path: 'organisations.edges.node.bots.first', value: 501 },
    ]);
  });
});
