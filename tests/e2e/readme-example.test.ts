import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fencedBlockAfter, markdownTableAfter, toMarkdownTable } from '../helpers/markdown';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * The README's first example, run against demo mode, returns exactly the tables
 * the README prints: the README cannot drift from the demo again. (On a failure the
 * message shows the tables to paste.)
 */
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const SECTION = '## First example';
const cell = (v: unknown) => (v === null ? 'null' : String(v));

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

describe("the README's first example in demo mode", () => {
  let data: any;
  beforeAll(async () => {
    const res = await app.query(fencedBlockAfter(README, SECTION, 'graphql'));
    expect(res.errors).toBeUndefined();
    data = res.data;
  });

  it('returns the rows the README shows', () => {
    const rows = data.usage.rows.map((r: any) => [r.month, r.vendor, r.unit, r.quantity, r.currency, r.amount].map(cell));
    const shown = markdownTableAfter(README, 'In demo mode it returns');
    expect(toMarkdownTable(['month', 'vendor', 'unit', 'quantity', 'currency', 'amount'], rows)).toBe(
      toMarkdownTable(['month', 'vendor', 'unit', 'quantity', 'currency', 'amount'], shown),
    );
  });

  it('returns the totals the README shows', () => {
    const totals = data.usage.totals.map((t: any) => [t.unit, t.quantity, t.currency, t.amount].map(cell));
    const shown = markdownTableAfter(README, 'and these `totals`');
    expect(toMarkdownTable(['unit', 'quantity', 'currency', 'amount'], totals)).toBe(toMarkdownTable(['unit', 'quantity', 'currency', 'amount'], shown));
  });

  it('reports every source OK and the answer complete, as the README says', () => {
    expect(data.usage.incomplete).toBe(false);
    expect(data.usage.sources.map((s: any) => s.state)).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(README).toContain('`incomplete: false` and every source `OK`');
  });
});

describe("the README's analyst cookbook in demo mode", () => {
  const section = README.slice(README.indexOf("## Analyst's cookbook"), README.indexOf('## CSV export'));
  const queries = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has five questions', () => {
    expect(queries).toHaveLength(5);
  });

  it.each(queries.map((q, i) => [i + 1, q]))('answers question %i without errors, with data', async (_n, query) => {
    const month = new Date().toISOString().slice(0, 7);
    const res = await app.query(query as string, (query as string).includes('$month') ? { month } : undefined);
    expect(res.errors).toBeUndefined();
    const json = JSON.stringify(res.data);
    expect(json).toMatch(/"quantity":[1-9]|"billedSessions":[1-9]/);
  });
});
