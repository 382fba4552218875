/**
 * Cognigy.AI Management API v2.0 JSON, as the vendor sends it (seed 001), and
 * the runtime checks that stand between an untrusted body and map.ts. A check
 * throws a plain Error naming the first mismatch; the client turns it into
 * UPSTREAM_BAD_RESPONSE.
 */

/** Conversations of one organisation on one UTC day in one channel. */
export interface CognigyConversationDayWire {
  conversations: number;
  day: number;
  /** 1-based. */
  month: number;
  year: number;
  /** As the vendor spells it, in any letter case ("voiceGateway2", "WhatsApp"). */
  channel: string;
}

/** One `items[]` entry of the billing listing: an organisation with its whole history. */
export interface CognigyBillingItemWire {
  organisationId: string;
  name: string;
  isDisabled: boolean;
  conversations: CognigyConversationDayWire[];
}

/** One `items[]` entry of the organisations listing. */
export interface CognigyOrganisationWire {
  organisationId: string;
  name: string;
  isDisabled: boolean;
}

/**
 * A page of either listing. Current docs name the cursors `nextCursor` /
 * `previousCursor`, older docs `next` / `previous`; `total` may be absent.
 */
export interface CognigyPageWire<T> {
  items: T[];
  total?: number;
  nextCursor?: string | null;
  previousCursor?: string | null;
  next?: string | null;
  previous?: string | null;
}

/** RFC 7807 problem body of every Cognigy error. */
export interface CognigyProblemWire {
  type: string;
  title: string;
  status: number;
  detail: string;
  traceId: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kind of a value, never its content: messages reach clients and must not echo vendor data. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function check(ok: boolean, path: string, expected: string, value: unknown): void {
  if (!ok) throw new Error(`${path}: expected ${expected}, received ${describeValue(value)}`);
}

function isInt(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function checkOrganisationFields(item: unknown, path: string): asserts item is Json {
  check(isObject(item), path, 'an object', item);
  const o = item as Json;
  check(typeof o.organisationId === 'string' && o.organisationId !== '', `${path}.organisationId`, 'a non-empty string', o.organisationId);
  check(typeof o.name === 'string', `${path}.name`, 'a string', o.name);
  check(typeof o.isDisabled === 'boolean', `${path}.isDisabled`, 'a boolean', o.isDisabled);
}

function checkConversationDay(entry: unknown, path: string): void {
  check(isObject(entry), path, 'an object', entry);
  const e = entry as Json;
  check(typeof e.conversations === 'number' && Number.isFinite(e.conversations) && e.conversations >= 0, `${path}.conversations`, 'a non-negative number', e.conversations);
  check(isInt(e.year, 1970, 9999), `${path}.year`, 'a four-digit year', e.year);
  check(isInt(e.month, 1, 12), `${path}.month`, 'a month 1..12', e.month);
  check(isInt(e.day, 1, 31), `${path}.day`, 'a day 1..31', e.day);
  check(typeof e.channel === 'string', `${path}.channel`, 'a string', e.channel);
}

function checkPage<T>(body: unknown, checkItem: (item: unknown, path: string) => void): CognigyPageWire<T> {
  check(isObject(body), 'body', 'an object', body);
  const page = body as Json;
  check(Array.isArray(page.items), 'items', 'an array', page.items);
  (page.items as unknown[]).forEach((item, i) => checkItem(item, `items[${i}]`));
  // null is read as "not reported", like an absent field.
  check(page.total === undefined || page.total === null || isInt(page.total, 0, Number.MAX_SAFE_INTEGER), 'total', 'a non-negative integer', page.total);
  for (const field of ['nextCursor', 'previousCursor', 'next', 'previous']) {
    const cursor = page[field];
    check(cursor === undefined || cursor === null || (typeof cursor === 'string' && cursor !== ''), field, 'a cursor string or null', cursor);
  }
  return { ...page, total: page.total ?? undefined } as CognigyPageWire<T>;
}

/** Checks a billing listing page, every organisation and every per-day entry. */
export function parseBillingPage(body: unknown): CognigyPageWire<CognigyBillingItemWire> {
  return checkPage<CognigyBillingItemWire>(body, (item, path) => {
    checkOrganisationFields(item, path);
    check(Array.isArray(item.conversations), `${path}.conversations`, 'an array', item.conversations);
    (item.conversations as unknown[]).forEach((entry, j) => checkConversationDay(entry, `${path}.conversations[${j}]`));
  });
}

/** The cursor of the next page under either of its names; null at the end. */
export function nextCursorOf(page: CognigyPageWire<unknown>): string | null {
  return page.nextCursor ?? page.next ?? null;
}

/**
 * The vendor error code for logs and messages: the problem's `title` only,
 * because `detail` and `traceId` may echo request data.
 */
export function problemTitle(body: unknown): string | undefined {
  return isObject(body) && typeof body.title === 'string' && body.title !== '' ? body.title : undefined;
}
