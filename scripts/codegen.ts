import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { codegen } from '@graphql-codegen/core';
import typescriptOperations = require('@graphql-codegen/typescript-operations');
import typedDocumentNode = require('@graphql-codegen/typed-document-node');
import { buildSchema, parse, print, type DocumentNode } from 'graphql';
import { parse as parseYaml } from 'yaml';

/** Runs codegen.yml: typed documents for operations/ and the persisted-document manifest. */
// Plain require: a namespace import would add a `default` copy that makes codegen emit every type twice.
const PLUGINS: Record<string, unknown> = { 'typescript-operations': typescriptOperations, 'typed-document-node': typedDocumentNode };

interface CodegenFile {
  schema: string;
  documents: string;
  generates: Record<string, { plugins: string[]; config?: Record<string, unknown> }>;
  persistedDocuments: string;
}

export async function generate(root: string): Promise<Record<string, string>> {
  const config = parseYaml(readFileSync(join(root, 'codegen.yml'), 'utf8')) as CodegenFile;
  const schema = parse(readFileSync(join(root, config.schema), 'utf8'));
  const documentsDir = join(root, dirname(config.documents));
  const documents = readdirSync(documentsDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => ({ location: f, document: parse(readFileSync(join(documentsDir, f), 'utf8')) as DocumentNode }));
  buildSchema(print(schema)); // fails loudly if the SDL is not a valid schema
  const outputs: Record<string, string> = {};
  for (const [filename, target] of Object.entries(config.generates)) {
    outputs[filename] = await codegen({
      filename,
      schema,
      documents,
      config: target.config ?? {},
      plugins: target.plugins.map((name) => ({ [name]: {} })),
      pluginMap: Object.fromEntries(target.plugins.map((name) => [name, PLUGINS[name]])) as never,
    });
  }
  const manifest = Object.fromEntries(
    documents.map(({ document }) => {
      const text = print(document);
      return [createHash('sha256').update(text).digest('hex'), text];
    }),
  );
  outputs[config.persistedDocuments] = JSON.stringify(manifest, null, 2) + '\n';
  return outputs;
}

/** `--check`: writes nothing, lists stale outputs and exits 1 when any differs from what would be generated. */
async function main(root: string, check: boolean): Promise<void> {
  const outputs = await generate(root);
  const stale: string[] = [];
  for (const [file, text] of Object.entries(outputs)) {
    const path = join(root, file);
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(file);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${file}`);
  }
  if (check) {
    console.log(stale.length ? `stale: ${stale.join(', ')} (run npm run codegen)` : 'codegen outputs are up to date');
    process.exitCode = stale.length ? 1 : 0;
  }
}

if (require.main === module) {
  // Compiled to dist/scripts (npm run codegen) or run from scripts/ with ts-node (the test).
  const root = __dirname.includes(`${join('dist', 'scripts')}`) ? join(__dirname, '..', '..') : join(__dirname, '..');
  main(root, process.argv.includes('--check')).catch((err) => {
    console.error(`codegen failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
