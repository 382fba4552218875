import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { KoreAiConnectionConfig } from '../../config/schema';
import { hashText, seededRandom, seededRandomFor, type SeededRandom } from '../seeded-random';
import { jsonBody, startSimulatorServer, type SimRequest, type SimResponse, type SimulatorServer } from '../simulator-kit';
import type { KoreBillingSessionWire, KoreBotWire } from './wire';

/**
 * Kore.ai's Billing Sessions and bots APIs on loopback, with seeded data from
 * 2025-01-01 up to `until`. It enforces the contract: JWT auth, the 90-day
 * (configurable) period limit, limit bounds, skip/limit paging, 405 on other
 * methods. Conversations are billed by the 15-minute rule, except a handful
 * deliberately mis-billed ones that reconciliation must find.
 */

export interface KoreAiSimulatorOptions {
  seed?: number;
  /** Data from 2025-01-01T00:00Z up to this instant; default now. */
  until?: Date;
  latencyMs?: number;
  port?: number;
  /** Longest fromDate..toDate period accepted (days); default 90. */
  maxRangeDays?: number;
  /** Number of bots; default 5. */
  bots?: number;
  /**
   * Page fields: `contract` (default) sends `total` and `moreAvailable`; `seed` answers as seed
   * 000's sample, `{ total, sessions }` with no `moreAvailable`; `bare` sends neither.
   */
  shape?: 'contract' | 'seed' | 'bare';
  /** Answers every session whatever fromDate/toDate ask (still validating them), as a careless server would. */
  ignorePeriod?: boolean;
  /** The admin-scope billing paths this server has; default both documented ones. */
  adminPaths?: readonly string[];
}

export type KoreSessionType = 'Conversations' | 'Alerts';

/** A conversation (or a delivered alert) as it really happened. */
export interface KoreSimConversation {
  id: string;
  botId: string;
  /** As the vendor reports it: mixed letter case. */
  channel: string;
  type: KoreSessionType;
  koreUserId: string;
  channelUserId: string;
  start: Date;
  end: Date;
  /** Billing sessions the simulator created for it (differs from the 15-minute rule when mis-billed). */
  billedSessions: number;
}

/** A billing session in parsed form (Dates); the API serves it in the wire format. */
export interface KoreSimSession {
  billingSessionId: string;
  botId: string;
  channel: string;
  billingSessionType: KoreSessionType;
  conversationSessionId: string;
  koreUserId: string;
  channelUserId: string;
  conversationStart: Date;
  conversationEnd: Date;
  start: Date;
  end: Date;
}

export interface KoreSimData {
  /** The one account every bot belongs to. */
  accountId: string;
  bots: readonly KoreBotWire[];
  /** Sorted by billing start. */
  sessions: readonly KoreSimSession[];
  conversations: readonly KoreSimConversation[];
  /** Conversations billed one session too many or too few. */
  misbilledConversationIds: readonly string[];
}

export interface KoreAiSimulator extends SimulatorServer {
  /** A connection config pointing here with credentials this simulator accepts (bot scope lists every bot id). */
  connectionConfig(name: string, options?: { scope?: 'admin' | 'bot' }): KoreAiConnectionConfig;
  readonly data: KoreSimData;
  /** Same list as `data.misbilledConversationIds`. */
  readonly misbilledConversationIds: readonly string[];
}

const DATA_START = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;
const WINDOW_S = 15 * 60;
const CHANNELS = ['IVR', 'ivr', 'rtm', 'RTM', 'MSTeams', 'msteams', 'Slack', 'sms', 'Email', 'api', 'korevg'];
const ALERT_CHANNELS = ['rtm', 'Email', 'sms', 'MSTeams'];
/** Conversation starts and durations (s) placed on purpose: month edges, the New York test, the 15-minute boundaries. */
const EDGE_CASES: Array<[string, number]> = [
  ['2025-01-31T23:59:59Z', 120],
  ['2025-02-01T00:00:00Z', 300],
  ['2025-02-01T02:00:00Z', 240],
  ['2025-03-31T23:59:59Z', 900],
  ['2025-04-01T00:00:00Z', 1800],
  ['2025-05-12T10:00:00Z', 1801],
  ['2025-06-03T15:30:00Z', 1860],
  ['2025-12-31T23:59:59Z', 600],
  ['2026-01-01T00:00:00Z', 2700],
];
/** Months with one mis-billed conversation each (six, from mid-2026 on). */
const MISBILLED_MONTHS = ['2025-02', '2025-05', '2025-08', '2025-11', '2026-02', '2026-05'];

