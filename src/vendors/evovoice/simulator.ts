import { randomBytes } from 'node:crypto';
import type { EvovoiceConnectionConfig } from '../../config/schema';
import { seededRandom, seededRandomFor, type SeededRandom } from '../seeded-random';
import { jsonBody, startSimulatorServer, type SimRequest, type SimResponse, type SimulatorServer } from '../simulator-kit';

/**
 * Evovoice's API on loopback: ServiceStack credentials login with session
 * cookies, `/accounts` and `/customers` with 0-based paging, and `/ai/usage`
 * summing seeded daily AI minutes over an inclusive date range.
 */

export interface EvovoiceSimulatorOptions {
  /** Seeds the dataset (default 2, after seed document 002). */
  seed?: number;
  /** Data covers every UTC day from 2025-01-01 to the day of this instant (default now). */
  until?: Date;
  latencyMs?: number;
  port?: number;
  /** A session cookie stops working this long after its login (default one hour). */
  sessionTtlMs?: number;
  /** Answer `/ai/usage` with PascalCase names (`AccountUsage`, `AIMinutes`), as the seed document shows. */
  pascalCase?: boolean;
  /** Number of accounts (default 6); each has 2 to 6 customers. */
  accounts?: number;
  /** Listing pages: `contract` (default) with `totalCount` and `hasMorePages`; `items-only` with neither (seed 002 documents no listing). */
  pages?: 'contract' | 'items-only';
  /** Serves every customer and every row whatever `accountIds`, `accountId` and `customerId` ask, as a server that does not apply them. */
  ignoreFilters?: boolean;
}

export interface EvovoiceSimAccount {
  readonly id: string;
  readonly name: string;
}

export interface EvovoiceSimCustomer {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
}

/** The seeded dataset in Evovoice's own terms; an account's total is its customers' minutes plus its own. */
export interface EvovoiceSimData {
  /** Every day with data, `YYYY-MM-DD`, from 2025-01-01; the daily arrays below are aligned with it. */
  readonly days: readonly string[];
  readonly accounts: readonly EvovoiceSimAccount[];
  readonly customers: readonly EvovoiceSimCustomer[];
  /** AI minutes per day of each customer, by customer id. */
  readonly customerDailyMinutes: Readonly<Record<string, readonly number[]>>;
  /** AI minutes per day an account used outside any customer, by account id (in the account total only). */
  readonly accountOwnDailyMinutes: Readonly<Record<string, readonly number[]>>;
}

export interface EvovoiceSimulator extends SimulatorServer {
  /** A valid connection config pointing here, with this start's credentials. */
  connectionConfig(name: string): EvovoiceConnectionConfig;
  readonly data: EvovoiceSimData;
  /** Successful logins so far. */
  readonly logins: number;
  /** Forgets every session, so the next API call answers 401 (tests of re-login). */
  expireSessions(): void;
}

const FIRST_DAY = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_PAGE_SIZE = 100;

