/**
 * Kore.ai's JSON shapes, as the Billing Sessions and bots APIs send them
 * (contract/vendors.md, seeds 000 and 004), and the runtime checks that turn a
 * body of the wrong shape into a plain Error naming the mismatch.
 */

/**
 * One billing session; date-times are `MM-DD-YYYY h:mm:ss am|pm` in UTC.
 * Required are only what places and counts a session: bot, id and billing times.
 */
export interface KoreBillingSessionWire {
  botId: string;
  /** Channel code in any letter case (`IVR`, `rtm`, `MSTeams`); null when the vendor leaves it out. */
  channel: string | null;
  koreUserId: string | null;
  channelUserId: string | null;
  /** `Conversations` or `Alerts` in any letter case; other values (or none) count as conversations. */
  billingSessionType: string | null;
  conversationSessionId: string | null;
  conversationSessionStartDateTime: string | null;
  conversationSessionEndDateTime: string | null;
  billingSessionId: string;
  billingSessionStartDateTime: string;
  billingSessionEndDateTime: string;
}

/**
 * A page of `getBillingSessionsDetails`. Seed 000's own sample has `total` and
 * no `moreAvailable`; the contract names both: either may be absent.
 */
export interface KoreBillingSessionsPageWire {
  total?: number;
  moreAvailable?: boolean;
  sessions: KoreBillingSessionWire[];
}

export interface KoreBotWire {
  /** Bot (stream) id, `st-…`. */
  _id: string;
  /** Absent in some answers: the organisation is then named by the connection. */
  accountId: string | null;
  name: string | null;
  status?: string;
  createdOn?: string;
}

/** A page of `GET /api/public/bots`; note `availableMore` here, `moreAvailable` for sessions. */
export interface KoreBotsPageWire {
  total?: number;
  availableMore?: boolean;
  bots: KoreBotWire[];
}

/** Kore.ai's error body, `{"errors":[{"msg","code"}]}`. */
export interface KoreErrorWire {
  errors: Array<{ msg: string; code: number | string }>;
}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected an object, received ${describe(value)}`);
  return value as Json;
}

function string(o: Json, key: string, where: string): string {
  if (typeof o[key] !== 'string') throw new Error(`${where}.${key}: expected a string, received ${describe(o[key])}`);
  return o[key] as string;
}

/** Optional identifiers: absent and null both read as null. */
function optionalString(o: Json, key: string, where: string): string | null {
  if (o[key] === undefined || o[key] === null) return null;
  return string(o, key, where);
}

function optionalBoolean(o: Json, key: string, where: string): boolean | undefined {
  if (o[key] === undefined || o[key] === null) return undefined;
  if (typeof o[key] !== 'boolean') throw new Error(`${where}.${key}: expected a boolean, received ${describe(o[key])}`);
  return o[key] as boolean;
}

function optionalCount(o: Json, key: string, where: string): number | undefined {
  if (o[key] === undefined || o[key] === null) return undefined;
  const n = o[key];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`${where}.${key}: expected a non-negative integer, received ${describe(n)}`);
  return n;
}

function array(o: Json, key: string, where: string): unknown[] {
  if (!Array.isArray(o[key])) throw new Error(`${where}.${key}: expected an array, received ${describe(o[key])}`);
  return o[key] as unknown[];
}

/** Names the type only: a vendor value never goes into an error message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return value === undefined ? 'nothing' : `a ${typeof value}`;
}

function parseSession(value: unknown, where: string): KoreBillingSessionWire {
  const o = object(value, where);
  return {
    botId: string(o, 'botId', where),
    channel: optionalString(o, 'channel', where),
    koreUserId: optionalString(o, 'koreUserId', where),
    channelUserId: optionalString(o, 'channelUserId', where),
    billingSessionType: optionalString(o, 'billingSessionType', where),
    conversationSessionId: optionalString(o, 'conversationSessionId', where),
    conversationSessionStartDateTime: optionalString(o, 'conversationSessionStartDateTime', where),
    conversationSessionEndDateTime: optionalString(o, 'conversationSessionEndDateTime', where),
    billingSessionId: string(o, 'billingSessionId', where),
    billingSessionStartDateTime: string(o, 'billingSessionStartDateTime', where),
    billingSessionEndDateTime: string(o, 'billingSessionEndDateTime', where),
  };
}

/** Checks a `getBillingSessionsDetails` body; throws an Error naming the first mismatch. */
export function parseBillingSessionsPage(body: unknown): KoreBillingSessionsPageWire {
  const o = object(body, 'billing sessions page');
  const sessions = array(o, 'sessions', 'billing sessions page').map((s, i) => parseSession(s, `sessions[${i}]`));
  const total = optionalCount(o, 'total', 'billing sessions page');
  const moreAvailable = optionalBoolean(o, 'moreAvailable', 'billing sessions page');
  return { ...(total === undefined ? {} : { total }), ...(moreAvailable === undefined ? {} : { moreAvailable }), sessions };
}

function parseBot(value: unknown, where: string): KoreBotWire {
  const o = object(value, where);
  return { _id: string(o, '_id', where), accountId: optionalString(o, 'accountId', where), name: optionalString(o, 'name', where) };
}

/** Checks a bots-list body; throws an Error naming the first mismatch. */
export function parseBotsPage(body: unknown): KoreBotsPageWire {
  const o = object(body, 'bots page');
  const bots = array(o, 'bots', 'bots page').map((b, i) => parseBot(b, `bots[${i}]`));
  const total = optionalCount(o, 'total', 'bots page');
  const availableMore = optionalBoolean(o, 'availableMore', 'bots page');
  return { ...(total === undefined ? {} : { total }), ...(availableMore === undefined ? {} : { availableMore }), bots };
}

/** The vendor's error code from `{"errors":[{"msg","code"}]}`, never its message. */
export function koreErrorCode(body: unknown): string | undefined {
  const errors = (body as Partial<KoreErrorWire> | null)?.errors;
  const code = Array.isArray(errors) ? errors[0]?.code : undefined;
  return code === undefined || code === null ? undefined : String(code);
}
