import { request } from 'undici';
import { startDemoVendors, type DemoVendors } from '../../src/demo';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';

/** Every value in the demo configuration that is a credential. */
function secretsOf(vendors: DemoVendors): string[] {
  return vendors.config.connections.flatMap((c) => Object.entries(c).filter(([k]) => /secret|password/i.test(k)).map(([, v]) => String(v)));
}

let vendors: DemoVendors;
let server: RunningServer;
const lines: string[] = [];
const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  vendors = await startDemoVendors({ port: 0, overrides: { cache: { enabled: false } } });
  server = await startServer(vendors.config, createLogger('debug', (line) => lines.push(line)));
});
afterAll(async () => {
  await server?.close();
  await vendors?.close();
});

async function post(body: unknown): Promise<any> {
  const res = await request(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.body.json();
}

describe('logs (pino, JSON lines)', () => {
  it("puts the request id, client and operation name on every line of a request, vendor-call lines included", async () => {
    lines.length = 0;
    const body = await post({
      operationName: 'MonthlyReport',
      query: 'query MonthlyReport { usage(filter: { from: "2025-03", to: "2025-03" }, groupBy: [VENDOR]) { rows { vendor quantity } } }',
    });
    expect(body.errors).toBeUndefined();
    const done = records().find((r) => r.msg === 'graphql request')!;
    expect(done).toMatchObject({ level: 'info', operation: 'MonthlyReport', client: 'anonymous' });
    expect(typeof done.requestId).toBe('string');
    const vendorCalls = records().filter((r) => r.msg === 'upstream call');
    expect(new Set(vendorCalls.map((r) => r.connection))).toEqual(new Set(['kore-demo', 'cognigy-demo', 'evo-demo', 'talkdesk-demo']));
    for (const line of vendorCalls) expect(line).toMatchObject({ requestId: done.requestId, client: 'anonymous', operation: 'MonthlyReport' });
  });

  it('never writes a credential, neither from the configuration nor in headers passed by mistake', async () => {
    const logger = createLogger('info', (line) => lines.push(line));
    logger.info('a careless line', { headers: { authorization: 'Bearer abc.def', cookie: 'ss-id=1', 'x-api-key': 'k-123' }, password: 'pw-1', config: { clientSecret: 's-1', token: 't-1' } });
    const careless = records().find((r) => r.msg === 'a careless line')!;
    expect(JSON.stringify(careless)).not.toMatch(/abc\.def|ss-id=1|k-123|pw-1|s-1|t-1/);
    expect(careless).toMatchObject({ password: '[redacted]', headers: { authorization: '[redacted]' } });
    const all = lines.join('\n');
    const secrets = secretsOf(vendors);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(all).not.toContain(secret);
  });

  it('logs a failed operation at warn with its error codes', async () => {
    lines.length = 0;
    await post({ query: '{ usage(filter: { from: "2025-03", to: "2025-01" }) { rows { quantity } } }' });
    expect(records().find((r) => r.msg === 'graphql request failed')).toMatchObject({ level: 'warn', codes: ['BAD_USER_INPUT'], operation: null });
  });
});
