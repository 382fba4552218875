import { createClient } from '@keyv/redis';
import type { CacheConfig } from '../config/schema';
import type { Logger } from '../logger';

export interface RateLimit {
  requests: number;
  perSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Requests per client in fixed windows of `perSeconds` (window n covers
 * [n*perSeconds, (n+1)*perSeconds) since the epoch, so replicas agree on it
 * without talking). With a Redis cache the count lives there, so replicas
 * share it: one INCR and PEXPIRE per request, atomic in a MULTI. Without
 * Redis, or while Redis is down or slow, each process counts for itself:
 * a limiter that blocked requests because its store is away would turn a
 * cache outage into an API outage.
 */
export interface RateLimiter {
  take(client: string, limit: RateLimit): Promise<RateDecision>;
  close(): Promise<void>;
}

/** Longest a Redis count may take before the request is counted locally. */
const REDIS_DEADLINE_MS = 250;
/** How long Redis is left alone after it failed. */
const REST_AFTER_FAILURE_MS = 5000;

export function createRateLimiter(cache: CacheConfig, logger: Logger, now: () => number = Date.now): RateLimiter {
  const local = localCounter();
  const shared = cache.url.startsWith('redis') ? redisCounter(cache.url, `${cache.namespace}:ratelimit`, logger) : null;
  return {
    async take(client, limit) {
      const windowMs = limit.perSeconds * 1000;
      const window = Math.floor(now() / windowMs);
      const key = `${client}:${limit.perSeconds}:${window}`;
      const count = (shared && (await shared.incr(key, windowMs))) ?? local.incr(key, window);
      if (count <= limit.requests) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * windowMs - now()) / 1000)) };
    },
    close: async () => {
      await shared?.close();
    },
  };
}

/** In-process counts; windows other than the current one are dropped as they pass. */
function localCounter() {
  const counts = new Map<string, { window: number; count: number }>();
  return {
    incr(key: string, window: number): number {
      const entry = counts.get(key) ?? { window, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
      if (counts.size > 1000) for (const [k, e] of counts) if (e.window < window) counts.delete(k);
      return entry.count;
    },
  };
}

/** Counts in Redis; null (count locally) when Redis fails or is slow, logged once per outage. */
function redisCounter(url: string, prefix: string, logger: Logger) {
  // No offline queue: while disconnected a command fails at once instead of waiting for a reconnection.
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) } });
  let restingUntil = 0;
  let down = false;
  const failed = (err: unknown) => {
    restingUntil = Date.now() + REST_AFTER_FAILURE_MS;
    if (!down) logger.warn('rate limiter: Redis unavailable; counting in this process until it answers again', { error: (err as Error)?.message ?? String(err) });
    down = true;
  };
  client.on('error', failed);
  // Connected on the first count: a server whose clients have no rate limit never opens it.
  let connecting: Promise<unknown> | null = null;
  return {
    async incr(key: string, windowMs: number): Promise<number | null> {
      if (Date.now() < restingUntil) return null;
      let timer: NodeJS.Timeout | undefined;
      try {
        // (Re)connect when the socket is closed; while it is reconnecting a command fails at once (no offline queue).
        if (!client.isOpen) connecting = client.connect().catch(failed);
        // The connection, too, is waited for only within the deadline: a first connect can retry for long.
        const replies = await Promise.race([
          connecting!.then(() => client.multi().incr(`${prefix}:${key}`).pExpire(`${prefix}:${key}`, windowMs * 2).exec()),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_DEADLINE_MS} ms`)), REDIS_DEADLINE_MS);
          }),
        ]);
        if (down) logger.info('rate limiter: Redis answers again; counting there');
        down = false;
        return Number(replies[0]);
      } catch (err) {
        failed(err);
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (!client.isOpen) return;
      await client.close().catch(() => client.destroy());
    },
  };
}
