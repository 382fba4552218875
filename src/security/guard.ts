import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../context';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import type { ApiKeys } from './api-keys';
import type { RateLimiter } from './rate-limit';
import { sendRefusal } from './refusal';
import { requestIdFor } from './request-id';

/**
 * The door of every data route (/graphql, exports, metrics): who is asking,
 * and whether they may ask now. Resolves the caller's Principal, or answers
 * the request itself (401 UNAUTHENTICATED, 429 RATE_LIMITED with Retry-After)
 * and resolves null, in which case the route does nothing more. It knows
 * nothing of GraphQL, so any route can use it.
 */
export type GuardRequest = (req: IncomingMessage, res: ServerResponse) => Promise<Principal | null>;

export function createGuard(keys: ApiKeys, limiter: RateLimiter, logger: Logger): GuardRequest {
  return async (req, res) => {
    const requestId = requestIdFor(req, res);
    const principal = keys.authenticate(req.headers);
    if (principal === null) {
      logger.info('request refused: no valid API key', { requestId, path: pathOf(req) });
      sendRefusal(
        res,
        new AppError('This API needs a valid API key: send it as the x-api-key header or as Authorization: Bearer <key>.', ErrorCode.UNAUTHENTICATED),
        401,
        { 'www-authenticate': 'Bearer' },
      );
      return null;
    }
    if (principal.rateLimit) {
      const decision = await limiter.take(principal.name, principal.rateLimit);
      if (!decision.allowed) {
        const { requests, perSeconds } = principal.rateLimit;
        logger.info('request refused: rate limit', { requestId, client: principal.name });
        sendRefusal(
          res,
          new AppError(`Rate limit of ${requests} requests per ${perSeconds} s reached; retry in ${decision.retryAfterSeconds} s.`, ErrorCode.RATE_LIMITED, {
            limit: requests,
            perSeconds,
            retryAfterSeconds: decision.retryAfterSeconds,
          }),
          429,
          { 'retry-after': String(decision.retryAfterSeconds) },
        );
        return null;
      }
    }
    return principal;
  };
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0];
}
