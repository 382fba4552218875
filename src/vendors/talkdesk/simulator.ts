import { randomBytes } from 'node:crypto';
import type { TalkdeskConnectionConfig } from '../../config/schema';
import { isMonth } from '../../usage/month';
import { startSimulatorServer, type SimRequest, type SimResponse, type SimulatorServer } from '../simulator-kit';
import { MAX_FILTER_LENGTH } from './filter';
import { filterMatches, filterValues, parseFilter, FilterSyntaxError, type FilterNode } from './filter-parser';
import { seedTalkdeskData, sortUsage, type TalkdeskData } from './simulator-data';
import type { TalkdeskAccountWire, TalkdeskErrorWire, TalkdeskUsageWire } from './wire';

export interface TalkdeskSimulatorOptions {
  /** Seed of the generated data (default 3, after seed document 003). */
  seed?: number;
  /** Data covers 2025-01 up to the month of this instant (default now). */
  until?: Date;
  latencyMs?: number;
  port?: number;
  /** Lifetime of issued access tokens (default 3600). */
  tokenTtlSeconds?: number;
  /** Number of seeded accounts (default 45). */
  accounts?: number;
  /** Replaces the seeded usage records (accounts they name are added to the organisation). */
  usage?: readonly TalkdeskUsageWire[];
  /** Longest filter expression accepted (default 1600, as Talkdesk). */
  maxFilterLength?: number;
  /**
   * Page fields: `contract` (default) as contract/vendors.md; `seed` only what seed 003 lists,
   * `_embedded` and `_links` (no total, count, page, per_page or total_pages), and null fields left out.
   */
  shape?: 'contract' | 'seed';
  /** Checks the filter (syntax, length, accounts) but serves every record, as a server that does not apply it. */
  ignoreFilter?: boolean;
}

/** The Talkdesk Billing Insights API on loopback, with its token endpoint on the same server. */
export interface TalkdeskSimulator extends SimulatorServer {
  /** A valid connection pointing at this simulator, with the credentials it accepts. */
  connectionConfig(name: string): TalkdeskConnectionConfig;
  readonly data: TalkdeskData;
  /** Access tokens issued so far. */
  readonly tokensIssued: number;
  /** Revokes every issued token, so the next API call gets 401. */
  expireTokens(): void;
}

const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 250;
const SCOPES = new Set(['express-accounts-usage:read', 'express-accounts:read']);
/** Bounds the memo of filter results (the 100,000-record test pages one filter hundreds of times). */
const FILTER_MEMO_SIZE = 64;

type Field = { name: string; description: string };

function error(status: number, code: string, message: string, description: string, fields: Field[] = []): SimResponse {
  const body: TalkdeskErrorWire = { code, message, description, fields };
  return { status, body };
}
const badRequest = (description: string, fields: Field[] = []) => error(400, '0400001', 'Bad Request', description, fields);
const unauthorized = (description: string) => error(401, '0401001', 'Unauthorized', description);

