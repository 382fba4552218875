import { startTestApp, type TestApp } from '../helpers/app';
import { REDIS_SERVER_BIN, startOwnRedis, type OwnRedis } from '../helpers/redis-server';
import { existsSync } from 'node:fs';
import { request } from 'undici';

/**
 * A Redis of the test's own, stopped and started again while queries run:
 * no request fails or hangs, every answer stays right, and the vendors are
 * called no more than by a server that never had Redis (the in-process tier
 * carries the outage).
 */

const REPORT = `query Report($from: Month!, $to: Month!, $groupBy: [UsageDimension!]) {
  usage(filter: { from: $from, to: $to }, groupBy: $groupBy) {
    rows { month vendor unit quantity currency amount }
    incomplete
    sources { connection { name } state }
  }
}`;

const RANGES = [
  { from: '2025-01', to: '2025-03' },
  { from: '2025-04', to: '2025-06' },
  { from: '2025-01', to: '2025-06' },
];
const GROUPINGS = [['MONTH', 'VENDOR', 'UNIT'], ['VENDOR', 'UNIT'], ['MONTH', 'UNIT', 'CURRENCY']];

const vendorCalls = (app: TestApp) => Object.values(app.vendors.simulators).reduce((n, s) => n + s.requests.length, 0);

/** One round: every range in one grouping, concurrently; returns the answers by range. */
async function round(app: TestApp, index: number): Promise<{ key: string; data: unknown }[]> {
  const groupBy = GROUPINGS[index % GROUPINGS.length];
  return Promise.all(
    RANGES.map(async (range) => {
      const res = await app.query(REPORT, { ...range, groupBy });
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data.usage.incomplete).toBe(false);
      return { key: `${range.from}-${range.to}-${groupBy.join()}`, data: res.data };
    }),
  );
}

/** /readyz once it reports `redis` as expected (the client notices within moments), or its last answer after 10 s. */
async function readiness(app: TestApp, expected: string): Promise<{ status: number; redis: string }> {
  let last = { status: 0, redis: '' };
  for (let i = 0; i < 40 && last.redis !== expected; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 250));
    const res = await request(`${app.url}/readyz`);
    const body = (await res.body.json()) as { details: { cache: { redis: string } } };
    last = { status: res.statusCode, redis: body.details.cache.redis };
  }
  return last;
}

const describeWithBinary = existsSync(REDIS_SERVER_BIN) ? describe : describe.skip;

describeWithBinary('a Redis that goes away and comes back while queries run', () => {
  let redis: OwnRedis;
  let withRedis: TestApp;
  let memoryOnly: TestApp;

  beforeAll(async () => {
    redis = await startOwnRedis();
    withRedis = await startTestApp({ overrides: { cache: { url: redis.url, namespace: 'outage-test' } } });
    memoryOnly = await startTestApp();
  });
  afterAll(async () => {
    await withRedis?.close();
    await memoryOnly?.close();
    await redis?.stop();
  });

  it('answers every query correctly, never fails or hangs, and calls vendors no more than a memory-only server', async () => {
    const answers = new Map<string, unknown>();
    const check = (results: { key: string; data: unknown }[]) => {
      for (const { key, data } of results) {
        if (answers.has(key)) expect(data).toEqual(answers.get(key));
        else answers.set(key, data);
      }
    };
    for (let i = 0; i < 6; i++) {
      if (i === 2) {
        await redis.stop();
        expect(await readiness(withRedis, 'unavailable')).toEqual({ status: 200, redis: 'unavailable' });
      }
      if (i === 4) {
        await redis.start();
        expect(await readiness(withRedis, 'connected')).toEqual({ status: 200, redis: 'connected' });
      }
      check(await round(withRedis, i));
      check(await round(memoryOnly, i));
    }
    expect(answers.size).toBe(RANGES.length * GROUPINGS.length);
    expect(vendorCalls(withRedis)).toBeLessThanOrEqual(vendorCalls(memoryOnly));
  }, 180_000);
});
