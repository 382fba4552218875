import type { DemoVendors } from '../src/demo';
import type { KoreAiSimulator } from '../src/vendors/koreai/simulator';
import type { CognigySimulator } from '../src/vendors/cognigy/simulator';
import type { EvovoiceSimulator } from '../src/vendors/evovoice/simulator';
import type { TalkdeskSimulator } from '../src/vendors/talkdesk/simulator';
import { buildUsageFilters } from '../src/vendors/talkdesk/filter';
import { VENDOR_MODULES } from '../src/vendors/registry';
import { monthsBetween } from '../src/usage/month';

/**
 * The fewest vendor calls each query needs and the fewest sequential rounds
 * they take, worked out from the simulators' seeded data in vendor terms and
 * the vendors' documented limits (never from our connectors' code paths, except
 * Talkdesk's filter splitting, which the issue names as the rule).
 */

export type VendorKey = 'koreai' | 'cognigy' | 'evovoice' | 'talkdesk';
/** The registry's vendor modules, by folder name: the benchmark loops over the one list. */
export const VENDORS = VENDOR_MODULES.map((m) => m.key) as readonly VendorKey[];
export type QueryName = 'report' | 'dashboard';

/** One vendor call of the plan: it can start once every call in `after` has answered. */
interface PlannedCall {
  id: string;
  after: string[];
}

export interface VendorPlan {
  /** The fewest calls. */
  calls: number;
  /** The fewest sequential rounds at `concurrency` calls per connection. */
  rounds: number;
  /** How the calls are made up, for the printout. */
  detail: string;
}

export type Plans = Record<QueryName, Record<VendorKey, VendorPlan>>;

const DAY_MS = 86_400_000;
const KORE_SESSIONS_PAGE = 100;
const KORE_BOTS_PAGE = 50;
const KORE_MAX_DAYS = 90;
const COGNIGY_PAGE = 100;
const EVO_PAGE = 100;
const TALKDESK_PAGE = 250;

