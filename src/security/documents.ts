import { createHash } from 'node:crypto';
import { Lexer, Source, TokenKind } from 'graphql';
import type { Principal } from '../context';
import { AppError, ErrorCode, OperationLimitError } from '../errors';
import type { TrustedDocuments } from './manifest';

/**
 * What a /graphql request asks to run, decided before Apollo parses anything:
 * - `documentId` (body field or GET parameter) and an APQ hash found in the
 *   trusted-document manifest become that document's text;
 * - an APQ hash sent with a document must be the document's sha256 (400 otherwise);
 * - a `persistedOnly` client may run manifest documents only (PERSISTED_QUERY_NOT_FOUND);
 * - a document of more than `maxTokens` tokens is refused, counted by the
 *   lexer alone, so no AST is ever built for it.
 * The rest (APQ hashes of the shared store, parsing, validation) is Apollo's.
 */
export interface GraphQLParams {
  query?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

/** The params to hand to Apollo, or the refusal to answer with its HTTP status. */
export type Prepared = { ok: true; params: GraphQLParams } | { ok: false; error: AppError; status: number };

export interface DocumentGateOptions {
  trusted: TrustedDocuments | null;
  maxTokens: number;
}

export function prepareDocument(principal: Principal, params: GraphQLParams, options: DocumentGateOptions): Prepared {
  const { trusted, maxTokens } = options;
  let { query } = params;
  const { persistedQuery, ...otherExtensions } = isRecord(params.extensions) ? params.extensions : {};
  let extensions = params.extensions;
  let fromManifest = false;

  if (params.documentId !== undefined) {
    const text = typeof params.documentId === 'string' ? trusted?.get(params.documentId) : undefined;
    if (text === undefined) return refuse(`No trusted document has the documentId ${JSON.stringify(params.documentId)}.`, ErrorCode.PERSISTED_QUERY_NOT_FOUND);
    query = text;
    extensions = otherExtensions;
    fromManifest = true;
  } else if (isRecord(persistedQuery) && typeof persistedQuery.sha256Hash === 'string') {
    const hash = persistedQuery.sha256Hash;
    if (persistedQuery.version !== 1) return refuse(`persistedQuery version ${JSON.stringify(persistedQuery.version)} is not supported; use 1.`, ErrorCode.BAD_REQUEST);
    if (typeof query === 'string') {
      if (createHash('sha256').update(query).digest('hex') !== hash) return refuse('persistedQuery.sha256Hash is not the sha256 of the query sent with it.', ErrorCode.BAD_REQUEST);
      fromManifest = trusted?.get(hash) !== undefined;
    } else {
      const text = trusted?.get(hash);
      if (text !== undefined) {
        // A trusted document needs no APQ store: it is run as if sent in full, also with apq: false.
        query = text;
        extensions = otherExtensions;
        fromManifest = true;
      }
    }
  }

  if (principal.persistedOnly && !fromManifest) {
    return refuse(`Client ${principal.name} may run only trusted documents (the persisted-document manifest); this is not one of them.`, ErrorCode.PERSISTED_QUERY_NOT_FOUND);
  }
  if (typeof query === 'string') {
    const tokens = countTokens(query, maxTokens);
    if (tokens > maxTokens) return { ok: false, error: new OperationLimitError(ErrorCode.TOO_MANY_TOKENS, 'Document tokens', maxTokens, tokens), status: 400 };
  }
  const { documentId: _id, query: _q, extensions: _e, ...rest } = params;
  // Keys left undefined stay absent: Apollo refuses a present `extensions` that is not an object.
  return { ok: true, params: { ...rest, ...(query !== undefined ? { query } : {}), ...(extensions !== undefined ? { extensions } : {}) } };
}

function refuse(message: string, code: ErrorCode): { ok: false; error: AppError; status: number } {
  return { ok: false, error: new AppError(message, code), status: 400 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tokens of a document as graphql-js's parser counts them (`parse(..., { maxTokens })`),
 * by lexing alone. Counting stops a long way past the limit: the figure reported is then
 * "at least this many", and a huge document costs no more than that.
 */
export function countTokens(query: string, limit: number): number {
  const lexer = new Lexer(new Source(query));
  const stopAt = limit * 100;
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF && count < stopAt) count++;
  } catch {
    // A syntax error: the tokens before it are counted; Apollo's parser reports the error.
  }
  return count;
}

/** The request as Apollo will see it: the (possibly rewritten) body or query string, or a refusal. */
export type PreparedHttp = { ok: true; body: unknown; search: string } | { ok: false; error: AppError; status: number };

/**
 * `prepareDocument` over an HTTP request: GET carries the params in the query
 * string (`extensions` as JSON), POST in a JSON object body. A body that is not
 * one object (a batch, say) is left to Apollo, which refuses it, except that a
 * persisted-only client is refused at once.
 */
export function prepareHttpRequest(principal: Principal, method: string, body: unknown, searchParams: URLSearchParams, options: DocumentGateOptions): PreparedHttp {
  if (method === 'GET') {
    const extensionsText = searchParams.get('extensions');
    let extensions: unknown = undefined;
    try {
      extensions = extensionsText === null ? undefined : JSON.parse(extensionsText);
    } catch {
      extensions = extensionsText; // Apollo answers the malformed parameter
    }
    const prepared = prepareDocument(principal, { query: searchParams.get('query') ?? undefined, extensions, documentId: searchParams.get('documentId') ?? undefined }, options);
    if (!prepared.ok) return prepared;
    const search = new URLSearchParams(searchParams);
    search.delete('documentId');
    if (typeof prepared.params.query === 'string') search.set('query', prepared.params.query);
    if (prepared.params.extensions !== extensions) {
      if (isRecord(prepared.params.extensions) && Object.keys(prepared.params.extensions).length > 0) search.set('extensions', JSON.stringify(prepared.params.extensions));
      else search.delete('extensions');
    }
    const text = search.toString();
    return { ok: true, body, search: text ? `?${text}` : '' };
  }
  const search = searchParams.toString() ? `?${searchParams.toString()}` : '';
  if (!isRecord(body)) {
    if (principal.persistedOnly) return refuse(`Client ${principal.name} may run only trusted documents, one per request.`, ErrorCode.PERSISTED_QUERY_NOT_FOUND);
    return { ok: true, body, search };
  }
  const prepared = prepareDocument(principal, body, options);
  return prepared.ok ? { ok: true, body: prepared.params, search } : prepared;
}
