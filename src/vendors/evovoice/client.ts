import type { EvovoiceConnectionConfig } from '../../config/schema';
import type { HttpResponse, UpstreamHttp } from '../../upstream/http';
import { collectPages, listingContinues, mapConcurrent } from '../../upstream/paging';
import { addMonths, monthDays, monthsBetween, monthStart } from '../../usage/month';
import type { CacheHint } from '../../upstream/ttl';
import { upstreamHttpFor, type ConnectorDeps } from '../deps';
import type { Month, UsageRecord } from '../../model';
import type { UsageQuery, VendorConnector } from '../types';
import { toAccount, toAccountUsage, toCustomer, toCustomerUsage, toOrganisation } from './map';
import { parseAccountsPage, parseAIUsage, parseCustomersPage, vendorErrorCode, type AIUsageWire, type CustomerWire, type PageWire } from './wire';

/** The most `countPerPage` Evovoice accepts. */
const PAGE_SIZE = 100;
/** Account ids per customers request (each is about 25 characters of URL). */
const ACCOUNT_IDS_PER_REQUEST = 50;

/**
 * The Evovoice connector: a ServiceStack session (cookies `ss-id`/`ss-pid`)
 * made lazily once and shared by every call, offset paging for accounts and
 * customers, and one `/ai/usage` call per calendar month that serves every
 * account and customer at once.
 */
export function createEvovoiceConnector(config: EvovoiceConnectionConfig, deps: ConnectorDeps): VendorConnector {
  const connection = config.name;
  const http = upstreamHttpFor('EVOVOICE', connection, deps, vendorErrorCode);
  const base = config.baseUrl.replace(/\/+$/, '');
  const session = createSession(http, base, config);

  async function getJson<T>(path: string, params: Record<string, string>, label: string, check: (body: unknown) => T, cache: CacheHint): Promise<T> {
    const url = `${base}${path}?${new URLSearchParams(params)}`;
    // The session is asked for only when the request really goes out: a cache hit needs no login.
    let used: string | null = null;
    const send = (renewed?: string) =>
      http.send({
        method: 'GET', url, headers: { accept: 'application/json' }, label, cache,
        auth: async () => {
          used = renewed ?? (await session.current());
          return { cookie: used };
        },
      });
    let res = await send();
    // An expired session answers 401: log in again once and retry; a second 401 is final.
    if (res.status === 401 && used !== null) res = await send(await session.renew(used));
    if (res.status < 200 || res.status > 299) throw http.errorFor(res);
    const body = http.parse(res.text);
    try {
      return check(body);
    } catch (err) {
      // The wire checks name the mismatching field and its type, never its value.
      throw http.error('UPSTREAM_BAD_RESPONSE', `${label}: ${(err as Error).message}`, res.status);
    }
  }

  /**
   * Every item of a listing, each id once. Without `totalCount` and `hasMorePages` a full page
   * means there may be more: the listing ends on a short or empty page, never silently after page one.
   */
  async function allPages<T extends { id: string }>(path: string, params: Record<string, string>, label: string, check: (body: unknown) => PageWire<T>): Promise<T[]> {
    const pages = await collectPages({
      fetchPage: (page) => getJson(path, { ...params, page: String(page), countPerPage: String(PAGE_SIZE) }, label, check, { kind: 'listing' }),
      pageCount: (first) => (first.totalCount === null ? null : Math.ceil(first.totalCount / PAGE_SIZE)),
      hasMore: (page, index) =>
        listingContinues({
          flag: page.hasMorePages ?? undefined, total: page.totalCount ?? undefined, seen: index * PAGE_SIZE + page.items.length, received: page.items.length, pageSize: PAGE_SIZE,
        }),
      concurrency: deps.upstream.concurrency,
    });
    const byId = new Map<string, T>();
    for (const item of pages.flatMap((page) => page.items)) if (!byId.has(item.id)) byId.set(item.id, item);
    return [...byId.values()];
  }

  /** One call per month answers for every account and customer (no accountId); usage() and customerUsage() share it through the upstream cache. */
  function usageOfMonth(month: Month): Promise<AIUsageWire> {
    const { first, last } = monthDays(month);
    return getJson('/ai/usage', { startDate: first, endDate: last }, 'ai usage', parseAIUsage, { kind: 'period', end: monthStart(addMonths(month, 1)) });
  }

  async function monthlyRows(query: UsageQuery, rows: typeof toAccountUsage): Promise<UsageRecord[]> {
    const accountIds = query.accountIds === undefined ? undefined : new Set(query.accountIds);
    const months = monthsBetween(query.from, query.to);
    const answers = await mapConcurrent(months, deps.upstream.concurrency, (month) => usageOfMonth(month));
    return answers.flatMap((usage, i) => rows(connection, months[i], usage, accountIds));
  }

  return {
    vendor: 'EVOVOICE',
    connection,
    organisations: async () => [toOrganisation(connection)],
    accounts: async () => (await allPages('/accounts', {}, 'accounts page', parseAccountsPage)).map((a) => toAccount(connection, a)),
    customers: async (accountIds) => {
      // Ids go in the query string: a bounded number per request keeps URLs short whatever the batch size.
      const wanted = new Set(accountIds);
      const chunks = chunksOf([...wanted], ACCOUNT_IDS_PER_REQUEST);
      const perChunk = await mapConcurrent(chunks, deps.upstream.concurrency, (ids) =>
        allPages('/customers', { accountIds: ids.join(',') }, 'customers page', parseCustomersPage),
      );
      // Only the asked accounts' customers, each once, whatever the vendor applied of `accountIds`.
      const byId = new Map<string, CustomerWire>();
      for (const c of perChunk.flat()) if (wanted.has(c.accountId) && !byId.has(c.id)) byId.set(c.id, c);
      return [...byId.values()].map((c) => toCustomer(connection, c));
    },
    // Evovoice has no bots and no billing sessions.
    bots: async () => [],
    usage: (query) => monthlyRows(query, toAccountUsage),
    customerUsage: (query) => monthlyRows(query, toCustomerUsage),
    billingSessions: async () => [],
  };
}

