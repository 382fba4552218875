import type { CognigyConnectionConfig } from '../../config/schema';
import { collectPages } from '../../upstream/paging';
import { upstreamHttpFor, type ConnectorDeps } from '../deps';
import type { VendorConnector } from '../types';
import { toMonthlyUsage, toOrganisation } from './map';
import { nextCursorOf, parseBillingPage, problemTitle, type CognigyBillingItemWire, type CognigyPageWire } from './wire';

/** The largest page the billing listing allows. */
const PAGE_SIZE = 100;
const BILLING_PATH = '/new/management/v2.0/billing';

type BillingPage = CognigyPageWire<CognigyBillingItemWire>;

/**
 * A connector for Cognigy.AI's Management API v2.0. The billing listing is the
 * one source of both organisations and usage: it has no date range, every
 * organisation carries its whole per-day history, so each call reads it once.
 */
export function createCognigyConnector(config: CognigyConnectionConfig, deps: ConnectorDeps): VendorConnector {
  const http = upstreamHttpFor('COGNIGY', config.name, deps, problemTitle);
  const headers = {
    authorization: `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`,
    accept: 'application/json',
  };
  const baseUrl = config.baseUrl.replace(/\/+$/, '');

  async function billingPage(params: { skip?: number; next?: string }): Promise<BillingPage> {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (params.skip) query.set('skip', String(params.skip));
    if (params.next) query.set('next', params.next);
    // The listing carries every day up to today, so it is never settled: it gets the short TTL.
    const res = await http.send({ method: 'GET', url: `${baseUrl}${BILLING_PATH}?${query}`, headers, label: 'billing page', cache: { kind: 'period', end: deps.now() } });
    if (res.status < 200 || res.status > 299) throw http.errorFor(res);
    const body = http.parse(res.text);
    try {
      return parseBillingPage(body);
    } catch (err) {
      throw http.error('UPSTREAM_BAD_RESPONSE', `billing page has an unexpected shape (${(err as Error).message})`, res.status);
    }
  }

  /**
   * Every billing item, each organisation once. With a `total` the remaining
   * pages are fetched concurrently by `skip`; without one the cursor is
   * followed (`nextCursor`, or `next` in older API versions); with neither a
   * total nor a cursor field a full page means more, fetched by `skip`, until a
   * short or empty page. A cursor field that is null says the listing ended.
   */
  async function listing(): Promise<CognigyBillingItemWire[]> {
    const first = await billingPage({});
    const total = first.total;
    if (total !== undefined) {
      const pages = await collectPages<BillingPage>({
        // Page 0 is already here; it was needed to learn whether a total is reported.
        fetchPage: (index) => (index === 0 ? Promise.resolve(first) : billingPage({ skip: index * PAGE_SIZE })),
        pageCount: () => Math.max(1, Math.ceil(total / PAGE_SIZE)),
        // Never consulted: this branch always knows the page count.
        hasMore: () => false,
        concurrency: deps.upstream.concurrency,
      });
      return uniqueOrganisations(pages.flatMap((page) => page.items));
    }
    const pages = [first];
    const nextCursor = loopSafeCursor();
    for (;;) {
      const last = pages[pages.length - 1];
      const cursor = nextCursor(last);
      if (cursor !== null) pages.push(await billingPage({ next: cursor }));
      else if (!hasCursorField(last) && last.items.length >= PAGE_SIZE) pages.push(await billingPage({ skip: pages.length * PAGE_SIZE }));
      else break;
    }
    return uniqueOrganisations(pages.flatMap((page) => page.items));
  }

  /** Reads the next cursor and refuses one seen before, so a vendor bug cannot page forever. */
  function loopSafeCursor(): (page: BillingPage) => string | null {
    const seen = new Set<string>();
    return (page) => {
      const cursor = nextCursorOf(page);
      if (cursor === null) return null;
      if (seen.has(cursor)) throw http.error('UPSTREAM_BAD_RESPONSE', 'billing listing repeated a page cursor');
      seen.add(cursor);
      return cursor;
    };
  }

  return {
    vendor: 'COGNIGY',
    connection: config.name,
    organisations: async () => (await listing()).map((item) => toOrganisation(item, config.name)),
    // Cognigy has no accounts, customers or bots; usage is per organisation only.
    accounts: async () => [],
    customers: async () => [],
    bots: async () => [],
    usage: async (query) => toMonthlyUsage(await listing(), query, config.name),
    // No customer level at Cognigy.
    customerUsage: async () => [],
    // No billing sessions at Cognigy: the listing reports daily conversation counts.
    billingSessions: async () => [],
  };
}

/** Whether the page names a next cursor at all (null included): then the cursor, not the page size, decides. */
function hasCursorField(page: BillingPage): boolean {
  return page.nextCursor !== undefined || page.next !== undefined;
}

/**
 * Keeps the first entry of each organisation: offset pages fetched
 * concurrently can overlap when an organisation is added between two calls.
 */
function uniqueOrganisations(items: CognigyBillingItemWire[]): CognigyBillingItemWire[] {
  const byId = new Map<string, CognigyBillingItemWire>();
  for (const item of items) if (!byId.has(item.organisationId)) byId.set(item.organisationId, item);
  return [...byId.values()];
}
