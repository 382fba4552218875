import jwt from 'jsonwebtoken';
import { KORE_ADMIN_BILLING_PATHS, type KoreAiConnectionConfig } from './config';
import { UpstreamError } from '../../errors';
import { collectPages, listingContinues } from '../../upstream/paging';
import { monthWindow } from '../../usage/month';
import { upstreamHttpFor, type ConnectorDeps } from '../deps';
import type { BillingSessionRecord, BotRecord, OrganisationRecord } from '../../model';
import type { BillingSessionQuery, VendorConnector } from '../types';
import { botFromWire, requestWindows, sessionFromWire, sessionKey, sessionsToUsage } from './map';
import { koreErrorCode, parseBillingSessionsPage, parseBotsPage, type KoreBillingSessionsPageWire, type KoreBotsPageWire } from './wire';

/** Kore.ai's maximum page sizes: 100 billing sessions, 50 bots. */
const SESSIONS_PAGE = 100;
const BOTS_PAGE = 50;
const TOKEN_LIFETIME_S = 60 * 60;
/** A token with less than this left is re-signed, so it cannot expire in flight. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;
/** Stands for "the admin-scope billing path that works for this connection". */
const ADMIN_PATH = KORE_ADMIN_BILLING_PATHS[0];

/**
 * The Kore.ai connector: JWT auth made locally (no token exchange), the bots
 * list in admin scope, and billing sessions fetched in windows of at most
 * `maxRangeDays` days with skip/limit paging.
 */
