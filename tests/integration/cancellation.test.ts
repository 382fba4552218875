import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * A client that hangs up: the vendor calls its request caused, and that no
 * other request waits for, stop; the simulators' request logs stop growing.
 */

const BIG_REPORT = `{ usage(filter: { from: "2023-01", to: "2025-12" }, groupBy: [MONTH, VENDOR]) { rows { month vendor quantity } incomplete } }`;

const totalRequests = (app: TestApp) => Object.values(app.vendors.simulators).reduce((n, s) => n + s.requests.length, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a client that disconnects', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Every vendor answer takes 150 ms, so the three-year report is many rounds of calls long.
    app = await startTestApp({ latencyMs: 150 });
  });
  afterAll(async () => app?.close());

  it('stops the vendor calls it caused: the simulators\' logs stop growing, and the report was left unfinished', async () => {
    const controller = new AbortController();
    const asked = request(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: BIG_REPORT }),
      signal: controller.signal,
    }).catch((err: Error) => err);
    // Wait until calls are really going out, then hang up.
    for (let i = 0; i < 100 && totalRequests(app) < 8; i++) await sleep(50);
    expect(totalRequests(app)).toBeGreaterThanOrEqual(8);
    controller.abort();
    expect(await asked).toHaveProperty('name', 'AbortError');

    // On an idle machine the log stops within a second; on a busy one the server may notice the hang-up
    // later, so wait until it has not grown for two seconds (at most 20 s), then check nothing more arrives.
    let settled = totalRequests(app);
    for (let unchanged = 0, i = 0; unchanged < 2 && i < 20; i++) {
      await sleep(1000);
      const now = totalRequests(app);
      unchanged = now === settled ? unchanged + 1 : 0;
      settled = now;
    }
    await sleep(3000);
    expect(totalRequests(app)).toBe(settled);

    // And the same report asked by a client that waits makes the calls the first one never finished.
    const res = await app.query(BIG_REPORT);
    expect(res.data.usage.incomplete).toBe(false);
    expect(totalRequests(app)).toBeGreaterThan(settled);
  }, 90_000);
});
