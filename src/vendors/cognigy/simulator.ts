import { randomBytes } from 'node:crypto';
import type { CognigyConnectionConfig } from '../../config/schema';
import { seededRandom, type SeededRandom } from '../seeded-random';
import { startSimulatorServer, type SimRequest, type SimResponse, type SimulatorServer } from '../simulator-kit';
import type { CognigyBillingItemWire, CognigyConversationDayWire, CognigyProblemWire } from './wire';

/**
 * Cognigy.AI's Management API v2.0 billing and organisations listings on
 * loopback (seed 001, contract/vendors.md). It enforces Basic auth, the
 * limit/skip/sort/cursor rules (400 with an RFC 7807 body) and pages like the
 * vendor; data is seeded once at start and every item is serialised once, so
 * a page is a string join.
 */

export interface CognigySimulatorOptions {
  seed?: number;
  /** Data from 2025-01-01T00:00Z up to this instant; default now. */
  until?: Date;
  latencyMs?: number;
  port?: number;
  /** Number of organisations; default 130, more than one page of 100. */
  organisations?: number;
  /** Body names of the cursors: current docs `nextCursor`/`previousCursor`, older docs `next`/`previous`; `none` sends no cursor. */
  cursorField?: 'nextCursor' | 'next' | 'none';
  /** Whether pages carry `total`; default true. Without it a client must follow cursors. */
  reportTotal?: boolean;
}

/** The seeded dataset in Cognigy's own terms. */
export interface CognigySimulatorData {
  /** Billing items (wire form), in the listing's default order. */
  readonly organisations: readonly CognigyBillingItemWire[];
}

export interface CognigySimulator extends SimulatorServer {
  /** A valid connection config pointing at this simulator, with the credentials it accepts. */
  connectionConfig(name: string): CognigyConnectionConfig;
  readonly data: CognigySimulatorData;
}

const ROUTES: Record<string, 'billing' | 'organisations'> = {
  '/new/management/v2.0/billing': 'billing',
  '/new/management/v2.0/organisations': 'organisations',
};
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
const CURSOR = /^[a-z0-9]{24}$/;
/** Cursors are "c" + the base-36 offset left-padded with "0" to 24 characters. */
const CURSOR_PREFIX = 'c';
const SORT = /^(name|organisationId):(asc|desc)$/;
const FIRST_YEAR = 2025;

/** Each channel with an alternative spelling the vendor sometimes reports (letter case only). */
const CHANNELS: ReadonlyArray<readonly [string, string]> = [
  ['webchat3', 'Webchat3'],
  ['voiceGateway2', 'VoiceGateway2'],
  ['whatsapp', 'WhatsApp'],
  ['teams', 'Teams'],
];
const NAME_WORDS = ['Alpine', 'Nordic', 'Harbor', 'Summit', 'Cedar', 'Atlas', 'Beacon', 'Crescent', 'Delta', 'Ember', 'Falcon', 'Granite'];
const NAME_KINDS = ['Insurance', 'Telecom', 'Retail', 'Energy', 'Airlines', 'Bank', 'Health', 'Logistics', 'Mobility', 'Utilities'];

/** Starts the simulator; the same seed and `until` give the same data. */
export async function startCognigySimulator(options: CognigySimulatorOptions = {}): Promise<CognigySimulator> {
  const until = options.until ?? new Date();
  const organisations = seedOrganisations(options.seed ?? 1, options.organisations ?? 130, until);
  const username = `sim-${randomBytes(4).toString('hex')}@cognigy.test`;
  const password = randomBytes(18).toString('base64url');
  const listings = {
    billing: new Listing(organisations, (o) => JSON.stringify(o)),
    organisations: new Listing(organisations, (o) => JSON.stringify({ organisationId: o.organisationId, name: o.name, isDisabled: o.isDisabled })),
  };
  const expectedAuthorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const format = { cursorField: options.cursorField ?? 'nextCursor', reportTotal: options.reportTotal ?? true };

  const handler = (req: SimRequest): SimResponse => {
    const route = ROUTES[req.path.replace(/\/+$/, '')];
    if (!route) return problem(404, 'Not Found', 'No such route.');
    if (req.method !== 'GET') return problem(405, 'Method Not Allowed', 'Only GET is supported on this route.');
    if (req.headers.authorization !== expectedAuthorization) return problem(401, 'Unauthorized', 'Basic credentials are missing or invalid.');
    const params = listingParams(req.query);
    if (typeof params === 'string') return problem(400, 'Bad Request', params);
    return listings[route].page(params, format);
  };

  const server = await startSimulatorServer('cognigy', handler, { port: options.port, latencyMs: options.latencyMs });
  return Object.assign(server, {
    data: Object.freeze({ organisations }),
    connectionConfig: (name: string): CognigyConnectionConfig => ({ name, vendor: 'COGNIGY', baseUrl: server.url, username, password }),
  });
}

interface ListingParams {
  filter: string;
  limit: number;
  offset: number;
  sort: string;
}

/** Validates the query as the vendor does; returns the problem's detail when it is wrong. */
function listingParams(query: URLSearchParams): ListingParams | string {
  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > MAX_LIMIT) return `limit must be an integer from 1 to ${MAX_LIMIT}.`;
  const skipText = query.get('skip') ?? '0';
  if (!/^\d+$/.test(skipText) || !Number.isSafeInteger(Number(skipText))) return 'skip must be an integer of 0 or more.';
  const sort = query.get('sort') ?? '';
  if (sort !== '' && !SORT.test(sort)) return 'sort must be name or organisationId, then :asc or :desc.';
  const next = query.get('next');
  const previous = query.get('previous');
  if (next !== null && previous !== null) return 'next and previous cannot be combined.';
  const cursor = next ?? previous;
  const offset = cursor === null ? Number(skipText) : decodeCursor(cursor);
  if (offset === null) return `${next !== null ? 'next' : 'previous'} must be a cursor returned by this API.`;
  return { filter: (query.get('filter') ?? '').toLowerCase(), limit, offset, sort };
}

