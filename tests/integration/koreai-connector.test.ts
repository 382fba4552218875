import jwt from 'jsonwebtoken';
import { Agent, request } from 'undici';
import { UpstreamError } from '../../src/errors';
import { monthOf } from '../../src/usage/month';
import type { KoreAiConnectionConfig } from '../../src/config/schema';
import type { ConnectorDeps } from '../../src/vendors/deps';
import type { VendorConnector } from '../../src/vendors/types';
import { createKoreAiConnector } from '../../src/vendors/koreai/client';
import { startKoreAiSimulator, type KoreAiSimulator, type KoreSimSession } from '../../src/vendors/koreai/simulator';
import { testConnectorDeps } from '../helpers/connector-deps';

const DAY_MS = 86_400_000;
const BILLING = 'getBillingSessionsDetails';

let sim: KoreAiSimulator;
let agent: Agent;
let deps: ConnectorDeps;
let admin: VendorConnector;

beforeAll(async () => {
  sim = await startKoreAiSimulator({ seed: 4, until: new Date('2026-06-01T00:00:00Z') });
  agent = new Agent();
  deps = testConnectorDeps(agent);
  admin = createKoreAiConnector(sim.connectionConfig('kore'), deps);
});

afterAll(async () => {
  await sim.close();
  await agent.close();
});

beforeEach(() => {
  sim.clearFaults();
  sim.resetLog();
});

const connector = (overrides: Partial<KoreAiConnectionConfig> = {}, scope: 'admin' | 'bot' = 'admin') =>
  createKoreAiConnector({ ...sim.connectionConfig('kore', { scope }), ...overrides }, deps);

const between = (from: string, to: string): KoreSimSession[] =>
  sim.data.sessions.filter((s) => s.start >= new Date(from) && s.start < new Date(to));

const billingBodies = () =>
  sim.requests.filter((r) => r.path.endsWith(BILLING)).map((r) => JSON.parse(r.body) as { fromDate: string; toDate: string; skip: number; limit: number; botId?: string; channel?: string });

const errorOf = async (promise: Promise<unknown>): Promise<UpstreamError> => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
};

describe('Kore.ai simulator data', () => {
  it('seeds thousands of sessions, alerts, 15-minute boundary cases and a handful of mis-billed conversations', () => {
    expect(sim.data.sessions.length).toBeGreaterThanOrEqual(3000);
    expect(sim.data.sessions.length).toBeLessThanOrEqual(8000);
    expect(sim.data.sessions.some((s) => s.billingSessionType === 'Alerts')).toBe(true);
    const minutes = sim.data.conversations.map((c) => (c.end.getTime() - c.start.getTime()) / 1000);
    expect(minutes).toEqual(expect.arrayContaining([900, 1800, 1801, 1860]));
    expect(sim.data.misbilledConversationIds.length).toBeGreaterThanOrEqual(4);
    expect(sim.data.misbilledConversationIds.length).toBeLessThanOrEqual(8);
    const starts = sim.data.sessions.map((s) => s.start.toISOString());
    expect(starts).toEqual(expect.arrayContaining(['2025-03-31T23:59:59.000Z', '2025-04-01T00:00:00.000Z', '2025-02-01T02:00:00.000Z']));
  });
});

