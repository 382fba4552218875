/**
 * Evovoice's JSON shapes (a ServiceStack API) and the checks that turn an
 * unknown body into them. ServiceStack serialises in camelCase by default but
 * the seed documents PascalCase names (`AccountUsage`, `AIMinutes`); both are
 * accepted here, so everything after this file sees camelCase only.
 */

/** `{"responseStatus":{"errorCode","message","errors"}}`: the body of every error. */
export interface ErrorWire {
  responseStatus: { errorCode: string; message?: string; errors?: unknown[] };
}

export interface AccountWire {
  id: string;
  name: string | null;
}

export interface CustomerWire {
  id: string;
  accountId: string;
  name: string | null;
}

/** One page of `/accounts` or `/customers`; `totalCount` and `hasMorePages` may each be absent (null). */
export interface PageWire<T> {
  items: T[];
  totalCount: number | null;
  hasMorePages: boolean | null;
}

export interface AccountUsageWire {
  accountId: string;
  /** Minutes over the requested range; an integer per the vendor, kept as sent. */
  aiMinutes: number;
}

export interface CustomerUsageWire {
  accountId: string;
  customerId: string;
  aiMinutes: number;
}

/** `/ai/usage`: the account totals (which include their customers) and the customer rows, separately. */
export interface AIUsageWire {
  accountUsage: AccountUsageWire[];
  customerUsage: CustomerUsageWire[];
}

type Json = Record<string, unknown>;

/** The vendor's error code from an error body, or undefined when the body is not an Evovoice error. */
export function vendorErrorCode(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const status = field(body, 'responseStatus', 'ResponseStatus');
  if (!isObject(status)) return undefined;
  const code = field(status, 'errorCode', 'ErrorCode');
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** Checks a `/accounts` page; throws an Error naming the first mismatch. */
export function parseAccountsPage(body: unknown): PageWire<AccountWire> {
  return parsePage(body, 'accounts', (item, at) => ({
    id: requireString(item, at, 'id', 'Id'),
    name: optionalString(item, at, 'name', 'Name'),
  }));
}

/** Checks a `/customers` page; throws an Error naming the first mismatch. */
export function parseCustomersPage(body: unknown): PageWire<CustomerWire> {
  return parsePage(body, 'customers', (item, at) => ({
    id: requireString(item, at, 'id', 'Id'),
    accountId: requireString(item, at, 'accountId', 'AccountId'),
    name: optionalString(item, at, 'name', 'Name'),
  }));
}

/**
 * Checks an `/ai/usage` body in either letter case. ServiceStack omits a null
 * list, so a missing `accountUsage`/`customerUsage` is an empty one.
 */
export function parseAIUsage(body: unknown): AIUsageWire {
  const root = requireObject(body, 'body');
  return {
    accountUsage: optionalList(root, 'body', 'accountUsage', 'AccountUsage').map((row, i) => ({
      accountId: requireString(row, `accountUsage[${i}]`, 'accountId', 'AccountId'),
      aiMinutes: requireMinutes(row, `accountUsage[${i}]`),
    })),
    customerUsage: optionalList(root, 'body', 'customerUsage', 'CustomerUsage').map((row, i) => ({
      accountId: requireString(row, `customerUsage[${i}]`, 'accountId', 'AccountId'),
      customerId: requireString(row, `customerUsage[${i}]`, 'customerId', 'CustomerId'),
      aiMinutes: requireMinutes(row, `customerUsage[${i}]`),
    })),
  };
}

function parsePage<T>(body: unknown, what: string, item: (value: Json, at: string) => T): PageWire<T> {
  const root = requireObject(body, 'body');
  const items = field(root, 'items', 'Items');
  if (!Array.isArray(items)) throw new Error(`expected ${what} page "items" to be an array, received ${kind(items)}`);
  const totalCount = field(root, 'totalCount', 'TotalCount');
  if (totalCount !== undefined && totalCount !== null && !isCount(totalCount)) {
    throw new Error(`expected "totalCount" to be a non-negative integer, received ${kind(totalCount)}`);
  }
  const hasMorePages = field(root, 'hasMorePages', 'HasMorePages');
  if (hasMorePages !== undefined && hasMorePages !== null && typeof hasMorePages !== 'boolean') {
    throw new Error(`expected "hasMorePages" to be a boolean, received ${kind(hasMorePages)}`);
  }
  return {
    items: items.map((value, i) => item(requireObject(value, `items[${i}]`), `items[${i}]`)),
    totalCount: isCount(totalCount) ? totalCount : null,
    hasMorePages: typeof hasMorePages === 'boolean' ? hasMorePages : null,
  };
}

function optionalList(root: Json, at: string, camel: string, pascal: string): Json[] {
  const list = field(root, camel, pascal);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`expected ${at} "${camel}" to be an array, received ${kind(list)}`);
  return list.map((value, i) => requireObject(value, `${camel}[${i}]`));
}

function requireMinutes(row: Json, at: string): number {
  const minutes = field(row, 'aiMinutes', 'AIMinutes');
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) {
    throw new Error(`expected ${at} "aiMinutes" to be a number, received ${kind(minutes)}`);
  }
  return minutes;
}

function requireString(row: Json, at: string, camel: string, pascal: string): string {
  const value = field(row, camel, pascal);
  if (typeof value !== 'string' || value === '') throw new Error(`expected ${at} "${camel}" to be a non-empty string, received ${kind(value)}`);
  return value;
}

function optionalString(row: Json, at: string, camel: string, pascal: string): string | null {
  const value = field(row, camel, pascal);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Error(`expected ${at} "${camel}" to be a string, received ${kind(value)}`);
  return value;
}

function requireObject(value: unknown, at: string): Json {
  if (!isObject(value)) throw new Error(`expected ${at} to be an object, received ${kind(value)}`);
  return value;
}

/** Reads a field by its camelCase name, falling back to the PascalCase one. */
function field(obj: Json, camel: string, pascal: string): unknown {
  return obj[camel] !== undefined ? obj[camel] : obj[pascal];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The type of a mismatching value, never the value itself (it may be a vendor secret or body). */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'undefined' ? 'nothing' : `a ${typeof value}`;
}
