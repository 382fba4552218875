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
  type: string;
  description: string | null;
  currency: string | null;
  direction: string | null;
  resolution: string | null;
  unit: string;
  price: number | null;
  wallet_name: string | null;
  number_of_units: number;
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
  _links: links,
};

const tokenSchema: z.ZodType<TalkdeskTokenWire> = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'expected token_type Bearer'),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
});

const accountSchema: z.ZodType<TalkdeskAccountWire> = z.object({
  id: z.string().min(1),
  name: z.string().nullable(),
  company_name: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
});

const accountsPageSchema: z.ZodType<TalkdeskAccountsPageWire> = z.object({
  ...paging,
  _embedded: z.object({ accounts: z.array(accountSchema) }),
});

const finite = z.number().finite();
const usageSchema: z.ZodType<TalkdeskUsageWire> = z.object({
  id: z.string().min(1),
  account_id: z.string().min(1),
  product_id: z.string().nullable(),
  aggr_product_id: z.string().nullable(),
  month: z.string().refine(isMonth, 'expected a month as YYYY-MM'),
  type: z.string(),
  description: z.string().nullable(),
  currency: z.string().nullable(),
  direction: z.string().nullable(),
  resolution: z.string().nullable(),
  unit: z.string(),
  price: finite.nullable(),
  wallet_name: z.string().nullable(),
  number_of_units: finite,
  total_amount: finite.nullable(),
});

const usagePageSchema: z.ZodType<TalkdeskUsagePageWire> = z.object({
  ...paging,
  _embedded: z.object({ usage: z.array(usageSchema) }),
});

function parseWith<T>(schema: z.ZodType<T>, what: string, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new Error(`${what} has an unexpected shape (${issues.join('; ')})`);
}

/** Checks a token response. */
export const parseTokenWire = (body: unknown): TalkdeskTokenWire => parseWith(tokenSchema, 'token response', body);

/** Checks one page of GET /express/accounts. */
export const parseAccountsPageWire = (body: unknown): TalkdeskAccountsPageWire =>
  parseWith(accountsPageSchema, 'accounts page', body);

/** Checks one page of GET /express/usage/month. */
export const parseUsagePageWire = (body: unknown): TalkdeskUsagePageWire => parseWith(usagePageSchema, 'usage page', body);

/** The vendor's own error code from an error body, for logs and error messages (never its message). */
export function talkdeskErrorCode(body: unknown): string | undefined {
  const code = (body as Partial<TalkdeskErrorWire> | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