/** Starts a Talkdesk simulator seeded with accounts and monthly usage. */
export async function startTalkdeskSimulator(options: TalkdeskSimulatorOptions = {}): Promise<TalkdeskSimulator> {
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const maxFilterLength = options.maxFilterLength ?? MAX_FILTER_LENGTH;
  const data = buildData(options);
  const accountIds = new Set(data.accounts.map((a) => a.id));
  const clientId = `sim-${randomBytes(6).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const tokens = new Map<string, { expiresAt: number; scopes: ReadonlySet<string> }>();
  let tokensIssued = 0;
  const filterMemo = new Map<string, readonly TalkdeskUsageWire[]>();
  let baseUrl = '';

  function issueToken(req: SimRequest): SimResponse {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const decoded = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== clientId || decoded.slice(colon + 1) !== clientSecret) {
      return unauthorized('invalid client credentials');
    }
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return badRequest('unsupported grant type', [{ name: 'grant_type', description: 'must be client_credentials' }]);
    }
    const scope = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const unknown = scope.filter((s) => !SCOPES.has(s));
    if (unknown.length > 0) return badRequest('invalid scope', [{ name: 'scope', description: `unknown scope ${unknown.join(' ')}` }]);
    const token = randomBytes(24).toString('hex');
    tokens.set(token, { expiresAt: Date.now() + ttlSeconds * 1000, scopes: new Set(scope) });
    tokensIssued++;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds, scope: scope.join(' ') } };
  }

  function authorised(req: SimRequest): boolean {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const expiresAt = match ? tokens.get(match[1])?.expiresAt : undefined;
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  /** The scopes the request's token was issued with. */
  function scopesOf(req: SimRequest): ReadonlySet<string> {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    return (match && tokens.get(match[1])?.scopes) || new Set();
  }

  /** page >= 1 and per_page 1..250 (default 50), or the 400 that lists each bad parameter. */
  function paging(req: SimRequest): { page: number; perPage: number } | SimResponse {
    const page = req.query.get('page') ?? '1';
    const perPage = req.query.get('per_page') ?? String(DEFAULT_PER_PAGE);
    const fields: Field[] = [];
    if (!/^\d+$/.test(page) || Number(page) < 1) fields.push({ name: 'page', description: 'must be an integer >= 1' });
    if (!/^\d+$/.test(perPage) || Number(perPage) < 1 || Number(perPage) > MAX_PER_PAGE) {
      fields.push({ name: 'per_page', description: `must be an integer between 1 and ${MAX_PER_PAGE}` });
    }
    return fields.length > 0 ? badRequest('invalid paging parameters', fields) : { page: Number(page), perPage: Number(perPage) };
  }

  /** A HAL page of `items` under `embedded`, with `next`/`prev` only where they exist. */
  function halPage(req: SimRequest, embedded: string, items: readonly unknown[], page: number, perPage: number): SimResponse {
    const totalPages = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const href = (p: number) => {
      const query = new URLSearchParams(req.query);
      query.set('page', String(p));
      query.set('per_page', String(perPage));
      return { href: `${baseUrl}${req.path}?${query}` };
    };
    const links: Record<string, { href: string }> = { self: href(page), first: href(1), last: href(totalPages) };
    if (page < totalPages) links.next = href(page + 1);
    if (page > 1) links.prev = href(Math.min(page - 1, totalPages));
    if (options.shape === 'seed') return { status: 200, body: { _embedded: { [embedded]: slice.map(withoutNulls) }, _links: { ...links, show: links.self } } };
    return {
      status: 200,
      body: { total: items.length, count: slice.length, page, per_page: perPage, total_pages: totalPages, _embedded: { [embedded]: slice }, _links: links },
    };
  }

  function filteredUsage(filter: string | null): readonly TalkdeskUsageWire[] | SimResponse {
    if (filter === null) return data.usage;
    const memo = filterMemo.get(filter);
    if (memo) return memo;
    if (filter.length > maxFilterLength) {
      return badRequest('filter too long', [{ name: 'filter', description: `must be at most ${maxFilterLength} characters` }]);
    }
    let tree: FilterNode;
    try {
      tree = parseFilter(filter);
    } catch (err) {
      if (!(err instanceof FilterSyntaxError)) throw err;
      return badRequest('invalid filter', [{ name: 'filter', description: err.message }]);
    }
    const badMonth = filterValues(tree, 'month').find((m) => !isMonth(m));
    if (badMonth !== undefined) return badRequest('invalid filter', [{ name: 'filter', description: 'month values must be YYYY-MM' }]);
    if (filterValues(tree, 'account_id').some((id) => !accountIds.has(id))) {
      return error(403, '0403001', 'Forbidden', 'The accounts specified are not under the organization owning the current authentication token.');
    }
    const result = options.ignoreFilter ? data.usage : data.usage.filter((u) => filterMatches(tree, u));
    if (filterMemo.size >= FILTER_MEMO_SIZE) filterMemo.delete(filterMemo.keys().next().value as string);
    filterMemo.set(filter, result);
    return result;
  }

  function handle(req: SimRequest): SimResponse {
    const route = `${req.method} ${req.path}`;
    if (route === 'POST /oauth/token') return issueToken(req);
    if (route !== 'GET /express/accounts' && route !== 'GET /express/usage/month') {
      return error(404, '0404001', 'Not Found', `no route ${route}`);
    }
    if (!authorised(req)) return unauthorized('missing, invalid or expired access token');
    const pageRequest = paging(req);
    if ('status' in pageRequest) return pageRequest;
    if (req.path === '/express/accounts') {
      if (!scopesOf(req).has('express-accounts:read')) return error(403, '0403002', 'Forbidden', 'The access token lacks the scope express-accounts:read.');
      return halPage(req, 'accounts', data.accounts, pageRequest.page, pageRequest.perPage);
    }
    const usage = filteredUsage(req.query.get('filter'));
    if ('status' in usage) return usage;
    return halPage(req, 'usage', usage, pageRequest.page, pageRequest.perPage);
  }

  const server = await startSimulatorServer('talkdesk', handle, { port: options.port, latencyMs: options.latencyMs });
  baseUrl = server.url;
  const extra = {
    data,
    connectionConfig: (name: string): TalkdeskConnectionConfig => ({
      name,
      vendor: 'TALKDESK',
      baseUrl: server.url,
      tokenUrl: `${server.url}/oauth/token`,
      clientId,
      clientSecret,
      // Both scopes, so the demo and the tests name accounts; the connector's default asks only for usage.
      scopes: [...SCOPES],
    }),
    expireTokens: () => tokens.clear(),
  };
  const sim = Object.assign(server, extra);
  Object.defineProperty(sim, 'tokensIssued', { get: () => tokensIssued, enumerable: true });
  return sim as TalkdeskSimulator;
}

/** A record as seed 003 prints it: a field that would be null is left out. */
function withoutNulls(item: unknown): unknown {
  return Object.fromEntries(Object.entries(item as Record<string, unknown>).filter(([, v]) => v !== null));
}

/** Seeded data, or the given usage with every account it names made part of the organisation. */
function buildData(options: TalkdeskSimulatorOptions): TalkdeskData {
  const seeded = seedTalkdeskData(options.seed ?? 3, options.until ?? new Date(), options.accounts ?? 45);
  if (!options.usage) return seeded;
  const known = new Set(seeded.accounts.map((a) => a.id));
  const added: TalkdeskAccountWire[] = [];
  for (const u of options.usage) {
    if (known.has(u.account_id)) continue;
    known.add(u.account_id);
    added.push({ id: u.account_id, name: `Account ${u.account_id}`, company_name: null, status: 'active' });
  }
  return { accounts: [...seeded.accounts, ...added], usage: sortUsage(options.usage) };
}