const err = (status: number, msg: string): SimResponse => ({ status, body: { errors: [{ msg, code: status }] } });
const UNAUTHORIZED: SimResponse = { status: 401, body: { errors: [{ msg: 'Invalid SDK credentials', code: 4002 }] } };

/** Starts the Kore.ai simulator; data is deterministic for a given seed and `until`, credentials are new per start. */
export async function startKoreAiSimulator(options: KoreAiSimulatorOptions = {}): Promise<KoreAiSimulator> {
  const maxRangeDays = options.maxRangeDays ?? 90;
  const data = seedData(options.seed ?? 1, options.until ?? new Date(), options.bots ?? 5);
  const clientId = `cs-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64');
  const botIds = new Set(data.bots.map((b) => b._id));
  const adminPaths = new Set(options.adminPaths ?? ['/api/public/bots/getBillingSessionsDetails', '/api/public/getBillingSessionsDetails']);

  const authorised = (req: SimRequest): boolean => {
    const token = req.headers.auth;
    if (typeof token !== 'string') return false;
    try {
      const payload = jwt.verify(token, clientSecret, { algorithms: ['HS256'] });
      return typeof payload === 'object' && payload.appId === clientId && typeof payload.exp === 'number';
    } catch {
      return false;
    }
  };

  const billing = (req: SimRequest, pathBotId: string | null): SimResponse => {
    if (req.method !== 'POST') return err(405, 'Method not allowed');
    if (!authorised(req)) return UNAUTHORIZED;
    const body = jsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return err(400, 'Request body must be a JSON object');
    const b = body as Record<string, unknown>;
    const from = parseRequestDate(b.fromDate, false);
    const to = parseRequestDate(b.toDate, true);
    if (from === null || to === null) return err(400, 'fromDate and toDate are required as yyyy-mm-dd or yyyy-mm-ddThh:mm:ss.sssZ');
    if (to < from) return err(400, 'toDate must not be before fromDate');
    if (to - from > maxRangeDays * DAY_MS) return err(400, `Maximum ${maxRangeDays} days date period allowed`);
    const limit = b.limit ?? 50;
    const skip = b.skip ?? 0;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) return err(400, 'limit must be between 1 and 100');
    if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) return err(400, 'skip must be a non-negative integer');
    const botId = pathBotId ?? (typeof b.botId === 'string' ? b.botId : null);
    if (botId !== null && !botIds.has(botId)) return err(400, 'Invalid botId');
    const channel = typeof b.channel === 'string' ? b.channel.toLowerCase() : null;
    const selected = (options.ignorePeriod ? data.sessions : sessionsBetween(data.sessions, from, to)).filter(
      (s) => (botId === null || s.botId === botId) && (channel === null || s.channel.toLowerCase() === channel),
    );
    const page = selected.slice(skip, skip + limit);
    const shape = options.shape ?? 'contract';
    const total = shape === 'bare' ? {} : { total: selected.length };
    const more = shape === 'contract' ? { moreAvailable: skip + page.length < selected.length } : {};
    return { status: 200, body: { ...total, ...more, sessions: page.map(sessionToWire) } };
  };

  const botsList = (req: SimRequest): SimResponse => {
    if (req.method !== 'GET') return err(405, 'Method not allowed');
    if (!authorised(req)) return UNAUTHORIZED;
    const offset = Number(req.query.get('offset') ?? 0);
    const limit = Number(req.query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) return err(400, 'limit must be between 1 and 50');
    if (!Number.isInteger(offset) || offset < 0) return err(400, 'offset must be a non-negative integer');
    const bots = data.bots.slice(offset, offset + limit);
    return { status: 200, body: { total: data.bots.length, availableMore: offset + bots.length < data.bots.length, bots } };
  };

  const server = await startSimulatorServer(
    'koreai',
    (req) => {
      const perBot = /^\/api\/public\/bot\/([^/]+)\/getBillingSessionsDetails$/.exec(req.path);
      if (perBot) return billing(req, decodeURIComponent(perBot[1]));
      if (adminPaths.has(req.path)) return billing(req, null);
      if (req.path === '/api/public/bots') return botsList(req);
      return err(404, 'Not found');
    },
    { port: options.port, latencyMs: options.latencyMs },
  );

  return Object.assign(server, {
    data,
    misbilledConversationIds: data.misbilledConversationIds,
    connectionConfig: (name: string, config: { scope?: 'admin' | 'bot' } = {}): KoreAiConnectionConfig => ({
      name,
      vendor: 'KORE_AI',
      baseUrl: server.url,
      clientId,
      clientSecret,
      scope: config.scope ?? 'admin',
      bots: config.scope === 'bot' ? data.bots.map((b) => b._id) : [],
      maxRangeDays,
      billingPath: '/api/public/bots/getBillingSessionsDetails',
    }),
  });
}

/** A request date: `yyyy-mm-dd` (as `toDate`, the whole day) or an ISO instant; null when missing or invalid. */
function parseRequestDate(value: unknown, isEnd: boolean): number | null {
  if (typeof value !== 'string') return null;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (new Date(ms).toISOString().slice(0, 10) !== value) return null;
    return isEnd ? ms + DAY_MS : ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Sessions with from <= start < to, by binary search over the start-sorted list. */
function sessionsBetween(sessions: readonly KoreSimSession[], from: number, to: number): KoreSimSession[] {
  const firstAtOrAfter = (t: number) => {
    let lo = 0;
    let hi = sessions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sessions[mid].start.getTime() < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sessions.slice(firstAtOrAfter(from), firstAtOrAfter(to));
}

/** `MM-DD-YYYY h:mm:ss am|pm` in UTC, hour not zero-padded, as Kore.ai answers. */
export function formatKoreDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const hour = date.getUTCHours();
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}-${date.getUTCFullYear()} ${h12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hour < 12 ? 'am' : 'pm'}`;
}

