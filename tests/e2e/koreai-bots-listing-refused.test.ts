import type { KoreAiSimulator } from '../../src/vendors/koreai/simulator';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Kore.ai in admin scope whose bots listing answers 403 (the seed says an app needs only the
 * Billing Sessions scope): the usage report still counts every session and its source says
 * why names are missing.
 */

let app: TestApp;
let sim: KoreAiSimulator;

beforeAll(async () => {
  app = await startTestApp({ overrides: { cache: { enabled: false } } });
  sim = app.vendors.simulators.koreai as KoreAiSimulator;
});
afterAll(async () => {
  await app.close();
});

it('answers usage with every session counted and a note on the source, no failure', async () => {
  sim.inject({ path: /^\/api\/public\/bots$/, status: 403, body: { errors: [{ msg: 'Forbidden', code: 403 }] }, times: Infinity });
  const res = await app.query(`{
    usage(filter: { from: "2025-01", to: "2025-03", vendors: [KORE_AI] }, groupBy: [MONTH, ORGANISATION]) {
      rows { month organisation { externalId name } quantity }
      incomplete
      sources { connection { name } state code note }
    }
  }`);
  expect(res.errors).toBeUndefined();
  const expected: Record<string, number> = {};
  for (const s of sim.data.sessions) {
    const month = s.start.toISOString().slice(0, 7);
    if (month >= '2025-01' && month <= '2025-03') expected[month] = (expected[month] ?? 0) + 1;
  }
  expect(Object.fromEntries(res.data.usage.rows.map((r: { month: string; quantity: number }) => [r.month, r.quantity]))).toEqual(expected);
  expect(new Set(res.data.usage.rows.map((r: { organisation: { externalId: string } }) => r.organisation.externalId))).toEqual(new Set(['kore-demo']));
  expect(res.data.usage.incomplete).toBe(false);
  expect(res.data.usage.sources).toEqual([
    {
      connection: { name: 'kore-demo' }, state: 'OK', code: null,
      note: "The bots listing failed (UPSTREAM_FORBIDDEN, HTTP 403): bots are shown by id without names, and the organisation by the connection's name.",
    },
  ]);
});
