import { Agent, request } from 'undici';
import jwt from 'jsonwebtoken';
import { createKoreAiConnector } from '../../src/vendors/koreai/client';
import { startKoreAiSimulator, type KoreAiSimulator } from '../../src/vendors/koreai/simulator';
import type { UsageRecord } from '../../src/model';
import { vendorFixture } from '../helpers/fixtures';
import { testConnectorDeps } from '../helpers/connector-deps';

/**
 * Kore.ai as the seeds describe it rather than as our first reading did: seed 000's
 * page shape, its older admin path, a bots listing the app may not read, and a
 * server that ignores the period. Expected values come from the simulator's data.
 */

const UNTIL = new Date('2025-08-01T00:00:00Z');
const BOTS_LISTING = /^\/api\/public\/bots$/;
const CURRENT_PATH = '/api/public/bots/getBillingSessionsDetails';
const OLDER_PATH = '/api/public/getBillingSessionsDetails';

let agent: Agent;
beforeAll(() => {
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
});

/** Sessions per month from the simulator's own data: what every reading must report. */
function expectedCounts(sim: KoreAiSimulator, from: string, to: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sim.data.sessions) {
    const month = s.start.toISOString().slice(0, 7);
    if (month >= from && month <= to) counts[month] = (counts[month] ?? 0) + 1;
  }
  return counts;
}

function countsOf(records: UsageRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.month] = (counts[r.month] ?? 0) + Number(r.quantity);
  return counts;
}

async function withSim<T>(options: Parameters<typeof startKoreAiSimulator>[0], fn: (sim: KoreAiSimulator) => Promise<T>): Promise<T> {
  const sim = await startKoreAiSimulator({ seed: 5, until: UNTIL, ...options });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

describe('Kore.ai, the other readings', () => {
  it.each([['seed'], ['bare']] as const)('counts every session when pages have the %s shape (no moreAvailable)', async (shape) => {
    await withSim({ shape }, async (sim) => {
      const records = await createKoreAiConnector(sim.connectionConfig('kore'), testConnectorDeps(agent)).usage({ from: '2025-02', to: '2025-06', timeZone: 'UTC' });
      expect(countsOf(records)).toEqual(expectedCounts(sim, '2025-02', '2025-06'));
    });
  });

  it('falls back to the older admin path on 404 and remembers it for the connection', async () => {
    await withSim({ adminPaths: [OLDER_PATH] }, async (sim) => {
      const connector = createKoreAiConnector(sim.connectionConfig('kore'), testConnectorDeps(agent));
      const first = await connector.usage({ from: '2025-03', to: '2025-03', timeZone: 'UTC' });
      expect(countsOf(first)).toEqual(expectedCounts(sim, '2025-03', '2025-03'));
      expect(sim.count(CURRENT_PATH)).toBe(1);
      sim.resetLog();
      const second = await connector.usage({ from: '2025-04', to: '2025-04', timeZone: 'UTC' });
      expect(countsOf(second)).toEqual(expectedCounts(sim, '2025-04', '2025-04'));
      expect(sim.count(CURRENT_PATH)).toBe(0);
      expect(sim.count(OLDER_PATH)).toBeGreaterThan(0);
    });
  });

  it('tries the configured older path first and the current one on 404', async () => {
    await withSim({ adminPaths: [CURRENT_PATH] }, async (sim) => {
      const config = { ...sim.connectionConfig('kore'), billingPath: OLDER_PATH } as const;
      const records = await createKoreAiConnector(config, testConnectorDeps(agent)).usage({ from: '2025-05', to: '2025-05', timeZone: 'UTC' });
      expect(countsOf(records)).toEqual(expectedCounts(sim, '2025-05', '2025-05'));
      expect(sim.count(OLDER_PATH)).toBe(1);
    });
  });

  it('answers usage in admin scope with the bots listing answering 403: every session counted, the organisation named by the connection, a note saying why', async () => {
    await withSim({}, async (sim) => {
      sim.inject({ path: BOTS_LISTING, status: 403, body: { errors: [{ msg: 'scope not granted', code: 403 }] }, times: Infinity });
      const connector = createKoreAiConnector(sim.connectionConfig('kore'), testConnectorDeps(agent));
      const records = await connector.usage({ from: '2025-01', to: '2025-07', timeZone: 'UTC' });
      expect(countsOf(records)).toEqual(expectedCounts(sim, '2025-01', '2025-07'));
      expect(new Set(records.map((r) => r.organisationExternalId))).toEqual(new Set(['kore']));
      expect(connector.notes?.()).toEqual([
        "The bots listing failed (UPSTREAM_FORBIDDEN, HTTP 403): bots are shown by id without names, and the organisation by the connection's name.",
      ]);
      sim.clearFaults();
      await connector.usage({ from: '2025-01', to: '2025-01', timeZone: 'UTC' });
      expect(connector.notes?.()).toEqual([]);
    });
  });

  it('keeps only the asked period, bots and channel from a server that ignores the period, each session once', async () => {
    await withSim({ ignorePeriod: true, maxRangeDays: 30 }, async (sim) => {
      const connector = createKoreAiConnector(sim.connectionConfig('kore'), testConnectorDeps(agent));
      const records = await connector.usage({ from: '2025-03', to: '2025-05', timeZone: 'UTC' });
      expect(countsOf(records)).toEqual(expectedCounts(sim, '2025-03', '2025-05'));
      const from = new Date('2025-04-01T00:00:00Z');
      const to = new Date('2025-04-15T00:00:00Z');
      const bot = sim.data.bots[0]._id;
      const sessions = await connector.billingSessions({ botIds: [bot], from, to, channel: 'rtm' });
      const expected = sim.data.sessions.filter((s) => s.botId === bot && s.start >= from && s.start < to && s.channel.toLowerCase() === 'rtm');
      expect(sessions.map((s) => s.externalId)).toEqual(expected.map((s) => s.billingSessionId));
    });
  });

  it("accepts seed 000's example request bodies verbatim on both documented paths and the per-bot path", async () => {
    await withSim({}, async (sim) => {
      const config = sim.connectionConfig('kore');
      const token = jwt.sign({ sub: 'fixture', appId: config.clientId }, config.clientSecret, { algorithm: 'HS256', expiresIn: 600 });
      const post = async (fixture: string, path: string) => {
        const { body } = vendorFixture('koreai', fixture) as { body: unknown };
        const res = await request(`${sim.url}${path}`, { method: 'POST', headers: { auth: token, 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher: agent });
        return { status: res.statusCode, body: (await res.body.json()) as { total: number } };
      };
      // The seed asks for more than the contract's default 90 days: the simulator says so, as the vendor would.
      expect((await post('seed-000-request-admin.json', CURRENT_PATH)).status).toBe(400);
    });
    await withSim({ maxRangeDays: 184 }, async (sim) => {
      const config = sim.connectionConfig('kore');
      const token = jwt.sign({ sub: 'fixture', appId: config.clientId }, config.clientSecret, { algorithm: 'HS256', expiresIn: 600 });
      const post = async (fixture: string, path: string) => {
        const { body } = vendorFixture('koreai', fixture) as { body: unknown };
        const res = await request(`${sim.url}${path}`, { method: 'POST', headers: { auth: token, 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher: agent });
        return res.statusCode;
      };
      expect(await post('seed-000-request-admin.json', CURRENT_PATH)).toBe(200);
      expect(await post('seed-000-request-admin.json', OLDER_PATH)).toBe(200);
      expect(await post('seed-000-request-bot.json', `/api/public/bot/${sim.data.bots[0]._id}/getBillingSessionsDetails`)).toBe(200);
    });
  });
});
