import type { ServerResponse } from 'node:http';
import type { AppError } from '../errors';

/**
 * Answers a refused request itself, shaped like a GraphQL response (`errors`
 * with `extensions.code`, no `data`) so GraphQL clients and plain HTTP
 * callers read it the same way.
 */
export function sendRefusal(res: ServerResponse, error: AppError, status: number, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ errors: [{ message: error.message, extensions: { ...error.extensions } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}
