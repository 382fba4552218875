import type { ServerResponse } from 'node:http';
import type { Context } from '../context';
import { AppError, BadUserInputError, ErrorCode } from '../errors';
import type { VendorConnector } from '../vendors/types';

/** What an export handler is given: the caller's context (same scope and loaders as GraphQL) and its query parameters. */
export interface ExportRequest {
  ctx: Context;
  params: URLSearchParams;
  res: ServerResponse;
  connectors: ReadonlyMap<string, VendorConnector>;
}

export type ExportHandler = (request: ExportRequest) => Promise<void>;

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UPSTREAM_TIMEOUT: 504,
};

/**
 * An error before the first byte: a status and a JSON body with the stable code
 * and our own message (a vendor failure is 502). After the first byte there is
 * no status left to set: the response is aborted, so a client never mistakes a
 * cut-off file for a complete one.
 */
export function failExport(res: ServerResponse, ctx: Context, err: unknown): void {
  if (res.headersSent) {
    ctx.logger.warn('export aborted after its first byte', { error: err instanceof AppError ? err.code : (err as Error).message });
    res.destroy(err as Error);
    return;
  }
  const known = err instanceof AppError;
  if (!known) ctx.logger.error('export failed', { error: (err as Error)?.stack ?? String(err) });
  const code = known ? err.code : ErrorCode.INTERNAL_SERVER_ERROR;
  const status = STATUS[code] ?? (code.startsWith('UPSTREAM_') ? 502 : 500);
  const body = { error: { code, message: known ? err.message : 'internal error', ...(err instanceof BadUserInputError ? { parameter: err.field } : {}) } };
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `name=a&name=b` and `name=a,b` alike; null when absent. */
export function listParam(params: URLSearchParams, name: string): string[] | null {
  const values = params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return values.length ? values : null;
}

/** A list parameter of enum values; a value outside the enum is a 400 naming the parameter. */
export function enumListParam<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] | null {
  const values = listParam(params, name);
  values?.forEach((v, i) => {
    if (!(allowed as readonly string[]).includes(v.toUpperCase())) {
      throw new BadUserInputError(`${name}[${i}] must be one of ${allowed.join(', ')}, received "${v}"`, name);
    }
  });
  return values ? values.map((v) => v.toUpperCase() as T) : null;
}

/** A required single parameter. */
export function requiredParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value.trim() === '') throw new BadUserInputError(`the query parameter ${name} is required`, name);
  return value.trim();
}

/** Rejects parameters the export does not know, so a typo is not silently ignored. */
export function assertKnownParams(params: URLSearchParams, known: readonly string[]): void {
  for (const name of params.keys()) {
    if (!known.includes(name)) throw new BadUserInputError(`unknown query parameter ${name}; known: ${known.join(', ')}`, name);
  }
}

/** Headers of a CSV attachment; the file name is made of safe characters only. */
export function csvHeaders(fileName: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'cache-control': 'no-store',
  };
}