function sessionToWire(s: KoreSimSession): KoreBillingSessionWire {
  return {
    botId: s.botId,
    channel: s.channel,
    koreUserId: s.koreUserId,
    channelUserId: s.channelUserId,
    billingSessionType: s.billingSessionType,
    conversationSessionId: s.conversationSessionId,
    conversationSessionStartDateTime: formatKoreDateTime(s.conversationStart),
    conversationSessionEndDateTime: formatKoreDateTime(s.conversationEnd),
    billingSessionId: s.billingSessionId,
    billingSessionStartDateTime: formatKoreDateTime(s.start),
    billingSessionEndDateTime: formatKoreDateTime(s.end),
  };
}

const uuidLike = (rng: SeededRandom) => `${rng.id(8)}-${rng.id(4)}-${rng.id(4)}-${rng.id(4)}-${rng.id(12)}`;

/** Mostly short chats, one in five longer than 15 minutes (up to 50). */
const conversationSeconds = (rng: SeededRandom) => (rng.next() < 0.8 ? rng.int(20, 899) : rng.int(900, 3000));

/**
 * Bots and users come from one generator; each day's conversations from a generator of
 * that day (seededRandomFor), drawn whole and only then cut at `until`, and each
 * conversation's billing-session ids from its own id: so a past day's data stays the same
 * whatever day the simulator starts on, and only what lies after `until` is absent.
 */
