import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * Builds tests/fixtures/focus/columns-<version>.json, the FOCUS column library the
 * conformance test reads, from a clone of the FinOps Foundation's specification
 * repository (https://github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec):
 * each column file's "Content constraints" table and allowed values, at a release tag.
 * Only these facts are kept, never the specification's prose.
 *
 *   node dist/scripts/extract-focus-columns.js <spec git dir> <tag> <out.json>
 */

const REPOSITORY = 'https://github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec';
const COLUMNS_DIR = 'specification/columns';

export interface FocusColumnSpec {
  id: string;
  displayName: string;
  columnType: string;
  featureLevel: string;
  allowsNulls: boolean;
  dataType: string;
  valueFormat: string;
  numberRange: string | null;
  allowedValues: string[] | null;
  introduced: string;
  file: string;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

/** The text under a `## Heading` (case-insensitive), up to the next heading of level 2. */
function section(text: string, heading: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().toLowerCase() === `## ${heading.toLowerCase()}`);
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
}

/** Rows of the first markdown table in `text`, cells trimmed, the rule under the header dropped (header first). */
function table(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('|'));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && !l.trim().startsWith('|'));
  const rows = lines.slice(start, end < 0 ? undefined : end).map((l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
  return [rows[0], ...rows.slice(2)];
}
const tableRows = (text: string) => table(text).slice(1);

/** `[Numeric Format](#numericformat)` -> `Numeric Format`. */
const plain = (cell: string) => cell.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/\*/g, '').replace(/\\</g, '<').trim();

function parseColumn(file: string, text: string): FocusColumnSpec {
  const constraints = new Map(tableRows(section(text, 'Content constraints')).map(([k, v]) => [k.toLowerCase(), plain(v)]));
  const need = (key: string) => {
    const value = constraints.get(key);
    if (value === undefined) throw new Error(`${file}: no "${key}" constraint`);
    return value;
  };
  const valueFormat = need('value format');
  let allowedValues: string[] | null = null;
  if (/allowed values/i.test(valueFormat)) {
    const [header, ...rows] = table(text.slice(text.search(/^Allowed values:/im)));
    const displayName = section(text, 'Display Name').split('\n')[0].trim();
    // The values are the column headed "Value" or by the column's own name (ServiceSubcategory's table also names its category).
    const at = Math.max(0, header.findIndex((h) => h === 'Value' || h === displayName));
    allowedValues = rows.map((r) => plain(r[at]));
  }
  return {
    id: section(text, 'Column ID').split('\n')[0].trim(),
    displayName: section(text, 'Display Name').split('\n')[0].trim(),
    columnType: need('column type'),
    featureLevel: need('feature level'),
    allowsNulls: need('allows nulls').toLowerCase() === 'true',
    dataType: need('data type'),
    valueFormat,
    numberRange: constraints.get('number range') ?? null,
    allowedValues,
    introduced: section(text, 'Introduced (version)').split('\n')[0].trim(),
    file: `${COLUMNS_DIR}/${file}`,
  };
}

function main(): void {
  const [dir, tag, out] = process.argv.slice(2);
  if (!dir || !tag || !out) throw new Error('usage: extract-focus-columns <spec git dir> <tag> <out.json>');
  const commit = git(dir, 'rev-list', '-n', '1', tag).trim();
  // The columns of a release are the files columns.mdpp includes, in its (alphabetical) order.
  const files = [...git(dir, 'show', `${tag}:${COLUMNS_DIR}/columns.mdpp`).matchAll(/!INCLUDE "([^"]+)"/g)].map((m) => m[1]);
  const columns = files.map((file) => parseColumn(file, git(dir, 'show', `${tag}:${COLUMNS_DIR}/${file}`)));
  const library = {
    specification: 'FinOps Open Cost and Usage Specification (FOCUS)',
    version: tag.replace(/^v/, ''),
    source: { repository: REPOSITORY, tag, commit, path: COLUMNS_DIR },
    license: 'Specification text CC BY 4.0, FinOps Foundation; this file keeps only each column\'s constraints table and allowed values',
    extractedBy: 'scripts/extract-focus-columns.ts',
    columns,
  };
  writeFileSync(out, `${JSON.stringify(library, null, 2)}\n`);
  process.stdout.write(`${columns.length} columns of FOCUS ${library.version} (${commit}) -> ${out}\n`);
}

main();