/** The last 12 full UTC months before the current one. */
export function lastTwelveMonths(now: Date): { from: string; to: string } {
  const month = (y: number, m: number) => {
    const d = new Date(Date.UTC(y, m, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  return { from: month(now.getUTCFullYear(), now.getUTCMonth() - 12), to: month(now.getUTCFullYear(), now.getUTCMonth() - 1) };
}

const monthStartMs = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/** A listing: its first page, then the remaining pages (they need the first page's total). */
function paged(prefix: string, count: number, after: string[]): PlannedCall[] {
  const first = { id: `${prefix}#0`, after };
  return [first, ...Array.from({ length: count - 1 }, (_, i) => ({ id: `${prefix}#${i + 1}`, after: [first.id] }))];
}

/**
 * Fewest rounds of unit-time calls with at most `slots` per round: list
 * scheduling that always starts the calls with the longest chain below them
 * first (Hu's rule, optimal for these out-forests of depth <= 3 here).
 */
export function rounds(calls: readonly PlannedCall[], slots: number): number {
  const children = new Map<string, string[]>();
  for (const c of calls) for (const a of c.after) children.set(a, [...(children.get(a) ?? []), c.id]);
  const height = new Map<string, number>();
  const heightOf = (id: string): number => {
    const known = height.get(id);
    if (known !== undefined) return known;
    const h = 1 + Math.max(0, ...(children.get(id) ?? []).map(heightOf));
    height.set(id, h);
    return h;
  };
  const done = new Set<string>();
  let round = 0;
  while (done.size < calls.length) {
    const ready = calls
      .filter((c) => !done.has(c.id) && c.after.every((a) => done.has(a)))
      .sort((a, b) => heightOf(b.id) - heightOf(a.id) || (children.get(b.id)?.length ?? 0) - (children.get(a.id)?.length ?? 0));
    if (ready.length === 0) throw new Error('plan has a cycle');
    for (const c of ready.slice(0, slots)) done.add(c.id);
    round += 1;
  }
  return round;
}

function plan(calls: PlannedCall[], slots: number, detail: string): VendorPlan {
  return { calls: calls.length, rounds: rounds(calls, slots), detail };
}

/** Kore.ai: billing sessions per <=90-day window, skip/limit pages of 100 (at least one page per window). */
function koreSessions(sim: KoreAiSimulator, months: string[], after: string[]): { calls: PlannedCall[]; perWindow: number[] } {
  const start = monthStartMs(months[0]);
  const last = monthStartMs(months[months.length - 1]);
  const end = Date.UTC(new Date(last).getUTCFullYear(), new Date(last).getUTCMonth() + 1, 1);
  const starts = sim.data.sessions.map((s) => s.start.getTime());
  const calls: PlannedCall[] = [];
  const perWindow: number[] = [];
  for (let from = start, w = 0; from < end; from += KORE_MAX_DAYS * DAY_MS, w++) {
    const to = Math.min(from + KORE_MAX_DAYS * DAY_MS, end);
    const sessions = starts.filter((t) => t >= from && t < to).length;
    const n = pages(sessions, KORE_SESSIONS_PAGE);
    perWindow.push(n);
    calls.push(...paged(`kore-window${w}`, n, after));
  }
  return { calls, perWindow };
}

/** Talkdesk usage records each filter selects, read from the filter's own month and account_id terms. */
function talkdeskFilterPages(sim: TalkdeskSimulator, filter: string): number {
  const months = new Set([...filter.matchAll(/month eq '([^']*)'/g)].map((m) => m[1]));
  const accounts = [...filter.matchAll(/account_id eq '((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  const wanted = accounts.length === 0 ? null : new Set(accounts);
  const records = sim.data.usage.filter((u) => months.has(u.month) && (wanted === null || wanted.has(u.account_id))).length;
  return pages(records, TALKDESK_PAGE);
}

export function computePlans(vendors: DemoVendors, from: string, to: string, slots: number): Plans {
  const months = monthsBetween(from, to);
  const kore = vendors.simulators.koreai as KoreAiSimulator;
  const cognigy = vendors.simulators.cognigy as CognigySimulator;
  const evo = vendors.simulators.evovoice as EvovoiceSimulator;
  const talkdesk = vendors.simulators.talkdesk as TalkdeskSimulator;

  // Kore.ai: usage rows name their organisation, the bots' accountId, which only the bots listing tells, so the
  // report needs that listing beside the sessions (no order between them); the dashboard lists bots before asking
  // their usage, so its sessions come after the listing.
  const koreReport = koreSessions(kore, months, []);
  const botPages = pages(kore.data.bots.length, KORE_BOTS_PAGE);
  const botsListing = paged('kore-bots', botPages, []);
  const koreDashboard = koreSessions(kore, months, botsListing.map((c) => c.id));
  const koreDetail = (perWindow: number[]) => `${perWindow.length} windows of <=90 d: ${perWindow.join('+')} pages of 100 sessions`;

  // Cognigy: the one billing listing answers both organisations and usage.
  const cognigyPages = pages(cognigy.data.organisations.length, COGNIGY_PAGE);
  const cognigyCalls = paged('cognigy', cognigyPages, []);
  const cognigyDetail = `${cognigy.data.organisations.length} organisations: ${cognigyPages} listing pages of 100`;

  // Evovoice: login, then one /ai/usage per month (for every account at once); the dashboard lists accounts first.
  const evoLogin: PlannedCall = { id: 'evo-login', after: [] };
  const evoMonths = (after: string[]) => months.map((m) => ({ id: `evo-${m}`, after }));
  const evoAccountPages = pages(evo.data.accounts.length, EVO_PAGE);
  const evoAccounts = paged('evo-accounts', evoAccountPages, [evoLogin.id]);

  // Talkdesk: token, then each necessary filter's pages of 250; the dashboard lists accounts and asks usage of each.
  const token: PlannedCall = { id: 'td-token', after: [] };
  const filterCalls = (filters: string[], after: string[]) => {
    const perFilter = filters.map((f) => talkdeskFilterPages(talkdesk, f));
    return { calls: perFilter.flatMap((n, i) => paged(`td-filter${i}`, n, after)), perFilter };
  };
  const tdReport = filterCalls(buildUsageFilters(months), [token.id]);
  const tdAccountPages = pages(talkdesk.data.accounts.length, TALKDESK_PAGE);
  const tdAccounts = paged('td-accounts', tdAccountPages, [token.id]);
  const tdDashboard = filterCalls(
    buildUsageFilters(months, talkdesk.data.accounts.map((a) => a.id)),
    tdAccounts.map((c) => c.id),
  );
  const tdDetail = (perFilter: number[]) => `${perFilter.length} filter(s): ${perFilter.join('+')} pages of 250`;

  return {
    report: {
      koreai: plan([...botsListing, ...koreReport.calls], slots, `${botPages} bots page(s) + ${koreDetail(koreReport.perWindow)}`),
      cognigy: plan(cognigyCalls, slots, cognigyDetail),
      evovoice: plan([evoLogin, ...evoMonths([evoLogin.id])], slots, `1 login + ${months.length} months`),
      talkdesk: plan([token, ...tdReport.calls], slots, `1 token + ${tdDetail(tdReport.perFilter)}`),
    },
    dashboard: {
      koreai: plan([...botsListing, ...koreDashboard.calls], slots, `${botPages} bots page(s) + ${koreDetail(koreDashboard.perWindow)}`),
      cognigy: plan(cognigyCalls, slots, cognigyDetail),
      evovoice: plan(
        [evoLogin, ...evoAccounts, ...evoMonths(evoAccounts.map((c) => c.id))],
        slots,
        `1 login + ${evoAccountPages} accounts page(s) + ${months.length} months`,
      ),
      talkdesk: plan(
        [token, ...tdAccounts, ...tdDashboard.calls],
        slots,
        `1 token + ${tdAccountPages} accounts page(s) + ${tdDetail(tdDashboard.perFilter)} (${talkdesk.data.accounts.length} accounts)`,
      ),
    },
  };
}
