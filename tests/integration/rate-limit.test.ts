import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { startTestApp, type TestApp } from '../helpers/app';
import { deleteNamespace, describeWithRedis, REDIS_URL, testNamespace } from '../helpers/redis';
import { graphqlRaw, withClients } from '../helpers/security';

const KEY = { 'x-api-key': 'limited-client-key-0123456789' };
const OTHER = { 'x-api-key': 'unlimited-client-key-012345678' };
// A day-long window: a test run never straddles two windows, so counts are exact.
const PER_DAY = 86_400;
const QUERY = { query: '{ connections { name } }' };

const limited = (requests: number, cache?: Record<string, unknown>) => ({
  configure: (config: TestApp['config']) =>
    withClients(
      config,
      [
        { name: 'limited', apiKey: KEY['x-api-key'], rateLimit: { requests, perSeconds: PER_DAY } },
        { name: 'unlimited', apiKey: OTHER['x-api-key'] },
      ],
      cache ? { cache: { ...config.cache, ...cache } } : {},
    ),
});

describe('rate limit per client, in memory', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(limited(3));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers the requests within the limit and refuses the next with 429, Retry-After and RATE_LIMITED', async () => {
    for (let i = 0; i < 3; i++) expect((await graphqlRaw(app.url, { headers: KEY, body: QUERY })).status).toBe(200);
    const refused = await graphqlRaw(app.url, { headers: KEY, body: QUERY });
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3, perSeconds: PER_DAY });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= PER_DAY).toBe(true);
    expect(refused.body.errors?.[0].extensions?.retryAfterSeconds).toBe(retryAfter);
    // Another client is not counted with it.
    expect((await graphqlRaw(app.url, { headers: OTHER, body: QUERY })).status).toBe(200);
  });
});

describeWithRedis('rate limit per client, shared through Redis', () => {
  const namespace = testNamespace('ratelimit');
  let app: TestApp;
  let second: RunningServer;
  beforeAll(async () => {
    app = await startTestApp(limited(4, { url: REDIS_URL, namespace }));
    second = await startServer(app.config, silentLogger);
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
    await deleteNamespace(namespace);
  });

  it('counts the requests of two server instances on one Redis together', async () => {
    const statuses: number[] = [];
    for (const url of [app.url, second.url, app.url, second.url, app.url, second.url]) statuses.push((await graphqlRaw(url, { headers: KEY, body: QUERY })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

describe('rate limit while its Redis is down', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis call fails.
    app = await startTestApp(limited(2, { url: 'redis://127.0.0.1:1', namespace: testNamespace('ratelimit-down') }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('never blocks requests, and still limits by counting in the process', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await graphqlRaw(app.url, { headers: KEY, body: QUERY })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
