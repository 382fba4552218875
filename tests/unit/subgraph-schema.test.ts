import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, findBreakingChanges, parse, printSchema, type GraphQLObjectType } from 'graphql';
import { printUsageSchema } from '../../schema/build';
import { printSubgraph } from '../../schema/subgraph';
import { crmTypeDefs } from '../helpers/supergraph';

/**
 * schema/subgraph.graphql, the Federation 2 subgraph SDL: committed as the code
 * emits it, a superset of the contract, and composing with another company
 * subgraph without errors or hints.
 */

const root = join(__dirname, '..', '..');
const committed = readFileSync(join(root, 'schema', 'subgraph.graphql'), 'utf8');
const compose = (crm: string) =>
  composeServices([
    { name: 'usage', typeDefs: parse(committed), url: 'http://127.0.0.1:4001/graphql' },
    { name: 'crm', typeDefs: parse(crm), url: 'http://127.0.0.1:4002/graphql' },
  ]);

describe('the subgraph schema', () => {
  it('is committed exactly as the code emits it (run npm run schema:emit after changing schema/ or resolvers/)', () => {
    expect(committed).toEqual(printSubgraph());
  });

  it('contains every type, field, argument and enum value of the contract with the same type', () => {
    const contract = buildSchema(readFileSync(join(root, 'schema', 'contract.graphql'), 'utf8'), { assumeValidSDL: true });
    expect(findBreakingChanges(contract, buildSubgraphSchema(parse(committed))).map((c) => c.description)).toEqual([]);
  });

  it('declares the entities with their keys, the organisation also by vendor and external id', () => {
    const keys = (type: string) => [...committed.matchAll(new RegExp(`^type ${type} [^{]*`, 'gm'))][0][0].match(/@key\(fields: "[^"]+"\)/g);
    expect(keys('Organisation')).toEqual(['@key(fields: "id")', '@key(fields: "vendor externalId")']);
    for (const type of ['Account', 'Bot', 'VendorConnection']) expect(keys(type)).toEqual(['@key(fields: "id")']);
    expect(committed).toContain('union _Entity = Account | Bot | Organisation | VendorConnection');
  });

  it('leaves the plain schema free of federation: no directives, no _service or _entities', () => {
    const plain = printUsageSchema();
    expect(plain).not.toMatch(/@key|@shareable|_service|_entities|_Any/);
    const query = buildSchema(plain).getType('Query') as GraphQLObjectType;
    expect(Object.keys(query.getFields())).not.toContain('_entities');
    expect(printSchema(buildSchema(plain))).toContain('type Organisation implements Node {');
  });

  it('composes with a CRM subgraph that refers to our Organisation by key and adds a field to it, with no errors or hints', () => {
    const result = compose(crmTypeDefs());
    expect(result.errors).toBeUndefined();
    expect((result.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`)).toEqual([]);
    const supergraph = buildSchema(result.supergraphSdl!, { assumeValidSDL: true });
    const organisation = supergraph.getType('Organisation') as GraphQLObjectType;
    expect(Object.keys(organisation.getFields())).toEqual(expect.arrayContaining(['id', 'name', 'monthlyUsage', 'accountManager']));
  });

  it('does not compose with a subgraph owning a different type also named Customer, and composition says which field clashes', () => {
    const result = compose(crmTypeDefs('Customer'));
    expect(result.errors?.map((e) => e.message)).toEqual([
      'Non-shareable field "Customer.name" is resolved from multiple subgraphs: it is resolved from subgraphs "crm" and "usage" and defined as non-shareable in all of them',
    ]);
  });
});