describe('Kore.ai billing sessions', () => {
  it('asks for a nine-month range in four contiguous windows of at most 90 days and returns every session once', async () => {
    const sessions = await admin.billingSessions({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-10-01T00:00:00Z') });

    const windows = [...new Map(billingBodies().map((b) => [`${b.fromDate}/${b.toDate}`, b])).values()]
      .map((b) => ({ from: Date.parse(b.fromDate), to: Date.parse(b.toDate) }))
      .sort((a, b) => a.from - b.from);
    expect(windows).toHaveLength(4);
    expect(windows[0].from).toBe(Date.parse('2025-01-01T00:00:00Z'));
    expect(windows[3].to).toBe(Date.parse('2025-10-01T00:00:00Z'));
    windows.forEach((w, i) => {
      expect(w.to - w.from).toBeLessThanOrEqual(90 * DAY_MS);
      if (i > 0) expect(w.from).toBe(windows[i - 1].to);
    });

    const expected = between('2025-01-01T00:00:00Z', '2025-10-01T00:00:00Z');
    const ids = sessions.map((s) => s.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expected.map((s) => s.billingSessionId).sort());
    expect(sessions.map((s) => s.start.getTime())).toEqual([...sessions.map((s) => s.start.getTime())].sort((a, b) => a - b));
  });

  it('pages 100 at a time with skip, one call per page of each window', async () => {
    await admin.billingSessions({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-03-01T00:00:00Z') });
    const count = between('2025-01-01T00:00:00Z', '2025-03-01T00:00:00Z').length;
    const skips = billingBodies().map((b) => b.skip).sort((a, b) => a - b);
    expect(skips).toEqual(Array.from({ length: Math.ceil(count / 100) }, (_, i) => i * 100));
    expect(billingBodies().every((b) => b.limit === 100)).toBe(true);
  });

  it('reports a session exactly as the vendor billed it, with the channel lower-cased', async () => {
    const edge = sim.data.sessions.find((s) => s.start.toISOString() === '2025-03-31T23:59:59.000Z')!;
    const [session] = (await admin.billingSessions({ from: edge.start, to: new Date(edge.start.getTime() + 1000) })).filter(
      (s) => s.externalId === edge.billingSessionId,
    );
    expect(session).toEqual({
      connection: 'kore',
      botExternalId: edge.botId,
      externalId: edge.billingSessionId,
      channel: edge.channel.toLowerCase(),
      type: 'CONVERSATION',
      rawType: 'Conversations',
      userId: edge.koreUserId,
      channelUserId: edge.channelUserId,
      conversationId: edge.conversationSessionId,
      conversationStart: edge.conversationStart,
      conversationEnd: edge.conversationEnd,
      start: edge.start,
      end: edge.end,
    });
  });

  it('sends botId when exactly one bot is asked and filters locally when several are', async () => {
    const [one, two] = sim.data.bots.map((b) => b._id);
    const range = { from: new Date('2025-05-01T00:00:00Z'), to: new Date('2025-06-01T00:00:00Z') };
    const inRange = between('2025-05-01T00:00:00Z', '2025-06-01T00:00:00Z');

    const single = await admin.billingSessions({ ...range, botIds: [one] });
    expect(billingBodies().map((b) => b.botId)).toEqual(billingBodies().map(() => one));
    expect(single.map((s) => s.externalId).sort()).toEqual(inRange.filter((s) => s.botId === one).map((s) => s.billingSessionId).sort());

    sim.resetLog();
    const pair = await admin.billingSessions({ ...range, botIds: [one, two] });
    expect(billingBodies().every((b) => b.botId === undefined)).toBe(true);
    expect(pair.map((s) => s.externalId).sort()).toEqual(
      inRange.filter((s) => s.botId === one || s.botId === two).map((s) => s.billingSessionId).sort(),
    );
  });

  it('passes a channel filter to the vendor, which matches it in any letter case', async () => {
    const sessions = await admin.billingSessions({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z'), channel: 'ivr' });
    expect(billingBodies().every((b) => b.channel === 'ivr')).toBe(true);
    const expected = between('2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z').filter((s) => s.channel.toLowerCase() === 'ivr');
    expect(sessions.map((s) => s.externalId).sort()).toEqual(expected.map((s) => s.billingSessionId).sort());
    expect(new Set(expected.map((s) => s.channel))).toEqual(new Set(['IVR', 'ivr']));
  });

  it('uses the per-bot path for every configured bot in bot scope', async () => {
    const bots = connector({}, 'bot');
    const sessions = await bots.billingSessions({ from: new Date('2025-07-01T00:00:00Z'), to: new Date('2025-08-01T00:00:00Z') });
    const paths = new Set(sim.requests.map((r) => r.path));
    expect(paths).toEqual(new Set(sim.data.bots.map((b) => `/api/public/bot/${b._id}/${BILLING}`)));
    expect(sessions.map((s) => s.externalId).sort()).toEqual(between('2025-07-01T00:00:00Z', '2025-08-01T00:00:00Z').map((s) => s.billingSessionId).sort());
  });

  it('retries the read-only billing POST after a 503', async () => {
    sim.inject({ path: BILLING, status: 503, times: 1 });
    const sessions = await admin.billingSessions({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') });
    expect(sessions).toHaveLength(between('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z').length);
    expect(sim.requests.map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('Kore.ai bots and organisations', () => {
  it('lists every bot of the admin scope under the shared account', async () => {
    const bots = await admin.bots();
    expect(bots).toEqual(
      sim.data.bots.map((b) => ({ vendor: 'KORE_AI', connection: 'kore', organisationExternalId: sim.data.accountId, externalId: b._id, name: b.name })),
    );
    expect(sim.requests.map((r) => r.query)).toEqual([{ offset: '0', limit: '50' }]);
  });

  it('pages the bots list by offset, 50 at a time', async () => {
    const big = await startKoreAiSimulator({ seed: 9, until: new Date('2025-01-05T00:00:00Z'), bots: 120 });
    try {
      const bots = await createKoreAiConnector(big.connectionConfig('big'), deps).bots();
      expect(bots.map((b) => b.externalId)).toEqual(big.data.bots.map((b) => b._id));
      expect(big.requests.map((r) => r.query.offset).sort()).toEqual(['0', '100', '50']);
    } finally {
      await big.close();
    }
  });

  it('answers bot scope with the configured bots, without a call', async () => {
    const bots = await connector({}, 'bot').bots();
    expect(bots).toEqual(sim.data.bots.map((b) => ({ vendor: 'KORE_AI', connection: 'kore', organisationExternalId: 'kore', externalId: b._id, name: null })));
    expect(sim.count()).toBe(0);
  });

  it('reports one organisation per connection: the account in admin scope, the connection in bot scope', async () => {
    expect(await admin.organisations()).toEqual([{ vendor: 'KORE_AI', connection: 'kore', externalId: sim.data.accountId, name: 'kore', disabled: false }]);
    expect(await connector({}, 'bot').organisations()).toEqual([{ vendor: 'KORE_AI', connection: 'kore', externalId: 'kore', name: 'kore', disabled: false }]);
  });

  it('has no accounts, customers or customer usage', async () => {
    expect(await admin.accounts()).toEqual([]);
    expect(await admin.customers(['x'])).toEqual([]);
    expect(await admin.customerUsage({ from: '2025-01', to: '2025-02', timeZone: 'UTC' })).toEqual([]);
    expect(sim.count()).toBe(0);
  });
});

describe('Kore.ai usage', () => {
  const totals = (rows: Array<{ month: string; quantity: string }>) => {
    const byMonth: Record<string, number> = {};
    for (const r of rows) byMonth[r.month] = (byMonth[r.month] ?? 0) + Number(r.quantity);
    return byMonth;
  };

  it('counts sessions per month by billing start, month edges included', async () => {
    const rows = await admin.usage({ from: '2025-01', to: '2025-04', timeZone: 'UTC' });
    expect(totals(rows)).toEqual({
      '2025-01': between('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z').length,
      '2025-02': between('2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z').length,
      '2025-03': between('2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z').length,
      '2025-04': between('2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z').length,
    });
    const lastSecond = sim.data.sessions.find((s) => s.start.toISOString() === '2025-03-31T23:59:59.000Z')!;
    const row = (month: string) => rows.find((r) => r.month === month && r.botExternalId === lastSecond.botId && r.channel === lastSecond.channel.toLowerCase() && r.type === 'BILLING_SESSION');
    const sameGroup = (from: string, to: string) =>
      between(from, to).filter((s) => s.botId === lastSecond.botId && s.channel.toLowerCase() === lastSecond.channel.toLowerCase() && s.billingSessionType === 'Conversations').length;
    expect(row('2025-03')?.quantity).toBe(String(sameGroup('2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z')));
    expect(rows.every((r) => r.vendor === 'KORE_AI' && r.unit === 'SESSIONS' && r.amount === null && r.organisationExternalId === sim.data.accountId)).toBe(true);
  });

  it('places months in the asked time zone: 2025-02-01T02:00Z counts in January in New York', async () => {
    const rows = await admin.usage({ from: '2025-01', to: '2025-02', timeZone: 'America/New_York' });
    const january = between('2025-01-01T05:00:00Z', '2025-02-01T05:00:00Z');
    expect(january.some((s) => s.start.toISOString() === '2025-02-01T02:00:00.000Z')).toBe(true);
    expect(totals(rows)).toEqual({ '2025-01': january.length, '2025-02': between('2025-02-01T05:00:00Z', '2025-03-01T05:00:00Z').length });
  });

  it('gives one row per bot, month, channel and type matching the simulator', async () => {
    const rows = await admin.usage({ from: '2025-06', to: '2025-07', timeZone: 'Europe/Berlin' });
    const expected = new Map<string, number>();
    for (const s of between('2025-05-31T22:00:00Z', '2025-07-31T22:00:00Z')) {
      const key = [monthOf(s.start, 'Europe/Berlin'), s.botId, s.channel.toLowerCase(), s.billingSessionType === 'Alerts' ? 'ALERT_SESSION' : 'BILLING_SESSION'].join('|');
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const actual = new Map(rows.map((r) => [[r.month, r.botExternalId, r.channel, r.type].join('|'), Number(r.quantity)]));
    expect(actual).toEqual(expected);
  });

  it('asks a 12-month usage in five 90-day windows, one call per page, plus one bots call', async () => {
    const fresh = connector();
    await fresh.usage({ from: '2025-01', to: '2025-12', timeZone: 'UTC' });
    const windowCounts = [0, 1, 2, 3, 4].map((i) => {
      const from = Date.parse('2025-01-01T00:00:00Z') + i * 90 * DAY_MS;
      const to = Math.min(from + 90 * DAY_MS, Date.parse('2026-01-01T00:00:00Z'));
      return sim.data.sessions.filter((s) => s.start.getTime() >= from && s.start.getTime() < to).length;
    });
    expect(sim.count(BILLING)).toBe(windowCounts.reduce((n, c) => n + Math.max(1, Math.ceil(c / 100)), 0));
    expect(sim.count(/^\/api\/public\/bots$/)).toBe(1);
  });
});

describe('Kore.ai auth', () => {
  it('reuses one token and signs a new one when under five minutes remain', async () => {
    let now = Date.now();
    const clocked = createKoreAiConnector(sim.connectionConfig('kore'), { ...deps, now: () => new Date(now) });
    await clocked.bots();
    now += 54 * 60 * 1000;
    await clocked.bots();
    now += 2 * 60 * 1000;
    await clocked.bots();
    const tokens = sim.requests.map((r) => r.headers.auth);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[1]);
    expect(jwt.decode(tokens[0] as string)).toMatchObject({ sub: 'usagegraph', appId: sim.connectionConfig('x').clientId });
  });

  it('turns rejected credentials into UPSTREAM_UNAUTHORIZED without the secret', async () => {
    const secret = 'not-the-right-secret-0123456789';
    const error = await errorOf(connector({ clientSecret: secret }).billingSessions({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') }));
    expect(error.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(error.message).toContain('4002');
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.extensions)).not.toContain(secret);
  });

  it('rejects a token signed for another client id', async () => {
    const error = await errorOf(connector({ clientId: 'someone-else' }).bots());
    expect(error.code).toBe('UPSTREAM_UNAUTHORIZED');
  });
});

describe('Kore.ai failures', () => {
  const oneDay = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') };

  it('reports a vendor that keeps failing as UPSTREAM_UNAVAILABLE', async () => {
    sim.inject({ path: BILLING, status: 500, times: Infinity });
    expect((await errorOf(admin.billingSessions(oneDay))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('reports a truncated body as UPSTREAM_BAD_RESPONSE', async () => {
    sim.inject({ path: BILLING, malformed: true });
    expect((await errorOf(admin.billingSessions(oneDay))).code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('reports a body of the wrong shape as UPSTREAM_BAD_RESPONSE', async () => {
    sim.inject({ path: BILLING, status: 200, body: { total: 1, moreAvailable: false, sessions: [{ botId: 7 }] } });
    const error = await errorOf(admin.billingSessions(oneDay));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('sessions[0].botId');
  });

  it('reports a date-time in another format as UPSTREAM_BAD_RESPONSE without quoting it', async () => {
    const odd = { botId: 'st-1', channel: 'rtm', billingSessionType: 'Conversations', billingSessionId: 'b-1',
      billingSessionStartDateTime: '2025-01-01T10:00:00Z', billingSessionEndDateTime: '2025-01-01T10:05:00Z' };
    sim.inject({ path: BILLING, status: 200, body: { total: 1, moreAvailable: false, sessions: [odd] } });
    const error = await errorOf(admin.billingSessions(oneDay));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).not.toContain('2025-01-01T10:00:00Z');
  });

  it('gets a typed UPSTREAM_REJECTED when configured for 120 days against a vendor allowing 90', async () => {
    const wide = connector({ maxRangeDays: 120 });
    const error = await errorOf(wide.billingSessions({ from: new Date('2025-01-01T00:00:00Z'), to: new Date(Date.parse('2025-01-01T00:00:00Z') + 100 * DAY_MS) }));
    expect(error.code).toBe('UPSTREAM_REJECTED');
    expect(error.status).toBe(400);
    expect(sim.requests[0].status).toBe(400);
  });
});

describe('Kore.ai simulator contract', () => {
  const token = () => {
    const config = sim.connectionConfig('raw');
    return jwt.sign({ sub: 'test', appId: config.clientId }, config.clientSecret, { algorithm: 'HS256', expiresIn: 600 });
  };
  const post = async (path: string, body: unknown, auth = token()) => {
    const res = await request(`${sim.url}${path}`, {
      method: 'POST',
      headers: { auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  };

  it('answers the older admin path like the current one, with date-only toDate meaning the whole day', async () => {
    const body = { fromDate: '2025-01-01', toDate: '2025-01-31', limit: 100 };
    const old = await post(`/api/public/${BILLING}`, body);
    const current = await post(`/api/public/bots/${BILLING}`, body);
    expect(old.status).toBe(200);
    expect(old.body).toEqual(current.body);
    expect(old.body.total).toBe(between('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z').length);
    expect((old.body.sessions as unknown[]).length).toBe(100);
    expect(old.body.moreAvailable).toBe(true);
  });

  it('serves every documented field with Kore.ai date-times and defaults limit to 50', async () => {
    const res = await post(`/api/public/bots/${BILLING}`, { fromDate: '2025-03-31T23:59:59.000Z', toDate: '2025-04-01T00:00:00.000Z' });
    const edge = sim.data.sessions.find((s) => s.start.toISOString() === '2025-03-31T23:59:59.000Z')!;
    expect(res.body.sessions).toContainEqual(
      expect.objectContaining({ billingSessionId: edge.billingSessionId, billingSessionStartDateTime: '03-31-2025 11:59:59 pm', channel: edge.channel }),
    );
    const wide = await post(`/api/public/bots/${BILLING}`, { fromDate: '2025-01-01', toDate: '2025-01-31' });
    expect((wide.body.sessions as unknown[]).length).toBe(50);
    expect(Object.keys((wide.body.sessions as object[])[0]).sort()).toEqual(
      ['botId', 'channel', 'koreUserId', 'channelUserId', 'billingSessionType', 'conversationSessionId', 'conversationSessionStartDateTime',
        'conversationSessionEndDateTime', 'billingSessionId', 'billingSessionStartDateTime', 'billingSessionEndDateTime'].sort(),
    );
  });

  it('answers 405 to a GET on a billing path', async () => {
    const res = await request(`${sim.url}/api/public/bots/${BILLING}`, { method: 'GET', dispatcher: agent });
    expect(res.statusCode).toBe(405);
    expect(await res.body.json()).toEqual({ errors: [{ msg: 'Method not allowed', code: 405 }] });
  });

  it.each([
    [{ fromDate: '2025-01-01', toDate: '2025-04-10' }],
    [{ toDate: '2025-01-10' }],
    [{ fromDate: '2025-02-30', toDate: '2025-03-10' }],
    [{ fromDate: '2025-01-01', toDate: '2025-01-10', limit: 101 }],
    [{ fromDate: '2025-01-01', toDate: '2025-01-10', limit: 0 }],
  ])('answers 400 in the vendor error shape to %j', async (body) => {
    const res = await post(`/api/public/bots/${BILLING}`, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ msg: expect.any(String), code: 400 }] });
  });

  it('answers 401 with code 4002 to a missing or foreign token', async () => {
    const foreign = jwt.sign({ sub: 'x', appId: sim.connectionConfig('raw').clientId }, 'another-secret', { algorithm: 'HS256', expiresIn: 600 });
    for (const auth of ['', foreign]) {
      const res = await post(`/api/public/bots/${BILLING}`, { fromDate: '2025-01-01', toDate: '2025-01-02' }, auth);
      expect(res).toEqual({ status: 401, body: { errors: [{ msg: 'Invalid SDK credentials', code: 4002 }] } });
    }
  });

  it('refuses a bots page larger than 50', async () => {
    const res = await request(`${sim.url}/api/public/bots?offset=0&limit=51`, { headers: { auth: token() }, dispatcher: agent });
    expect(res.statusCode).toBe(400);
    await res.body.dump();
  });

  it('gives the same data for the same seed and until', async () => {
    const twin = await startKoreAiSimulator({ seed: 4, until: new Date('2026-06-01T00:00:00Z') });
    try {
      expect(twin.data).toEqual(sim.data);
      expect(twin.connectionConfig('k').clientSecret).not.toBe(sim.connectionConfig('k').clientSecret);
    } finally {
      await twin.close();
    }
  });
});