function encodeCursor(offset: number): string {
  return CURSOR_PREFIX + offset.toString(36).padStart(23, '0');
}

function decodeCursor(cursor: string): number | null {
  if (!CURSOR.test(cursor) || !cursor.startsWith(CURSOR_PREFIX)) return null;
  const offset = parseInt(cursor.slice(CURSOR_PREFIX.length), 36);
  return Number.isSafeInteger(offset) ? offset : null;
}

/** One listing route: the items, each serialised once, and their orders by sort key. */
class Listing {
  private readonly json: string[];
  private readonly orders = new Map<string, number[]>();

  constructor(private readonly items: readonly CognigyBillingItemWire[], serialise: (item: CognigyBillingItemWire) => string) {
    this.json = items.map(serialise);
  }

  page(params: ListingParams, format: { cursorField: 'nextCursor' | 'next' | 'none'; reportTotal: boolean }): SimResponse {
    const order = this.order(params.sort);
    const view = params.filter === '' ? order : order.filter((i) => this.items[i].name.toLowerCase().includes(params.filter));
    const { offset, limit } = params;
    const next = offset + limit < view.length ? encodeCursor(offset + limit) : null;
    const previous = offset > 0 ? encodeCursor(Math.max(0, offset - limit)) : null;
    const [nextName, previousName] = format.cursorField === 'next' ? ['next', 'previous'] : ['nextCursor', 'previousCursor'];
    const items = view.slice(offset, offset + limit).map((i) => this.json[i]).join(',');
    const total = format.reportTotal ? `,"total":${view.length}` : '';
    const cursors = format.cursorField === 'none' ? '' : `,"${nextName}":${JSON.stringify(next)},"${previousName}":${JSON.stringify(previous)}`;
    return { status: 200, raw: `{"items":[${items}]${total}${cursors}}` };
  }

  /** Item indexes in `sort` order (default: the seeded order), computed once per key. */
  private order(sort: string): number[] {
    let order = this.orders.get(sort);
    if (!order) {
      order = this.items.map((_, i) => i);
      if (sort !== '') {
        const [field, direction] = sort.split(':') as ['name' | 'organisationId', 'asc' | 'desc'];
        const sign = direction === 'asc' ? 1 : -1;
        const key = (i: number) => this.items[i][field];
        // organisationId breaks ties so equal names keep a stable, documented order.
        order.sort((a, b) => sign * (key(a).localeCompare(key(b)) || this.items[a].organisationId.localeCompare(this.items[b].organisationId)));
      }
      this.orders.set(sort, order);
    }
    return order;
  }
}

function problem(status: number, title: string, detail: string): SimResponse {
  const body: CognigyProblemWire = {
    type: `https://docs.cognigy.com/errors/${title.toLowerCase().replace(/ /g, '-')}`,
    title,
    status,
    detail,
    traceId: randomBytes(16).toString('hex'),
  };
  return { status, body, headers: { 'content-type': 'application/problem+json' } };
}

/** A seed per (simulator seed, organisation, month), so one month's data never depends on `until`. */
function rngFor(seed: number, organisation: number, month: number): SeededRandom {
  return seededRandom((Math.imul(seed, 0x9e3779b1) ^ Math.imul(organisation + 1, 0x85ebca6b) ^ Math.imul(month + 1, 0xc2b2ae35)) >>> 0);
}

/**
 * About 10% disabled organisations, most active since January 2025, each with
 * 1-3 channels and 2-5 active days a month: roughly 10 KB of history each.
 */
function seedOrganisations(seed: number, count: number, until: Date): CognigyBillingItemWire[] {
  const lastMonth = (until.getUTCFullYear() - FIRST_YEAR) * 12 + until.getUTCMonth();
  return Array.from({ length: count }, (_, index) => {
    const rng = rngFor(seed, index, -1);
    const organisationId = rng.id(24);
    const name = `${rng.pick(NAME_WORDS)} ${rng.pick(NAME_KINDS)} ${String(index + 1).padStart(3, '0')}`;
    const isDisabled = rng.next() < 0.1;
    const channels = shuffle(rng, CHANNELS).slice(0, rng.int(1, 3));
    const firstMonth = rng.next() < 0.7 ? 0 : rng.int(1, 18);
    const conversations: CognigyConversationDayWire[] = [];
    for (let month = firstMonth; month <= lastMonth; month++) {
      conversations.push(...seedMonth(rngFor(seed, index, month), month, channels, until));
    }
    return { organisationId, name, isDisabled, conversations };
  });
}

function shuffle<T>(rng: SeededRandom, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function seedMonth(rng: SeededRandom, monthIndex: number, channels: ReadonlyArray<readonly [string, string]>, until: Date): CognigyConversationDayWire[] {
  const year = FIRST_YEAR + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const days = new Set<number>();
  const activeDays = rng.int(2, 5);
  while (days.size < activeDays) days.add(rng.int(1, daysInMonth));
  const entries: CognigyConversationDayWire[] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    channels.forEach(([canonical, variant], i) => {
      const active = i === 0 || rng.next() < 0.7;
      const conversations = rng.int(1, 400);
      const channel = rng.next() < 0.15 ? variant : canonical;
      // Generated first, filtered after, so the random sequence does not depend on `until`.
      if (active && Date.UTC(year, month - 1, day) < until.getTime()) entries.push({ conversations, day, month, year, channel });
    });
  }
  return entries;
}
