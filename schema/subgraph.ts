import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { graphqlSync, lexicographicSortSchema, parse, type GraphQLSchema } from 'graphql';
import { createResolversMap } from 'type-graphql';
import { referenceResolvers } from '../resolvers/references';
import { usageSchema } from './build';

/**
 * The same API as an Apollo Federation 2 subgraph: the type-graphql schema
 * printed with its directives (the `@key`s and `@shareable` set with
 * `@Directive` on the classes), its resolvers, and the entity reference
 * resolvers, given to `buildSubgraphSchema`, which adds `_service` and
 * `_entities`. The plain schema (schema/build.ts) is unchanged by the
 * directives: graphql-js neither prints nor introspects them.
 */

/**
 * Federation 2.3 is enough for `@key` and `@shareable` and is accepted by every
 * Federation 2 router and gateway since 2023, so an older supergraph can compose us.
 */
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

let built: GraphQLSchema | undefined;

/** The subgraph schema, built once per process (it wraps the process's one type-graphql schema). */
export function subgraphSchema(): GraphQLSchema {
  if (built) return built;
  const plain = usageSchema();
  const resolvers = createResolversMap(plain) as GraphQLResolverMap<unknown>;
  for (const [type, references] of Object.entries(referenceResolvers)) {
    // Entity types are object types, whose entry is a field map; the reference resolver joins it.
    resolvers[type] = { ...resolvers[type], ...references } as GraphQLResolverMap<unknown>[string];
  }
  // Sorted, so the SDL's order does not depend on which module registered its classes first.
  const typeDefs = parse(`${LINK}\n\n${printSchemaWithDirectives(lexicographicSortSchema(plain))}`);
  built = buildSubgraphSchema({ typeDefs, resolvers });
  return built;
}

/** The SDL as committed in schema/subgraph.graphql: exactly what `{ _service { sdl } }` answers. */
export function printSubgraph(): string {
  const result = graphqlSync({ schema: subgraphSchema(), source: '{ _service { sdl } }' });
  if (result.errors) throw result.errors[0];
  return `${(result.data as { _service: { sdl: string } })._service.sdl}\n`;
}
