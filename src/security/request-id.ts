import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A caller's request id is used when it is this tame: it ends up in log lines and a response header. */
const SANE = /^[A-Za-z0-9._-]{1,64}$/;

const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The request's id: the caller's `x-request-id` when it is sane, otherwise a
 * new UUID. Decided once per request (the guard and the route ask the same
 * question) and returned to the caller as the `x-request-id` response header.
 */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  let id = assigned.get(req);
  if (id === undefined) {
    const offered = req.headers['x-request-id'];
    id = typeof offered === 'string' && SANE.test(offered) ? offered : randomUUID();
    assigned.set(req, id);
    if (!res.headersSent) res.setHeader('x-request-id', id);
  }
  return id;
}
