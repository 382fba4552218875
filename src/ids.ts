import { BadUserInputError } from './errors';

/**
 * Global ids and cursors. Both are opaque to clients (base64url of a small
 * JSON array) so we can change what is inside without breaking anyone.
 */
export type NodeKind = 'VendorConnection' | 'Organisation' | 'Account' | 'Bot' | 'BillingSession';

export interface NodeRef {
  kind: NodeKind;
  connection: string;
  /** Empty for a VendorConnection. */
  externalId: string;
  /** BillingSession only: the bot it belongs to. */
  botExternalId?: string;
}

export function encodeId(ref: NodeRef): string {
  const parts = [ref.kind, ref.connection, ref.externalId, ...(ref.botExternalId ? [ref.botExternalId] : [])];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

const KINDS = new Set<NodeKind>(['VendorConnection', 'Organisation', 'Account', 'Bot', 'BillingSession']);

/** Decodes a global id; null when it is not one of ours. */
export function decodeId(id: string): NodeRef | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    if (!Array.isArray(parts) || parts.length < 3 || !parts.every((p) => typeof p === 'string')) return null;
    const [kind, connection, externalId, botExternalId] = parts as string[];
    if (!KINDS.has(kind as NodeKind)) return null;
    return { kind: kind as NodeKind, connection, externalId, ...(botExternalId ? { botExternalId } : {}) };
  } catch {
    return null;
  }
}

/** Decodes ids the caller passed for `field`, requiring one kind; a wrong id is BAD_USER_INPUT naming the field. */
export function decodeIdsOf(kind: NodeKind, ids: readonly string[], field: string): NodeRef[] {
  return ids.map((id, i) => {
    const ref = decodeId(id);
    if (!ref || ref.kind !== kind) throw new BadUserInputError(`${field}[${i}] is not an ${kind} id: "${id}"`, `${field}[${i}]`);
    return ref;
  });
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify(['o', offset])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): number {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts[0] === 'o' && Number.isInteger(parts[1]) && parts[1] >= 0) return parts[1] as number;
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError(`${field} is not a cursor this API issued: "${cursor}"`, field);
}

/** The most items one page may ask for. */
export const MAX_PAGE_SIZE = 500;

/** Slices an in-memory list into a Relay page. */
export function paginate<T>(items: readonly T[], first: number, after: string | null | undefined) {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}, received ${first}`, 'first');
  }
  const start = after ? decodeCursor(after) + 1 : 0;
  const page = items.slice(start, start + first);
  const edges = page.map((node, i) => ({ cursor: encodeCursor(start + i), node }));
  return {
    edges,
    pageInfo: { hasNextPage: start + first < items.length, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: items.length,
  };
}
