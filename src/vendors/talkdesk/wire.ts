import { z } from 'zod';
import { isMonth } from '../../usage/month';

/**
 * Talkdesk's JSON, as the vendor sends it (contract: Billing Insights, seed 003).
 * Enum-like fields stay plain strings here: map.ts decides what an unknown value means.
 * Each parse function throws a plain Error naming the path and the expected type,
 * never a value from the body.
 */

/** POST {tokenUrl}: an OAuth2 client-credentials token. */
export interface TalkdeskTokenWire {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** A HAL link. */
export interface TalkdeskLinkWire {
  href: string;
}

/** HAL links; `next` is absent on the last page. */
export interface TalkdeskLinksWire {
  self?: TalkdeskLinkWire;
  first?: TalkdeskLinkWire;
  last?: TalkdeskLinkWire;
  next?: TalkdeskLinkWire;
  prev?: TalkdeskLinkWire;
}

/** The paging fields of a HAL page; Talkdesk documents them but the connector survives their absence. */
export interface TalkdeskPagingWire {
  total?: number;
  count?: number;
  page?: number;
  per_page?: number;
  total_pages?: number;
  _links: TalkdeskLinksWire;
}

/** An account under the caller's organisation. */
export interface TalkdeskAccountWire {
  id: string;
  name: string | null;
  company_name?: string | null;
  status?: string | null;
}

/** One page of GET /express/accounts. */
export interface TalkdeskAccountsPageWire extends TalkdeskPagingWire {
  _embedded: { accounts: TalkdeskAccountWire[] };
}

/** One product's usage of one account in one month. */
export interface TalkdeskUsageWire {
  id: string;
  account_id: string;
  product_id: string | null;
  aggr_product_id: string | null;
  /** `YYYY-MM`. */
  month: string;
  /** `OTHER` when the vendor leaves it out. */
  type: string;
  description: string | null;
  currency: string | null;
  direction: string | null;
  resolution: string | null;
  unit: string;
  price: number | null;
  wallet_name: string | null;
  number_of_units: number;
  /** Money is never guessed: it may be null, but not left out. */
  total_amount: number | null;
}

/** One page of GET /express/usage/month. */
export interface TalkdeskUsagePageWire extends TalkdeskPagingWire {
  _embedded: { usage: TalkdeskUsageWire[] };
}

/** Talkdesk's error body (400, 401, 403). */
export interface TalkdeskErrorWire {
  code: string;
  message: string;
  description?: string;
  fields?: Array<{ name: string; description: string }>;
}

const link = z.object({ href: z.string() });
// Extra links (seed 003 also lists `show`) and extra fields anywhere are ignored.
const links: z.ZodType<TalkdeskLinksWire> = z.object({
  self: link.optional(),
  first: link.optional(),
  last: link.optional(),
  next: link.optional(),
  prev: link.optional(),
});
const count = z.number().int().nonnegative();
const paging = {
  total: count.optional(),
  count: count.optional(),
  page: count.optional(),
  per_page: count.optional(),
  total_pages: count.optional(),
  // Absent links are no evidence either way: paging then goes by totals or a full page.
  _links: links.optional().transform((l) => l ?? {}),
};

const tokenSchema: z.ZodType<TalkdeskTokenWire> = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'expected token_type Bearer'),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
});

/** A documented nullable field may also be absent; `withNulls` reads it as null after the check (no zod transform: 100,000 records parse fast). */
const nullish = <T extends z.ZodTypeAny>(schema: T) => schema.nullish();
const USAGE_NULLABLES = ['product_id', 'aggr_product_id', 'description', 'currency', 'direction', 'resolution', 'price', 'wallet_name'] as const;

function withNulls(record: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (record[key] === undefined) record[key] = null;
}

const accountSchema = z.object({
  id: z.string().min(1),
  name: nullish(z.string()),
  company_name: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
});

const accountsPageSchema = z.object({
  ...paging,
  _embedded: z.object({ accounts: z.array(accountSchema) }),
});

const finite = z.number().finite();
/**
 * Required are what places and counts a record (id, account, month, unit, quantity) and its
 * money (`total_amount`, which may be null but not left out: money is never guessed).
 * Everything descriptive may be absent and reads as null; `type` absent reads as OTHER.
 */
const usageSchema = z.object({
  id: z.string().min(1),
  account_id: z.string().min(1),
  product_id: nullish(z.string()),
  aggr_product_id: nullish(z.string()),
  month: z.string().refine(isMonth, 'expected a month as YYYY-MM'),
  type: z.string().optional(),
  description: nullish(z.string()),
  currency: nullish(z.string()),
  direction: nullish(z.string()),
  resolution: nullish(z.string()),
  unit: z.string(),
  price: nullish(finite),
  wallet_name: nullish(z.string()),
  number_of_units: finite,
  total_amount: finite.nullable(),
});

const usagePageSchema = z.object({
  ...paging,
  _embedded: z.object({ usage: z.array(usageSchema) }),
});

function parseWith<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, what: string, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new Error(`${what} has an unexpected shape (${issues.join('; ')})`);
}

/** Checks a token response. */
export const parseTokenWire = (body: unknown): TalkdeskTokenWire => parseWith(tokenSchema, 'token response', body);

/** Checks one page of GET /express/accounts. */
export function parseAccountsPageWire(body: unknown): TalkdeskAccountsPageWire {
  const page = parseWith(accountsPageSchema, 'accounts page', body);
  for (const a of page._embedded.accounts) withNulls(a, ['name']);
  return page as TalkdeskAccountsPageWire;
}

/** Checks one page of GET /express/usage/month. */
export function parseUsagePageWire(body: unknown): TalkdeskUsagePageWire {
  const page = parseWith(usagePageSchema, 'usage page', body);
  for (const u of page._embedded.usage) {
    withNulls(u, USAGE_NULLABLES);
    u.type ??= 'OTHER';
  }
  return page as TalkdeskUsagePageWire;
}

/** The vendor's own error code from an error body, for logs and error messages (never its message). */
export function talkdeskErrorCode(body: unknown): string | undefined {
  const code = (body as Partial<TalkdeskErrorWire> | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
