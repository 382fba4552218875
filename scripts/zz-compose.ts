import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
const ours = readFileSync('schema/subgraph.graphql', 'utf8');
for (const typeName of ['CrmCustomer', 'Customer']) {
const crm = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { customers: [${typeName}!]! }
type ${typeName} @key(fields: "id") { id: ID! name: String! organisation: Organisation }
type Organisation @key(fields: "vendor externalId") { vendor: Vendor! externalId: String! accountManager: String }
enum Vendor { KORE_AI COGNIGY EVOVOICE TALKDESK }`;
const r = composeServices([{ name: 'usage', typeDefs: parse(ours), url: 'http://127.0.0.1:1/graphql' }, { name: 'crm', typeDefs: parse(crm), url: 'http://127.0.0.1:2/graphql' }]);
console.log(typeName, r.errors?.map((e) => e.message), (r.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`));
}
