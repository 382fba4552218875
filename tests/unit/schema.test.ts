import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, findBreakingChanges, parse, validate } from 'graphql';
import { printUsageSchema, usageSchema } from '../../schema/build';
import { spawnSync } from 'node:child_process';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(path, 'utf8');
const sdl = (path: string) => buildSchema(read(path), { assumeValidSDL: true });
const sharedContract = join(root, '..', 'shared', 'contract', 'schema.graphql');

describe('the public schema', () => {
  it('contains every type, field, argument and enum value of the contract with the same type', () => {
    const breaking = findBreakingChanges(sdl(join(root, 'schema', 'contract.graphql')), sdl(join(root, 'schema', 'schema.graphql')));
    expect(breaking.map((c) => c.description)).toEqual([]);
  });

  it('keeps its copy of the contract equal to the shared contract when that is checked out beside the repo', () => {
    // The copy lets a clone without ../shared run the suite; this check keeps the copy honest where both exist.
    if (!existsSync(sharedContract)) return;
    expect(read(join(root, 'schema', 'contract.graphql'))).toEqual(read(sharedContract));
  });

  it('is committed exactly as the code emits it (run npm run schema:emit after changing schema/ or resolvers/)', () => {
    expect(read(join(root, 'schema', 'schema.graphql'))).toEqual(printUsageSchema());
  });

  it('accepts every operation in operations/ (the codegen input)', () => {
    const dir = join(root, 'operations');
    const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const errors = validate(usageSchema(), parse(read(join(dir, file)))).map((e) => `${file}: ${e.message}`);
      expect(errors).toEqual([]);
    }
  });

  it('has typed documents and a persisted-document manifest generated from the current schema and operations (npm run codegen)', () => {
    // In a child process: the codegen plugins load ES modules, which jest's module runtime cannot.
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/codegen.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('codegen outputs are up to date');
    expect(run.status).toBe(0);
  }, 60000);
});
