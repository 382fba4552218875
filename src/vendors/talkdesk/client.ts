import type { TalkdeskConnectionConfig } from '../../config/schema';
import { addMonths, monthsBetween, monthStart } from '../../usage/month';
import { UpstreamError } from '../../errors';
import { collectPages, listingContinues } from '../../upstream/paging';
import type { CacheHint } from '../../upstream/ttl';
import { upstreamHttpFor, type ConnectorDeps } from '../deps';
import type { AccountRecord, UsageRecord } from '../../model';
import type { UsageQuery, VendorConnector } from '../types';
import { buildUsageFilters } from './filter';
import { mapAccount, mapOrganisation, mapUsage } from './map';
import { TokenCache, type IssuedToken } from './token';
import {
  parseAccountsPageWire, parseTokenWire, parseUsagePageWire, talkdeskErrorCode, type TalkdeskPagingWire,
} from './wire';

/** The largest page Talkdesk serves. */
const PER_PAGE = 250;

/**
 * Talkdesk Billing Insights connector: OAuth2 client credentials, then HAL-paged
 * GETs for accounts and monthly usage.
 */
export function createTalkdeskConnector(config: TalkdeskConnectionConfig, deps: ConnectorDeps): VendorConnector {
  const http = upstreamHttpFor('TALKDESK', config.name, deps, talkdeskErrorCode);
  const baseUrl = config.baseUrl.replace(/\/+$/, '');

  async function requestToken(): Promise<IssuedToken> {
    const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
    const body = await http.json({
      method: 'POST',
      url: config.tokenUrl,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: `grant_type=client_credentials&scope=${encodeURIComponent(config.scopes.join(' '))}`,
      // A client-credentials grant changes nothing at the vendor, so a failed one may be repeated.
      safeToRetry: true,
      label: 'token',
    });
    const token = checked(() => parseTokenWire(body));
    return { value: token.access_token, expiresInSeconds: token.expires_in };
  }
  const tokens = new TokenCache(requestToken, deps.now);

  /** GET with the bearer token; a 401 means the token was revoked or expired early: one new token, one retry. */
  async function getJson(path: string, params: Record<string, string | number>, label: string, cache: CacheHint): Promise<unknown> {
    const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
    const url = `${baseUrl}${path}?${query}`;
    // The token is asked for only when the request really goes out: a cache hit needs none.
    let used: string | null = null;
    const send = () =>
      http.send({
        method: 'GET', url, headers: { accept: 'application/json' }, label, cache,
        auth: async () => {
          used = await tokens.get();
          return { authorization: `Bearer ${used}` };
        },
      });
    let res = await send();
    if (res.status === 401 && used !== null) {
      tokens.invalidate(used);
      res = await send();
    }
    if (res.status < 200 || res.status > 299) throw http.errorFor(res);
    return http.parse(res.text);
  }

  function checked<T>(parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      throw http.error('UPSTREAM_BAD_RESPONSE', (err as Error).message);
    }
  }

  /**
   * Every page of a HAL listing: concurrently when the first page tells how many there are,
   * else one by one while the evidence says more (a `next` link, a total not reached, or a
   * full page when neither is sent). Pages are addressed by number rather than by the `next`
   * href, so the bearer token only ever goes to the configured base URL.
   */
  function allPages<P extends TalkdeskPagingWire>(fetchPage: (page: number) => Promise<P>, itemsOf: (page: P) => readonly unknown[]): Promise<P[]> {
    return collectPages<P>({
      fetchPage: (index) => fetchPage(index + 1),
      pageCount: (first) =>
        first.total_pages ?? (first.total !== undefined ? Math.ceil(first.total / (first.per_page || PER_PAGE)) : null),
      hasMore: (page, index) => {
        const received = itemsOf(page).length;
        const flag = page._links.next !== undefined ? true : page._links.last !== undefined || page._links.self !== undefined ? false : undefined;
        return listingContinues({ flag, total: page.total, seen: index * PER_PAGE + received, received, pageSize: PER_PAGE });
      },
      concurrency: deps.upstream.concurrency,
    });
  }

  async function usage(query: UsageQuery): Promise<UsageRecord[]> {
    const filters = buildUsageFilters(monthsBetween(query.from, query.to), query.accountIds);
    const cache: CacheHint = { kind: 'period', end: monthStart(addMonths(query.to, 1)) };
    // Filters run side by side; the connection's request slots keep the vendor at `concurrency` calls.
    const perFilter = await Promise.all(
      filters.map((filter) =>
        allPages(async (page) => {
          const body = await getJson('/express/usage/month', { page, per_page: PER_PAGE, filter }, 'usage page', cache);
          return checked(() => parseUsagePageWire(body));
        }, (p) => p._embedded.usage),
      ),
    );
    // Only what was asked, whatever the vendor applied of the filter: months of the range and the
    // accounts named, each record once by its id (account chunks and ignored filters repeat rows).
    const accounts = query.accountIds === undefined ? null : new Set(query.accountIds);
    const byId = new Map<string, UsageRecord>();
    for (const u of perFilter.flat().flatMap((page) => page._embedded.usage)) {
      if (u.month < query.from || u.month > query.to || (accounts !== null && !accounts.has(u.account_id)) || byId.has(u.id)) continue;
      byId.set(u.id, mapUsage(u, config.name));
    }
    return [...byId.values()];
  }

  /** Why account names are missing, when the accounts listing was last refused; cleared when it answers. */
  let accountsNote: string | null = null;

  /**
   * The accounts listing, needed only for names: it needs a scope seed 003 does not name
   * (express-accounts:read), so a 403 degrades to accounts shown by id, with a note.
   */
  async function accounts(): Promise<AccountRecord[]> {
    try {
      const pages = await allPages(async (page) => {
        const body = await getJson('/express/accounts', { page, per_page: PER_PAGE }, 'accounts page', { kind: 'listing' });
        return checked(() => parseAccountsPageWire(body));
      }, (p) => p._embedded.accounts);
      accountsNote = null;
      const byId = new Map<string, AccountRecord>();
      for (const a of pages.flatMap((p) => p._embedded.accounts)) if (!byId.has(a.id)) byId.set(a.id, mapAccount(a, config.name));
      return [...byId.values()];
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.code !== 'UPSTREAM_FORBIDDEN') throw err;
      accountsNote = `The accounts listing was refused (HTTP 403; scopes asked: ${config.scopes.join(' ')}): accounts are shown by id without names.`;
      return [];
    }
  }

  return {
    vendor: 'TALKDESK',
    connection: config.name,
    organisations: async () => [mapOrganisation(config.name)],
    accounts,
    notes: () => (accountsNote === null ? [] : [accountsNote]),
    // Talkdesk has no customers below accounts.
    customers: async () => [],
    // Talkdesk has no bots.
    bots: async () => [],
    usage,
    // Talkdesk reports no customer-level usage.
    customerUsage: async () => [],
    // Talkdesk has no billing sessions; usage comes aggregated by month.
    billingSessions: async () => [],
  };
}
