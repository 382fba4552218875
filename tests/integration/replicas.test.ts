import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoVendors, type DemoVendors } from '../../src/demo';
import type { CognigySimulator } from '../../src/vendors/cognigy/simulator';
import { deleteNamespace, describeWithRedis, REDIS_URL, testNamespace } from '../helpers/redis';
import { buildServer, startServerProcess, type ServerProcess } from '../helpers/server-process';
import { postGraphQL } from '../helpers/supergraph';

/**
 * Two replicas as they run in production: two processes of the built server
 * (`node dist/src/main.js`) with one configuration file, the same vendors and
 * the same real Redis, as behind a load balancer. What one replica fetched the
 * other answers without asking a vendor.
 */

jest.setTimeout(600_000);

const REPORT = `query Report($from: Month!, $to: Month!) {
  usage(filter: { from: $from, to: $to }, groupBy: [VENDOR, UNIT]) {
    rows { vendor unit quantity currency amount }
    incomplete
  }
}`;

describeWithRedis('two replicas of the built server sharing one Redis', () => {
  const namespace = testNamespace('replicas');
  const dir = mkdtempSync(join(tmpdir(), 'usagegraph-replicas-'));
  let vendors: DemoVendors;
  let a: ServerProcess;
  let b: ServerProcess;
  /**
   * Runs the attempt with fresh months; when it fails and a replica logged a
   * cache warning meanwhile, again (up to three times). On a busy machine a
   * Redis call slower than its deadline is, by design, a miss that goes to the
   * vendor, which is not what these tests are about. A failure without a cache
   * warning fails at once.
   */
  async function despiteSlowRedis(attempt: (months: { from: string; to: string }) => Promise<void>) {
    for (let i = 0; ; i += 1) {
      const logged = [a.output().length, b.output().length];
      try {
        return await attempt({ from: `2025-${String(2 * i + 1).padStart(2, '0')}`, to: `2025-${String(2 * i + 2).padStart(2, '0')}` });
      } catch (err) {
        const warned = [a, b].some((r, j) => /cache/i.test(r.output().slice(logged[j])));
        if (!warned || i === 2) throw err;
        // After a failure the cache is left alone for a few seconds (src/upstream/cache.ts); wait that out.
        await new Promise((resolve) => setTimeout(resolve, 6000));
      }
    }
  }
  const counts = () => Object.fromEntries(Object.entries(vendors.simulators).map(([name, sim]) => [name, sim.requests.length]));

  beforeAll(async () => {
    buildServer();
    vendors = await startDemoVendors({ port: 0 });
    const configPath = join(dir, 'usagegraph.json');
    const { connections, rates } = vendors.config;
    writeFileSync(configPath, JSON.stringify({ server: { port: 0, host: '127.0.0.1' }, cache: { url: REDIS_URL, namespace }, connections, rates }));
    [a, b] = await Promise.all([startServerProcess(configPath), startServerProcess(configPath)]);
    // A first question on each opens its Redis connection, so the measured ones do not pay for connecting.
    for (const replica of [a, b]) expect((await postGraphQL(`${replica.url}/graphql`, '{ connections { name } }')).errors).toBeUndefined();
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await vendors?.close();
    await deleteNamespace(namespace);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a report on B after A without any vendor request', async () => {
    expect(a.url).not.toBe(b.url);
    await despiteSlowRedis(async (months) => {
      const onA = await postGraphQL(`${a.url}/graphql`, REPORT, months);
      expect(onA.errors).toBeUndefined();
      expect(onA.data.usage.incomplete).toBe(false);
      const afterA = counts();

      const onB = await postGraphQL(`${b.url}/graphql`, REPORT, months);
      expect(onB.data).toEqual(onA.data);
      expect(counts()).toEqual(afterA);
    });
  });

  it('resolves entity references on B, after A listed the organisations with their usage, without any vendor request', async () => {
    const cognigyOrganisations = (vendors.simulators.cognigy as CognigySimulator).data.organisations.length;
    await despiteSlowRedis(async ({ from, to }) => {
      const usage = `monthlyUsage(from: "${from}", to: "${to}") { month channel quantity }`;
      const listed = await postGraphQL(`${a.url}/graphql`, `{ organisations(first: 500, filter: { vendors: [COGNIGY] }) { edges { node { id name ${usage} } } } }`);
      expect(listed.errors).toBeUndefined();
      const organisations = listed.data.organisations.edges.map((e: { node: unknown }) => e.node);
      expect(organisations).toHaveLength(cognigyOrganisations);
      const afterA = counts();

      // Another question (so no whole answer is cached for it): what a gateway asks for a hundred references.
      const referenced = organisations.slice(0, 100);
      const onB = await postGraphQL(
        `${b.url}/graphql`,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id name ${usage} } } }`,
        { representations: referenced.map((o: { id: string }) => ({ __typename: 'Organisation', id: o.id })) },
      );
      expect(onB.errors).toBeUndefined();
      expect(onB.data._entities).toEqual(referenced);
      expect(counts()).toEqual(afterA);
    });
  });
});
