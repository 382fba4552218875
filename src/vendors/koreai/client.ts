import jwt from 'jsonwebtoken';
import type { KoreAiConnectionConfig } from '../../config/schema';
import { collectPages, mapConcurrent } from '../../upstream/paging';
import { monthWindow } from '../../usage/month';
import { upstreamHttpFor, type ConnectorDeps } from '../deps';
import type { BillingSessionQuery, BillingSessionRecord, BotRecord, OrganisationRecord, VendorConnector } from '../types';
import { botFromWire, requestWindows, sessionFromWire, sessionsToUsage } from './map';
import { koreErrorCode, parseBillingSessionsPage, parseBotsPage, type KoreBillingSessionsPageWire, type KoreBotsPageWire } from './wire';

/** Kore.ai's maximum page sizes: 100 billing sessions, 50 bots. */
const SESSIONS_PAGE = 100;
const BOTS_PAGE = 50;
const TOKEN_LIFETIME_S = 60 * 60;
/** A token with less than this left is re-signed, so it cannot expire in flight. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

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
      hasMore: (page) => page.availableMore,
      concurrency: deps.upstream.concurrency,
    });
    return pages.flatMap((p) => p.bots.map((b) => botFromWire(b, connection)));
  };

  // The organisation id is the bots' shared accountId (admin scope), read from the bots listing,
  // which the shared cache and in-flight sharing make the same call as bots().
  const organisationExternalId = async (): Promise<string> => {
    if (config.scope === 'bot') return connection;
    return (await allBots())[0]?.organisationExternalId ?? connection;
  };

  const sessionsPage = async (path: string, body: Record<string, unknown>, skip: number, cached = true): Promise<KoreBillingSessionsPageWire> => {
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
      hasMore: (page) => page.moreAvailable,
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
          for (let skip = SESSIONS_PAGE, more = first.moreAvailable; more; skip += SESSIONS_PAGE) {
            const next = await page(skip);
            yield keep(next);
            more = next.moreAvailable;
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
    const path = '/api/public/bots/getBillingSessionsDetails';
    return botIds?.length === 1 ? [{ path, botId: botIds[0] }] : [{ path }];
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
    const wanted = query.botIds === undefined ? null : new Set(query.botIds);
    // Keyed by id: a session that moved between concurrent pages is still reported once.
    const byId = new Map<string, BillingSessionRecord>();
    for (const s of results.flat()) {
      if (wanted === null || wanted.has(s.botExternalId)) byId.set(s.externalId, s);
    }
    return [...byId.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || (a.externalId < b.externalId ? -1 : 1));
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