export function createKoreAiConnector(config: KoreAiConnectionConfig, deps: ConnectorDeps): VendorConnector {
  const connection = config.name;
  const http = upstreamHttpFor('KORE_AI', connection, deps, koreErrorCode);
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const token = createTokenSource(config, deps.now);

  const parsed = <T>(body: unknown, parse: (body: unknown) => T): T => {
    try {
      return parse(body);
    } catch (err) {
      throw http.error('UPSTREAM_BAD_RESPONSE', `answered with an unexpected shape (${(err as Error).message})`);
    }
  };

  const botsPage = async (offset: number, limit: number): Promise<KoreBotsPageWire> => {
    const url = `${baseUrl}/api/public/bots?offset=${offset}&limit=${limit}`;
    return parsed(await http.json({ method: 'GET', url, headers: { auth: token() }, label: 'bots page', cache: { kind: 'listing' } }), parseBotsPage);
  };

  const allBots = async (): Promise<BotRecord[]> => {
    const pages = await collectPages({
      fetchPage: (index) => botsPage(index * BOTS_PAGE, BOTS_PAGE),
      pageCount: (first) => (first.total === undefined ? null : Math.ceil(first.total / BOTS_PAGE)),
      hasMore: (page, index) =>
        listingContinues({ flag: page.availableMore, total: page.total, seen: index * BOTS_PAGE + page.bots.length, received: page.bots.length, pageSize: BOTS_PAGE }),
      concurrency: deps.upstream.concurrency,
    });
    const byId = new Map<string, BotRecord>();
    for (const b of pages.flatMap((p) => p.bots)) if (!byId.has(b._id)) byId.set(b._id, botFromWire(b, connection));
    return [...byId.values()];
  };

  /**
   * Why bot names are missing, when the bots listing (in no seed; the app may lack its
   * scope) last failed; cleared when it answers again. Usage never fails for it.
   */
  let listingNote: string | null = null;

  // The organisation id is the bots' shared accountId (admin scope), read from the bots listing,
  // which the shared cache and in-flight sharing make the same call as bots(). The seed says the
  // billing scope is all an app needs, so without the listing the connection names the organisation.
  const organisationExternalId = async (): Promise<string> => {
    if (config.scope === 'bot') return connection;
    try {
      const bots = await allBots();
      listingNote = null;
      return bots[0]?.organisationExternalId ?? connection;
    } catch (err) {
      const code = err instanceof UpstreamError ? `${err.code}${err.status === null ? '' : `, HTTP ${err.status}`}` : 'an unexpected error';
      listingNote = `The bots listing failed (${code}): bots are shown by id without names, and the organisation by the connection's name.`;
      return connection;
    }
  };

  // Admin scope: the path that answered last for this connection; on 404 the other documented one is tried.
  let adminPath: string = config.billingPath;

  const sessionsPage = async (path: string, body: Record<string, unknown>, skip: number, cached = true): Promise<KoreBillingSessionsPageWire> => {
    if (path !== ADMIN_PATH) return sessionsPageAt(path, body, skip, cached);
    const tried = adminPath;
    try {
      return await sessionsPageAt(tried, body, skip, cached);
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status !== 404) throw err;
      const other = KORE_ADMIN_BILLING_PATHS.find((p) => p !== tried)!;
      const page = await sessionsPageAt(other, body, skip, cached);
      adminPath = other;
      return page;
    }
  };

  const sessionsPageAt = async (path: string, body: Record<string, unknown>, skip: number, cached: boolean): Promise<KoreBillingSessionsPageWire> => {
    const res = await http.json({
      method: 'POST',
      url: `${baseUrl}${path}`,
      headers: { auth: token(), 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, limit: SESSIONS_PAGE, skip }),
      safeToRetry: true, // a POST that only reads
      label: 'billing sessions page',
      cache: cached ? { kind: 'period', end: new Date(String(body.toDate)) } : undefined,
    });
    return parsed(res, parseBillingSessionsPage);
  };

  const sessionsOf = async (path: string, body: Record<string, unknown>): Promise<BillingSessionRecord[]> => {
    const pages = await collectPages({
      fetchPage: (index) => sessionsPage(path, body, index * SESSIONS_PAGE),
      pageCount: (first) => (first.total === undefined ? null : Math.ceil(first.total / SESSIONS_PAGE)),
      hasMore: (page, index) =>
        listingContinues({
          flag: page.moreAvailable, total: page.total, seen: index * SESSIONS_PAGE + page.sessions.length, received: page.sessions.length, pageSize: SESSIONS_PAGE,
        }),
      concurrency: deps.upstream.concurrency,
    });
    return records(pages.flatMap((p) => p.sessions));
  };

  const records = (sessions: KoreBillingSessionsPageWire['sessions']): BillingSessionRecord[] => {
    try {
      return sessions.map((s) => sessionFromWire(s, connection));
    } catch {
      // Only the date parser throws here; its message quotes the vendor's value, which stays out of the error.
      throw http.error('UPSTREAM_BAD_RESPONSE', 'answered with a date-time that is not MM-DD-YYYY h:mm:ss am|pm');
    }
  };

  /**
   * Pages in order, up to `concurrency` of them asked ahead while earlier ones are consumed
   * (where the vendor reports a total; one after another where it does not), windows in order:
   * a bounded number of pages in memory whatever the period. Not cached: an export of a year of
   * sessions would only push useful answers out of the cache.
   */
  async function* billingSessionPages(query: BillingSessionQuery): AsyncGenerator<BillingSessionRecord[]> {
    if (query.botIds?.length === 0) return;
    const wanted = query.botIds === undefined ? null : new Set(query.botIds);
    const keep = (page: KoreBillingSessionsPageWire) => records(page.sessions).filter((s) => wanted === null || wanted.has(s.botExternalId));
    for (const window of requestWindows(query.from, query.to, config.maxRangeDays)) {
      for (const { path, botId } of targets(query.botIds)) {
        const body = {
          fromDate: window.from.toISOString(),
          toDate: window.to.toISOString(),
          ...(query.channel === undefined ? {} : { channel: query.channel }),
          ...(botId === undefined ? {} : { botId }),
        };
        const page = (skip: number) => {
          const asked = sessionsPage(path, body, skip, false);
          asked.catch(() => undefined); // a page asked ahead that nobody awaits (the export stopped) must not fail the process
          return asked;
        };
        const first = await page(0);
        yield keep(first);
        if (first.total === undefined) {
          // No total: one page after another while the evidence (flag or full page) says more, as sessionsOf reads them.
          const continues = (p: KoreBillingSessionsPageWire, skip: number) =>
            listingContinues({ flag: p.moreAvailable, total: p.total, seen: skip + p.sessions.length, received: p.sessions.length, pageSize: SESSIONS_PAGE });
          for (let skip = 0, last = first; continues(last, skip); ) {
            skip += SESSIONS_PAGE;
            last = await page(skip);
            yield keep(last);
          }
          continue;
        }
        const ahead: Promise<KoreBillingSessionsPageWire>[] = [];
        for (let skip = SESSIONS_PAGE; skip < first.total || ahead.length > 0; ) {
          while (ahead.length < deps.upstream.concurrency && skip < first.total) {
            ahead.push(page(skip));
            skip += SESSIONS_PAGE;
          }
          yield keep(await ahead.shift()!);
        }
      }
    }
  }

  /** One call target per window: the admin path once (botId only when exactly one bot is asked), or the per-bot path per bot. */
  const targets = (botIds: readonly string[] | undefined): Array<{ path: string; botId?: string }> => {
    if (config.scope === 'bot') {
      return (botIds ?? config.bots).map((id) => ({ path: `/api/public/bot/${encodeURIComponent(id)}/getBillingSessionsDetails` }));
    }
    // The admin path is a marker here: sessionsPage picks the one that works for this connection.
    return botIds?.length === 1 ? [{ path: ADMIN_PATH, botId: botIds[0] }] : [{ path: ADMIN_PATH }];
  };

  const billingSessions = async (query: BillingSessionQuery): Promise<BillingSessionRecord[]> => {
    if (query.botIds?.length === 0) return [];
    const calls = requestWindows(query.from, query.to, config.maxRangeDays).flatMap((window) =>
      targets(query.botIds).map(({ path, botId }) => ({
        path,
        body: {
          fromDate: window.from.toISOString(),
          toDate: window.to.toISOString(),
          ...(query.channel === undefined ? {} : { channel: query.channel }),
          ...(botId === undefined ? {} : { botId }),
        },
      })),
    );
    // Every window starts at once: the connection's request slots (first come, first served) keep the
    // vendor at `concurrency` calls, and each window's first page is queued before any window's later pages.
    const results = await Promise.all(calls.map((call) => sessionsOf(call.path, call.body)));
    // Only what was asked, whatever the vendor applied: the bots, the channel and the period by each
    // session's own billing start. Keyed by identity: a session that moved between concurrent pages,
    // or that a vendor ignoring the period sends in every window, is reported once.
    const wanted = query.botIds === undefined ? null : new Set(query.botIds);
    const channel = query.channel?.toLowerCase();
    const byKey = new Map<string, BillingSessionRecord>();
    for (const s of results.flat()) {
      if (wanted !== null && !wanted.has(s.botExternalId)) continue;
      if (channel !== undefined && s.channel !== channel) continue;
      if (s.start < query.from || s.start >= query.to) continue;
      byKey.set(sessionKey(s), s);
    }
    return [...byKey.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  };

  return {
    vendor: 'KORE_AI',
    connection,
    async organisations(): Promise<OrganisationRecord[]> {
      return [{ vendor: 'KORE_AI', connection, externalId: await organisationExternalId(), name: connection, disabled: false }];
    },
    // Kore.ai has no accounts or customers.
    accounts: async () => [],
    customers: async () => [],
    customerUsage: async () => [],
    async bots(): Promise<BotRecord[]> {
      // Bot scope has no bot-info endpoint: the configured ids are all there is.
      if (config.scope === 'bot') {
        return config.bots.map((id) => ({ vendor: 'KORE_AI', connection, organisationExternalId: connection, externalId: id, name: null }));
      }
      return allBots();
    },
    billingSessions,
    notes: () => (config.scope === 'admin' && listingNote !== null ? [listingNote] : []),
    billingSessionPages,
    async usage(query) {
      const window = monthWindow(query.from, query.to, query.timeZone);
      const [organisation, sessions] = await Promise.all([
        organisationExternalId(),
        billingSessions({ botIds: query.botIds, from: window.start, to: window.end }),
      ]);
      return sessionsToUsage(sessions, query.timeZone, organisation, connection);
    },
  };
}

/** Signs the `auth` JWT (HS256 with the client secret) and reuses it until less than 5 minutes remain. */
function createTokenSource(config: KoreAiConnectionConfig, now: () => Date): () => string {
  let current: { token: string; expiresAt: number } | null = null;
  return () => {
    const at = now().getTime();
    if (current === null || current.expiresAt - at < TOKEN_MARGIN_MS) {
      // iat from the injected clock, so token lifetime and reuse follow the same time.
      const iat = Math.floor(at / 1000);
      const token = jwt.sign({ sub: 'usagegraph', appId: config.clientId, iat }, config.clientSecret, {
        algorithm: 'HS256',
        expiresIn: TOKEN_LIFETIME_S,
      });
      current = { token, expiresAt: (iat + TOKEN_LIFETIME_S) * 1000 };
    }
    return current.token;
  };
}