function seedData(seed: number, until: Date, botCount: number): KoreSimData {
  const rng = seededRandom(seed);
  const accountId = rng.id(24);
  const bots: KoreBotWire[] = Array.from({ length: botCount }, (_, i) => ({
    _id: `st-${uuidLike(rng)}`,
    accountId,
    name: `Bot ${i + 1} ${rng.pick(['Support', 'Sales', 'Billing', 'Onboarding', 'Claims'])}`,
    status: 'published',
    createdOn: new Date(DATA_START - rng.int(30, 400) * DAY_MS).toISOString(),
  }));
  const users = Array.from({ length: 40 }, () => ({ koreUserId: `u-${uuidLike(rng)}`, channelUserId: rng.id(24) }));
  const end = until.getTime();

  const drafts: Array<Omit<KoreSimConversation, 'billedSessions'>> = [];
  const draft = (dayRng: SeededRandom, startMs: number, seconds: number, type: KoreSessionType) => {
    const user = dayRng.pick(users);
    const conversation = {
      id: dayRng.id(24),
      botId: dayRng.pick(bots)._id,
      channel: dayRng.pick(type === 'Alerts' ? ALERT_CHANNELS : CHANNELS),
      type,
      ...user,
      start: new Date(startMs),
      end: new Date(startMs + seconds * 1000),
    };
    if (conversation.end.getTime() <= end) drafts.push(conversation);
  };
  for (let day = DATA_START; day < end; day += DAY_MS) {
    const dayRng = seededRandomFor(seed, (day - DATA_START) / DAY_MS);
    const randomStart = () => day + dayRng.int(0, DAY_MS / 1000 - 1) * 1000;
    for (let i = dayRng.int(3, 6); i > 0; i--) draft(dayRng, randomStart(), conversationSeconds(dayRng), 'Conversations');
    for (let i = dayRng.int(0, 2); i > 0; i--) draft(dayRng, randomStart(), dayRng.int(1, 5), 'Alerts');
  }
  EDGE_CASES.forEach(([at, seconds], i) => draft(seededRandomFor(seed, -1 - i), Date.parse(at), seconds, 'Conversations'));
  drafts.sort((a, b) => a.start.getTime() - b.start.getTime());

  // Mis-billed: the first long conversation (never an edge case) of each of MISBILLED_MONTHS, alternately one session too many and too few.
  const edgeStarts = new Set(EDGE_CASES.map(([at]) => Date.parse(at)));
  const misbilled = new Map<string, number>();
  MISBILLED_MONTHS.forEach((month, i) => {
    const first = drafts.find(
      (c) => c.type === 'Conversations' && c.start.toISOString().startsWith(month) && c.end.getTime() - c.start.getTime() > WINDOW_S * 1000 && !edgeStarts.has(c.start.getTime()),
    );
    if (first) misbilled.set(first.id, i % 2 === 0 ? 1 : -1);
  });

  const sessions: KoreSimSession[] = [];
  const conversations: KoreSimConversation[] = drafts.map((c) => {
    const seconds = (c.end.getTime() - c.start.getTime()) / 1000;
    const rule = c.type === 'Alerts' ? 1 : Math.max(1, Math.ceil(seconds / WINDOW_S));
    const billed = rule + (misbilled.get(c.id) ?? 0);
    // Correct billing: consecutive 15-minute windows, the last one cut at the end. Mis-billed: equal consecutive slices.
    const windowMs = misbilled.has(c.id) ? (c.end.getTime() - c.start.getTime()) / billed : WINDOW_S * 1000;
    for (let k = 0; k < billed; k++) {
      const start = c.start.getTime() + Math.round(k * windowMs);
      sessions.push({
        billingSessionId: seededRandomFor(seed, hashText(c.id), k).id(24),
        botId: c.botId,
        channel: c.channel,
        billingSessionType: c.type,
        conversationSessionId: c.id,
        koreUserId: c.koreUserId,
        channelUserId: c.channelUserId,
        conversationStart: c.start,
        conversationEnd: c.end,
        start: new Date(Math.floor(start / 1000) * 1000),
        end: new Date(Math.min(c.end.getTime(), Math.floor((c.start.getTime() + Math.round((k + 1) * windowMs)) / 1000) * 1000)),
      });
    }
    return { ...c, billedSessions: billed };
  });
  sessions.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { accountId, bots, sessions, conversations, misbilledConversationIds: [...misbilled.keys()] };
}
