import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { startTestApp, type TestApp } from '../helpers/app';
import { deleteNamespace, describeWithRedis, REDIS_URL, testNamespace } from '../helpers/redis';
import { graphqlRaw, vendorRequestCount, withClients } from '../helpers/security';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

const ANALYST = { 'x-api-key': 'analyst-key-0123456789abcdef' };
const PARTNER = { 'x-api-key': 'partner-key-fedcba9876543210' };
const CONNECTIONS = 'query Connections { connections { name vendor } }';
const ORGANISATIONS = 'query Organisations { organisations(first: 10) { totalCount } }';
const AD_HOC = '{ connections { name } }';

describe('automatic persisted queries', () => {
  let app: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    [app, off] = await Promise.all([
      startTestApp(),
      startTestApp({ configure: (config) => withClients(config, [], { clients: undefined, persistedQueries: { apq: false } }) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([app?.close(), off?.close()]);
  });

  it('misses an unknown hash, registers the document sent with it, then answers the hash alone (POST and GET)', async () => {
    const query = '{ connections { vendor } }';
    const hash = sha256(query);
    const miss = await graphqlRaw(app.url, { body: { extensions: apq(hash) } });
    expect(miss.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await graphqlRaw(app.url, { body: { query, extensions: apq(hash) } });
    expect(register.status).toBe(200);
    const hit = await graphqlRaw(app.url, { body: { extensions: apq(hash) } });
    expect(hit.body).toEqual(register.body);
    const get = await graphqlRaw(app.url, { method: 'GET', headers: { 'apollo-require-preflight': 'true' }, search: { extensions: JSON.stringify(apq(hash)) } });
    expect(get.body).toEqual(register.body);
  });

  it('answers a hash that is not the sha256 of the document sent with it with 400 BAD_REQUEST', async () => {
    const res = await graphqlRaw(app.url, { body: { query: '{ connections { name } }', extensions: apq('0'.repeat(64)) } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    expect(res.body.data).toBeUndefined();
  });

  it('refuses persisted queries with PERSISTED_QUERY_NOT_SUPPORTED when apq is false', async () => {
    const query = '{ connections { vendor } }';
    const res = await graphqlRaw(off.url, { body: { query, extensions: apq(sha256(query)) } });
    expect(res.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect(res.body.data).toBeUndefined();
  });
});

describeWithRedis('automatic persisted queries shared through Redis', () => {
  const namespace = testNamespace('apq');
  let app: TestApp;
  let second: RunningServer;
  beforeAll(async () => {
    app = await startTestApp({ configure: (config) => ({ ...config, cache: { ...config.cache, url: REDIS_URL, namespace } }) });
    second = await startServer(app.config, silentLogger);
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
    await deleteNamespace(namespace);
  });

  it('answers on a second server instance a hash registered on the first', async () => {
    const query = `{ connections { name vendor } }`;
    const hash = sha256(query);
    const register = await graphqlRaw(app.url, { body: { query, extensions: apq(hash) } });
    expect(register.status).toBe(200);
    const hit = await graphqlRaw(second.url, { body: { extensions: apq(hash) } });
    expect(hit.status).toBe(200);
    expect(hit.body).toEqual(register.body);
  });
});

describe('trusted documents and a persisted-only client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'usagegraph-manifest-'));
  const manifest = join(dir, 'persisted-documents.json');
  const write = (documents: string[]) => writeFileSync(manifest, JSON.stringify(Object.fromEntries(documents.map((d) => [sha256(d), d])), null, 2));
  let app: TestApp;
  beforeAll(async () => {
    write([CONNECTIONS]);
    app = await startTestApp({
      configure: (config) =>
        withClients(
          config,
          [
            { name: 'analysts', apiKey: ANALYST['x-api-key'] },
            { name: 'partner', apiKey: PARTNER['x-api-key'], connections: ['talkdesk-demo'], persistedOnly: true },
          ],
          { persistedQueries: { apq: true, manifest } },
        ),
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an ad-hoc document from the persisted-only client before parsing it', async () => {
    const before = vendorRequestCount(app.vendors);
    // Not even GraphQL: a refusal that came after parsing would be a syntax error instead.
    for (const query of [AD_HOC, '{ this is not graphql']) {
      const res = await graphqlRaw(app.url, { headers: PARTNER, body: { query } });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.body.data).toBeUndefined();
    }
    // A document registered through APQ by someone else is no trusted document either.
    await graphqlRaw(app.url, { headers: ANALYST, body: { query: AD_HOC, extensions: apq(sha256(AD_HOC)) } });
    const viaApq = await graphqlRaw(app.url, { headers: PARTNER, body: { extensions: apq(sha256(AD_HOC)) } });
    expect(viaApq.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(vendorRequestCount(app.vendors)).toBe(before);
  });

  it('answers a manifest operation by APQ hash (POST and GET) and by documentId (body and GET parameter), in its scope', async () => {
    const hash = sha256(CONNECTIONS);
    const expected = { data: { connections: [{ name: 'talkdesk-demo', vendor: 'TALKDESK' }] } };
    const preflight = { ...PARTNER, 'apollo-require-preflight': 'true' };
    const answers = [
      await graphqlRaw(app.url, { headers: PARTNER, body: { extensions: apq(hash) } }),
      await graphqlRaw(app.url, { method: 'GET', headers: preflight, search: { extensions: JSON.stringify(apq(hash)) } }),
      await graphqlRaw(app.url, { headers: PARTNER, body: { documentId: hash } }),
      await graphqlRaw(app.url, { headers: PARTNER, body: { documentId: `sha256:${hash}` } }),
      await graphqlRaw(app.url, { method: 'GET', headers: preflight, search: { documentId: hash } }),
      // The full document with its hash is a manifest operation too.
      await graphqlRaw(app.url, { headers: PARTNER, body: { query: CONNECTIONS, extensions: apq(hash) } }),
    ];
    for (const res of answers) expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expected });
  });

  it('lets other clients run any document, and manifest documents by documentId', async () => {
    expect((await graphqlRaw(app.url, { headers: ANALYST, body: { query: AD_HOC } })).body.data.connections).toHaveLength(4);
    expect((await graphqlRaw(app.url, { headers: ANALYST, body: { documentId: sha256(CONNECTIONS) } })).body.data.connections).toHaveLength(4);
  });

  it('answers an unknown documentId with PERSISTED_QUERY_NOT_FOUND', async () => {
    const res = await graphqlRaw(app.url, { headers: ANALYST, body: { documentId: 'f'.repeat(64) } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('picks up a manifest edited on disk without a restart, and keeps the last good one when the file goes bad', async () => {
    const hash = sha256(ORGANISATIONS);
    expect((await graphqlRaw(app.url, { headers: PARTNER, body: { documentId: hash } })).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    write([CONNECTIONS, ORGANISATIONS]);
    const answered = await eventually(async () => (await graphqlRaw(app.url, { headers: PARTNER, body: { documentId: hash } })).body.data);
    expect(answered.organisations.totalCount).toBeGreaterThan(0);

    writeFileSync(manifest, '{ "not": "a manifest"');
    // Give the watcher time to see the bad file: the previous manifest must still answer.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await graphqlRaw(app.url, { headers: PARTNER, body: { documentId: hash } })).body.data.organisations.totalCount).toBe(answered.organisations.totalCount);
  });
});

/** Polls until `probe` gives a value (generous deadline: the machine is busy). */
async function eventually<T>(probe: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > until) throw new Error('the change was not picked up in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
