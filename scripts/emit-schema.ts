import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printUsageSchema } from '../schema/build';

/** Regenerates schema/schema.graphql from the code (npm run schema:emit). */
const target = join(__dirname, '..', '..', 'schema', 'schema.graphql');
writeFileSync(target, printUsageSchema());
console.log(`wrote ${target}`);
