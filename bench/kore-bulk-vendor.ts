import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { KoreAiConnectionConfig } from '../src/config/schema';
import { jsonBody, startSimulatorServer, type SimulatorServer } from '../src/vendors/simulator-kit';
import { formatKoreDateTime } from '../src/vendors/koreai/simulator';
import { serveCommands } from './ipc';

/**
 * A Kore.ai billing API with one bot and `sessions` billing sessions spread
 * evenly over `days` from 2025-01-01, each page made when it is asked for (the
 * seeded simulator keeps every session in memory, which a million would not
 * fit). Same wire format, JWT auth, skip/limit paging and 90-day rule as the
 * simulator. Runs in a process of its own (bench:export).
 */
export type BulkCommand = { cmd: 'start'; sessions: number; days: number } | { cmd: 'stop' };

const START = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;
export const BULK_BOT = 'st-bulk-0000-0000-0000-000000000001';

let server: SimulatorServer | null = null;

async function start(sessions: number, days: number): Promise<KoreAiConnectionConfig> {
  const clientId = `cs-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64');
  const step = (days * DAY_MS) / sessions;
  const wire = (i: number) => {
    const start = new Date(Math.floor(START + i * step));
    const end = new Date(start.getTime() + 60_000 + (i % 600) * 1000);
    const id = i.toString(16).padStart(24, '0');
    return {
      botId: BULK_BOT,
      channel: ['rtm', 'ivr', 'msteams', 'sms'][i % 4],
      koreUserId: `u-${(i % 5000).toString(16).padStart(8, '0')}`,
      channelUserId: (i % 7919).toString(16).padStart(24, '0'),
      billingSessionType: i % 10 === 0 ? 'Alerts' : 'Conversations',
      conversationSessionId: id,
      conversationSessionStartDateTime: formatKoreDateTime(start),
      conversationSessionEndDateTime: formatKoreDateTime(end),
      billingSessionId: id,
      billingSessionStartDateTime: formatKoreDateTime(start),
      billingSessionEndDateTime: formatKoreDateTime(end),
    };
  };
  server = await startSimulatorServer('kore-bulk', (req) => {
    const token = req.headers.auth;
    try {
      jwt.verify(String(token), clientSecret, { algorithms: ['HS256'] });
    } catch {
      return { status: 401, body: { errors: [{ msg: 'Invalid SDK credentials', code: 4002 }] } };
    }
    if (req.path === '/api/public/bots') return { status: 200, body: { total: 1, availableMore: false, bots: [{ _id: BULK_BOT, accountId: 'bulk', name: 'Bulk bot' }] } };
    const body = jsonBody(req) as { fromDate: string; toDate: string; skip?: number; limit?: number };
    const from = Date.parse(body.fromDate);
    const to = Date.parse(body.toDate);
    if (to - from > 90 * DAY_MS) return { status: 400, body: { errors: [{ msg: 'Maximum 90 days date period allowed', code: 400 }] } };
    // Sessions whose start is in [from, to): indexes first..last-1.
    const first = Math.max(0, Math.ceil((from - START) / step));
    const last = Math.min(sessions, Math.ceil((to - START) / step));
    const total = Math.max(0, last - first);
    const skip = body.skip ?? 0;
    const limit = body.limit ?? 50;
    const page: ReturnType<typeof wire>[] = [];
    for (let i = first + skip; i < Math.min(last, first + skip + limit); i++) page.push(wire(i));
    return { status: 200, body: { total, moreAvailable: skip + page.length < total, sessions: page } };
  });
  return { name: 'kore-bulk', vendor: 'KORE_AI', baseUrl: server.url, clientId, clientSecret, scope: 'admin', bots: [], maxRangeDays: 90, billingPath: '/api/public/bots/getBillingSessionsDetails' };
}

serveCommands<BulkCommand>(
  async (command) => {
    if (command.cmd === 'start') return start(command.sessions, command.days);
    await server?.close();
    server = null;
    return null;
  },
  async () => void (await server?.close()),
);
