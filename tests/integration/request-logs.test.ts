import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { startTestApp, type TestApp } from '../helpers/app';
import { testNamespace } from '../helpers/redis';
import { graphqlRaw, withClients } from '../helpers/security';

const KEY = { 'x-api-key': 'analyst-key-0123456789abcdef' };

describe('log lines of a request', () => {
  let vendors: TestApp;
  let server: RunningServer;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    vendors = await startTestApp();
    const config = withClients(vendors.config, [{ name: 'analysts', apiKey: KEY['x-api-key'], rateLimit: { requests: 100, perSeconds: 86_400 } }], {
      // A Redis nobody answers on: the rate limiter must say so once, and count locally.
      cache: { ...vendors.config.cache, url: 'redis://127.0.0.1:1', namespace: testNamespace('logs') },
    });
    server = await startServer(config, createLogger('debug', (line) => lines.push(JSON.parse(line))));
  });
  afterAll(async () => {
    await server?.close();
    await vendors?.close();
  });

  it('carry the request id and the client name, vendor-call lines included', async () => {
    const res = await graphqlRaw(server.url, { headers: { ...KEY, 'x-request-id': 'trace-logs-1' }, body: { query: '{ organisations { totalCount } }' } });
    expect(res.status).toBe(200);
    const mine = lines.filter((l) => l.requestId === 'trace-logs-1');
    expect(mine.some((l) => l.msg === 'upstream call')).toBe(true);
    expect(mine.some((l) => l.msg === 'graphql request')).toBe(true);
    for (const line of mine) expect(line.client).toBe('analysts');
  });

  it('say once that the rate limiter counts locally while Redis is away, however many requests come', async () => {
    for (let i = 0; i < 5; i++) expect((await graphqlRaw(server.url, { headers: KEY, body: { query: '{ connections { name } }' } })).status).toBe(200);
    expect(lines.filter((l) => String(l.msg).startsWith('rate limiter: Redis unavailable'))).toHaveLength(1);
  });

  it('include one start-up line saying whether API keys are required', () => {
    expect(lines.filter((l) => l.msg === 'API keys required')).toEqual([expect.objectContaining({ clients: ['analysts'] })]);
  });
});