export async function startEvovoiceSimulator(options: EvovoiceSimulatorOptions = {}): Promise<EvovoiceSimulator> {
  const data = seedData(options.seed ?? 2, options.until ?? new Date(), options.accounts ?? 6);
  const totals = runningTotals(data);
  const username = `evo-admin-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const sessionTtlMs = options.sessionTtlMs ?? 3_600_000;
  const sessions = new Map<string, number>();
  let logins = 0;

  const login = (req: SimRequest): SimResponse => {
    if (req.method !== 'POST') return failure(405, 'NotSupported', `${req.method} is not supported on /auth/credentials`);
    const body = jsonBody(req) as Record<string, unknown> | undefined;
    if (body?.userName !== username || body?.password !== password) return failure(401, 'Unauthorized', 'Invalid UserName or Password');
    const sessionId = randomBytes(15).toString('base64url');
    sessions.set(sessionId, Date.now() + sessionTtlMs);
    logins += 1;
    return {
      status: 200,
      body: { userId: '1', sessionId, userName: username, displayName: 'System Administrator' },
      headers: {
        'set-cookie': [`ss-id=${sessionId}; path=/; HttpOnly`, `ss-pid=${randomBytes(15).toString('base64url')}; path=/; expires=Fri, 01 Jan 2100 00:00:00 GMT; HttpOnly`],
      },
    };
  };

  const signedIn = (req: SimRequest): boolean => {
    const id = /(?:^|;\s*)ss-id=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const expires = id === undefined ? undefined : sessions.get(id);
    return expires !== undefined && expires > Date.now();
  };

  const itemsOnly = options.pages === 'items-only';
  const routes: Record<string, (req: SimRequest) => SimResponse> = {
    '/accounts': (req) => page(req, data.accounts, itemsOnly),
    '/customers': (req) => {
      const ids = options.ignoreFilters ? null : req.query.get('accountIds');
      const wanted = ids ? new Set(ids.split(',')) : null;
      return page(req, wanted ? data.customers.filter((c) => wanted.has(c.accountId)) : data.customers, itemsOnly);
    },
    '/ai/usage': (req) => aiUsage(req, data, totals, options.pascalCase === true, options.ignoreFilters === true),
  };

  const server = await startSimulatorServer(
    'evovoice',
    (req) => {
      if (req.path === '/auth/credentials') return login(req);
      const route = routes[req.path];
      if (!route) return failure(404, 'NotFound', `no route for ${req.path}`);
      const verbs = req.path === '/ai/usage' ? ['GET', 'POST'] : ['GET'];
      if (!verbs.includes(req.method)) return failure(405, 'NotSupported', `${req.method} is not supported on ${req.path}`);
      if (!signedIn(req)) return failure(401, 'Unauthorized', 'Not Authenticated');
      return route(req);
    },
    { port: options.port, latencyMs: options.latencyMs },
  );

  const sim = server as EvovoiceSimulator;
  Object.defineProperties(sim, {
    data: { value: data, enumerable: true },
    logins: { get: () => logins, enumerable: true },
    connectionConfig: {
      value: (name: string): EvovoiceConnectionConfig => ({ name, vendor: 'EVOVOICE', baseUrl: server.url, username, password }),
    },
    expireSessions: { value: () => sessions.clear() },
  });
  return sim;
}

/** ServiceStack's error body. */
function failure(status: number, errorCode: string, message: string, errors: unknown[] = []): SimResponse {
  return { status, body: { responseStatus: { errorCode, message, errors } } };
}

function invalidField(fieldName: string, message: string): SimResponse {
  return failure(400, 'ValidationException', message, [{ errorCode: 'Invalid', fieldName, message }]);
}

/** `page` 0-based, `countPerPage` 1..100 (100 when absent). */
function page<T>(req: SimRequest, items: readonly T[], itemsOnly: boolean): SimResponse {
  const pageText = req.query.get('page') ?? '0';
  const sizeText = req.query.get('countPerPage') ?? String(MAX_PAGE_SIZE);
  if (!/^\d+$/.test(pageText)) return invalidField('Page', `'Page' must be an integer of 0 or more, received '${pageText}'`);
  const size = /^\d+$/.test(sizeText) ? Number(sizeText) : NaN;
  if (!(size >= 1 && size <= MAX_PAGE_SIZE)) return invalidField('CountPerPage', `'CountPerPage' must be between 1 and ${MAX_PAGE_SIZE}, received '${sizeText}'`);
  const start = Number(pageText) * size;
  const slice = items.slice(start, start + size);
  return { status: 200, body: itemsOnly ? { items: slice } : { items: slice, totalCount: items.length, hasMorePages: start + size < items.length } };
}

/** Prefix sums per account and customer: minutes of days [0, i) at index i, so any range sums in O(1). */
interface RunningTotals {
  accounts: Map<string, Float64Array>;
  customers: Map<string, Float64Array>;
}

function runningTotals(data: EvovoiceSimData): RunningTotals {
  const prefix = (daily: readonly number[][]) => {
    const sums = new Float64Array(data.days.length + 1);
    for (let d = 0; d < data.days.length; d++) sums[d + 1] = sums[d] + daily.reduce((s, series) => s + series[d], 0);
    return sums;
  };
  const customers = new Map(data.customers.map((c) => [c.id, prefix([data.customerDailyMinutes[c.id] as number[]])]));
  const accounts = new Map(
    data.accounts.map((a) => {
      const series = data.customers.filter((c) => c.accountId === a.id).map((c) => data.customerDailyMinutes[c.id] as number[]);
      return [a.id, prefix([data.accountOwnDailyMinutes[a.id] as number[], ...series])];
    }),
  );
  return { accounts, customers };
}

/** GET (or POST) /ai/usage: rows for every account and customer with minutes in [startDate, endDate]. */
function aiUsage(req: SimRequest, data: EvovoiceSimData, totals: RunningTotals, pascalCase: boolean, ignoreFilters: boolean): SimResponse {
  const body = req.method === 'POST' ? ((jsonBody(req) ?? {}) as Record<string, unknown>) : {};
  const param = (camel: string, pascal: string) => {
    const value = req.query.get(camel) ?? req.query.get(pascal) ?? body[camel] ?? body[pascal];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const startText = param('startDate', 'StartDate');
  const endText = param('endDate', 'EndDate');
  const start = startText === undefined ? null : dayIndex(startText);
  const end = endText === undefined ? null : dayIndex(endText);
  if (start === null) return invalidField('StartDate', `'StartDate' is required as yyyy-mm-dd, received '${startText ?? ''}'`);
  if (end === null) return invalidField('EndDate', `'EndDate' is required as yyyy-mm-dd, received '${endText ?? ''}'`);
  if (end < start) return invalidField('EndDate', `'EndDate' must not be before 'StartDate'`);
  const accountId = ignoreFilters ? undefined : param('accountId', 'AccountId');
  const customerId = ignoreFilters ? undefined : param('customerId', 'CustomerId');

  // Both dates inclusive; days outside the seeded range have no minutes.
  const from = Math.max(0, start);
  const to = Math.min(data.days.length, end + 1);
  const minutes = (sums: Float64Array) => (from < to ? sums[to] - sums[from] : 0);
  const customers = data.customers.filter((c) => (accountId === undefined || c.accountId === accountId) && (customerId === undefined || c.id === customerId));
  // A customer filter narrows the account rows to that customer's account (its whole total).
  const accountIds = customerId === undefined ? null : new Set(customers.map((c) => c.accountId));
  const accounts = data.accounts.filter((a) => (accountId === undefined || a.id === accountId) && (accountIds === null || accountIds.has(a.id)));

  const accountUsage = accounts
    .map((a) => ({ accountId: a.id, aiMinutes: minutes(totals.accounts.get(a.id)!) }))
    .filter((row) => row.aiMinutes > 0);
  const customerUsage = customers
    .map((c) => ({ accountId: c.accountId, customerId: c.id, aiMinutes: minutes(totals.customers.get(c.id)!) }))
    .filter((row) => row.aiMinutes > 0);
  const answer = pascalCase
    ? {
        AccountUsage: accountUsage.map((r) => ({ AccountId: r.accountId, AIMinutes: r.aiMinutes })),
        CustomerUsage: customerUsage.map((r) => ({ AccountId: r.accountId, CustomerId: r.customerId, AIMinutes: r.aiMinutes })),
      }
    : { accountUsage, customerUsage };
  return { status: 200, body: answer };
}

/** Days since 2025-01-01 of a valid `YYYY-MM-DD` (negative before it), or null. */
function dayIndex(text: string): number | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return (time - FIRST_DAY) / DAY_MS;
}

const NAMES = ['Acme', 'Blue Harbor', 'Cedar', 'Delta', 'Evergreen', 'Foxglove', 'Granite', 'Helix', 'Ivory', 'Juniper', 'Kestrel', 'Lumen'];
const KINDS = ['Dental', 'Realty', 'Clinic', 'Logistics', 'Insurance', 'Legal', 'Auto', 'Hotels'];

/**
 * Accounts and customers come from one generator (their number never depends on `until`);
 * each day's minutes from a generator of its own (seededRandomFor), so a past day's
 * figures stay the same whatever day the simulator starts on.
 */
function seedData(seed: number, until: Date, accountCount: number): EvovoiceSimData {
  const random = seededRandom(seed);
  const dayCount = Math.max(0, Math.floor((until.getTime() - FIRST_DAY) / DAY_MS) + 1);
  const days = Array.from({ length: dayCount }, (_, d) => new Date(FIRST_DAY + d * DAY_MS).toISOString().slice(0, 10));
  const accounts: EvovoiceSimAccount[] = [];
  const customers: EvovoiceSimCustomer[] = [];
  const customerDailyMinutes: Record<string, number[]> = {};
  const accountOwnDailyMinutes: Record<string, number[]> = {};
  let series = 0;
  for (let a = 0; a < accountCount; a++) {
    const account = { id: guid(random), name: `${random.pick(NAMES)} Voice ${a + 1}` };
    accounts.push(account);
    accountOwnDailyMinutes[account.id] = dailySeries(seed, series++, dayCount, 0, 25);
    const customerCount = random.int(2, 6);
    for (let c = 0; c < customerCount; c++) {
      const customer = { id: guid(random), accountId: account.id, name: `${random.pick(NAMES)} ${random.pick(KINDS)} ${a + 1}.${c + 1}` };
      customers.push(customer);
      customerDailyMinutes[customer.id] = dailySeries(seed, series++, dayCount, random.int(0, FIRST_CUSTOMER_DAYS), random.int(20, 400));
    }
  }
  return { days, accounts, customers, customerDailyMinutes, accountOwnDailyMinutes };
}

/** Customers start on one of the first this-many days of the data. */
const FIRST_CUSTOMER_DAYS = 365;

/** Whole minutes per day: none before `startDay`, about `mean` on weekdays, a quarter of it at weekends. */
function dailySeries(seed: number, series: number, dayCount: number, startDay: number, mean: number): number[] {
  return Array.from({ length: dayCount }, (_, d) => {
    if (d < startDay) return 0;
    const weekday = new Date(FIRST_DAY + d * DAY_MS).getUTCDay();
    const level = weekday === 0 || weekday === 6 ? mean / 4 : mean;
    return Math.round(level * (0.5 + seededRandomFor(seed, series, d).next()));
  });
}

function guid(random: SeededRandom): string {
  const hex = random.id(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
