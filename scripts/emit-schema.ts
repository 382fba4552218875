import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printUsageSchema } from '../schema/build';
import { printSubgraph } from '../schema/subgraph';

/** Regenerates schema/schema.graphql (the plain API) and schema/subgraph.graphql (the Federation 2 subgraph) from the code (npm run schema:emit). */
const dir = join(__dirname, '..', '..', 'schema');
for (const [file, sdl] of [['schema.graphql', printUsageSchema()], ['subgraph.graphql', printSubgraph()]]) {
  const target = join(dir, file);
  writeFileSync(target, sdl);
  console.log(`wrote ${target}`);
}