interface Session {
  /** The session cookie header, logging in first when there is none yet. */
  current(): Promise<string>;
  /** A fresh session after `rejected` got a 401; callers holding the same stale cookie share one login. */
  renew(rejected: string): Promise<string>;
}

function createSession(http: UpstreamHttp, base: string, config: EvovoiceConnectionConfig): Session {
  let pending: Promise<string> | null = null;
  /** The cookie `pending` resolved to (or the last one, while a new login runs). */
  let latest: string | null = null;
  /** The rejected cookie the running login replaces, so concurrent 401s share that one login. */
  let replacing: string | null = null;

  const start = (rejected: string | null) => {
    const login = logIn(http, base, config).then((cookie) => (latest = cookie));
    // A failed login is not remembered: the next call tries again.
    login.catch(() => {
      if (pending === login) pending = null;
    });
    pending = login;
    replacing = rejected;
    return login;
  };

  return {
    current: () => pending ?? start(null),
    renew: (rejected) => (pending !== null && (latest !== rejected || replacing === rejected) ? pending : start(rejected)),
  };
}

/** POST /auth/credentials; the session is the `ss-id` and `ss-pid` cookies it sets. */
async function logIn(http: UpstreamHttp, base: string, config: EvovoiceConnectionConfig): Promise<string> {
  const res = await http.send({
    method: 'POST',
    url: `${base}/auth/credentials`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ provider: 'credentials', userName: config.username, password: config.password, rememberMe: true }),
    // Logging in again only opens another session, so a retry after a 5xx is harmless.
    safeToRetry: true,
    label: 'login',
  });
  if (res.status < 200 || res.status > 299) throw http.errorFor(res);
  const cookies = sessionCookies(res);
  if (!cookies.has('ss-id')) throw http.error('UPSTREAM_BAD_RESPONSE', 'login: the answer set no ss-id session cookie', res.status);
  return ['ss-id', 'ss-pid']
    .filter((name) => cookies.has(name))
    .map((name) => `${name}=${cookies.get(name)}`)
    .join('; ');
}

/** Name -> value of every Set-Cookie header (attributes such as path are dropped). */
function sessionCookies(res: HttpResponse): Map<string, string> {
  const header = res.headers['set-cookie'];
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const cookies = new Map<string, string>();
  for (const line of lines) {
    const pair = line.split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return cookies;
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
