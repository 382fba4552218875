import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

async function scrape(target: TestApp = app): Promise<{ status: number; text: string }> {
  const res = await request(`${target.url}/metrics`);
  return { status: res.statusCode, text: await res.body.text() };
}

/** Sum of the samples of `name` whose labels include every pair in `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const REPORT = (groupBy: string) => `query Report { usage(filter: { from: "2025-04", to: "2025-05" }, groupBy: [${groupBy}]) { rows { quantity } } }`;

describe('GET /metrics', () => {
  it('counts vendor requests per connection and cache hits after queries, in Prometheus text format', async () => {
    const before = (await scrape()).text;
    expect((await app.query(REPORT('MONTH'))).errors).toBeUndefined();
    expect((await app.query(REPORT('MONTH'))).errors).toBeUndefined(); // the same question: a response-cache hit
    expect((await app.query(REPORT('VENDOR'))).errors).toBeUndefined(); // the same vendor data: vendor-answer cache hits
    const { status, text } = await scrape();
    expect(status).toBe(200);
    const delta = (name: string, labels: Record<string, string>) => sample(text, name, labels) - sample(before, name, labels);
    for (const [connection, vendor] of [['kore-demo', 'KORE_AI'], ['cognigy-demo', 'COGNIGY'], ['evo-demo', 'EVOVOICE'], ['talkdesk-demo', 'TALKDESK']]) {
      expect(delta('usagegraph_vendor_requests_total', { connection, vendor, outcome: 'ok', status_class: '2xx' })).toBeGreaterThan(0);
      expect(delta('usagegraph_vendor_request_duration_seconds_count', { connection, vendor })).toBeGreaterThan(0);
    }
    expect(delta('usagegraph_cache_reads_total', { cache: 'responses', result: 'hit' })).toBe(1);
    expect(delta('usagegraph_cache_reads_total', { cache: 'vendor_answers', result: 'hit' })).toBeGreaterThan(0);
    expect(delta('usagegraph_cache_reads_total', { cache: 'vendor_answers', result: 'miss' })).toBeGreaterThan(0);
    expect(delta('usagegraph_operations_total', { operation: 'Report', outcome: 'ok' })).toBe(3);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('never puts ids, keys, URLs or credentials into labels', async () => {
    const { text } = await scrape();
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]);
    for (const value of labelValues) expect(value).not.toMatch(/https?:|\?|[0-9a-f]{16,}/);
    const secrets = app.config.connections.flatMap((c) => Object.entries(c).filter(([k]) => /secret|password/i.test(k)).map(([, v]) => String(v)));
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('is off with server.metrics: false', async () => {
    const off = await startTestApp({ overrides: { server: { metrics: false } } });
    try {
      expect((await scrape(off)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
