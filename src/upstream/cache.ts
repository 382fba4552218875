import { createHash } from 'node:crypto';
import { createClient } from '@keyv/redis';
import type { CacheConfig } from '../config/schema';
import type { Logger } from '../logger';
import { MemoryTier, type Stored } from './memory-tier';
import { silentObserver, type UpstreamObserver } from './observer';

/** A vendor answer as kept in the shared cache (2xx only). */
export interface CachedResponse {
  status: number;
  text: string;
  fetchedAt: string;
}

/** A cached value and whether it is still fresh; a stale one is only for serving when the vendor fails. */
export interface CacheEntry<T> {
  value: T;
  fresh: boolean;
}

/**
 * The cache shared by every request and, with Redis, every replica, in two
 * tiers: an in-process tier bounded in bytes in front of Redis. It can never
 * fail a request: an error or a slow answer is a miss, logged, and every
 * Redis call has a deadline so a stuck Redis cannot hang a query. Keys are
 * built by the callers and scoped by a hash of the credentials
 * (`connectionScope`). Entries are plain JSON-able objects; each caller reads
 * back the shape it wrote under its keys.
 */
export interface SharedCache {
  /** A fresh value, or undefined. */
  get<T extends object>(key: string): Promise<T | undefined>;
  /** A fresh value, or one expired less than its stale window ago, or undefined. */
  getEntry<T extends object>(key: string): Promise<CacheEntry<T> | undefined>;
  /** Keeps `value` fresh for `ttlSeconds`, then for `staleSeconds` more as a stale fallback. */
  set(key: string, value: object, ttlSeconds: number, staleSeconds?: number): Promise<void>;
  /** For /readyz: whether a shared tier is configured and answering. */
  status(): CacheStatus;
  close(): Promise<void>;
}

export interface CacheStatus {
  memoryBytes: number;
  redis: 'not configured' | 'connected' | 'unavailable';
}

export interface SharedCacheOptions {
  logger: Logger;
  observer?: UpstreamObserver;
}

/**
 * Makes the cache and, with Redis, connects during start-up (waiting at most
 * `connectTimeoutMs`, so a request never pays for the connection set-up).
 * Without Redis answering the server still starts: the memory tier serves,
 * and the client keeps reconnecting in the background.
 */
export async function createSharedCache(config: CacheConfig, options: SharedCacheOptions): Promise<SharedCache> {
  const { logger } = options;
  const observer = options.observer ?? silentObserver;
  const memory = new MemoryTier(config.maxBytes, config.maxEntries);
  const redis = config.url.startsWith('memory://') ? null : await connectRedis(config, logger);
  const prefix = `${config.namespace}:`;

  const fromRedis = async (key: string): Promise<Stored | undefined> => {
    if (!redis) return undefined;
    const text = await redis.call((client) => client.get(prefix + key), null);
    if (text === undefined) {
      observer.report({ kind: 'cache', cache: cacheOfKey(key), tier: 'redis', result: 'error' });
      return undefined;
    }
    if (text === null) return undefined;
    try {
      const stored = JSON.parse(text) as Stored;
      memory.set(key, stored, text.length);
      return stored;
    } catch {
      observer.report({ kind: 'cache', cache: cacheOfKey(key), tier: 'redis', result: 'error' });
      return undefined;
    }
  };

  const lookup = async (key: string): Promise<Stored | undefined> => {
    const now = Date.now();
    const local = memory.get(key, now);
    if (local && local.freshUntil > now) {
      observer.report({ kind: 'cache', cache: cacheOfKey(key), tier: 'memory', result: 'hit' });
      return local;
    }
    // A stale local entry may have been refreshed by another replica: ask Redis before settling for it.
    const shared = await fromRedis(key);
    const found = shared && shared.expiresAt > Date.now() ? shared : local;
    if (redis) observer.report({ kind: 'cache', cache: cacheOfKey(key), tier: 'redis', result: !shared ? 'miss' : shared.freshUntil > Date.now() ? 'hit' : 'stale' });
    else observer.report({ kind: 'cache', cache: cacheOfKey(key), tier: 'memory', result: local ? 'stale' : 'miss' });
    return found;
  };

  return {
    async get<T extends object>(key: string) {
      const found = await lookup(key);
      return found && found.freshUntil > Date.now() ? (found.value as T) : undefined;
    },
    async getEntry<T extends object>(key: string) {
      const found = await lookup(key);
      return found ? { value: found.value as T, fresh: found.freshUntil > Date.now() } : undefined;
    },
    async set(key, value, ttlSeconds, staleSeconds = 0) {
      const now = Date.now();
      const stored: Stored = { value, freshUntil: now + ttlSeconds * 1000, expiresAt: now + (ttlSeconds + staleSeconds) * 1000 };
      const text = JSON.stringify(stored);
      memory.set(key, stored, text.length);
      if (!redis) return;
      const written = await redis.call((client) => client.set(prefix + key, text, { PX: (ttlSeconds + staleSeconds) * 1000 }), null);
      if (written === undefined) observer.report({ kind: 'cache', cache: cacheOfKey(key), tier: 'redis', result: 'error' });
    },
    status: () => ({ memoryBytes: memory.bytes, redis: redis === null ? 'not configured' : redis.ready() ? 'connected' : 'unavailable' }),
    close: async () => {
      memory.clear();
      await redis?.close();
    },
  };
}

type RedisClient = ReturnType<typeof createClient>;

interface RedisLink {
  /** The call's answer, or undefined when Redis is not connected or did not answer within the deadline. */
  call<T>(fn: (client: RedisClient) => Promise<T>, fallback: null): Promise<T | undefined>;
  ready(): boolean;
  close(): Promise<void>;
}

/**
 * The Redis connection. Calls are made only while it is ready: while it is
 * down they are misses at once (the offline queue is off, so nothing piles up)
 * and the client reconnects in the background. There is no "rest after a
 * failure": a slow answer is one miss, and a deadline that fires late because
 * the event loop was busy gives the answer, already in the socket, one more
 * turn before it counts as a miss. The deadline is callTimeoutMs, stretched to
 * four times the typical answer time on a loaded machine (at most ten times).
 */
async function connectRedis(config: CacheConfig, logger: Logger): Promise<RedisLink> {
  const client: RedisClient = createClient({
    url: config.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: config.connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn('shared cache unavailable; serving from the in-process tier and vendors', { error: err.message });
  });
  client.on('ready', () => {
    if (down) logger.info('shared cache connected again');
    down = false;
  });
  const connecting = client.connect().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([connecting.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), config.connectTimeoutMs)))]);
  clearTimeout(timer);
  if (!waited || !client.isReady) logger.warn('shared cache not connected at start-up; starting without it and reconnecting in the background', {});

  // Typical latency of a Redis answer as this process sees it (event-loop lag included), so the
  // deadline stretches on a loaded machine instead of turning every read into a miss.
  let typicalMs = 0;
  const deadlineMs = () => Math.min(Math.max(config.callTimeoutMs, 4 * typicalMs), 10 * config.callTimeoutMs);

  return {
    async call(fn) {
      if (!client.isReady) return undefined;
      const started = Date.now();
      let settled = false;
      const call = fn(client).then(
        (value) => {
          settled = true;
          typicalMs = typicalMs === 0 ? Date.now() - started : 0.8 * typicalMs + 0.2 * (Date.now() - started);
          return value;
        },
        () => {
          settled = true;
          return undefined;
        },
      );
      const deadline = new Promise<undefined>((resolve) => {
        const t = setTimeout(() => {
          // Timers run before the poll phase: an answer that arrived while the loop was busy is read
          // there, so look again after it (setImmediate) before calling this a miss.
          setImmediate(() => resolve(undefined));
        }, deadlineMs());
        void call.finally(() => clearTimeout(t));
      });
      const value = await Promise.race([call, deadline]);
      return settled ? value : undefined;
    },
    ready: () => client.isReady,
    async close() {
      if (client.isReady) {
        let t: NodeJS.Timeout | undefined;
        const quit = await Promise.race([client.close().then(() => true, () => false), new Promise<boolean>((r) => (t = setTimeout(() => r(false), 1000)))]);
        clearTimeout(t);
        if (quit) return;
      }
      try {
        client.destroy();
      } catch {
        // Already closed.
      }
    },
  };
}

/**
 * A connection's part of every cache key: its name and a hash of everything
 * that decides what the vendor answers (base URL and credentials). Rotated or
 * different credentials give other keys; no secret is ever in a key in clear.
 */
export function connectionScope(connection: { name: string; vendor: string } & Record<string, unknown>): string {
  const identity = createHash('sha256').update(JSON.stringify(connection)).digest('hex').slice(0, 16);
  return `${connection.vendor}:${connection.name}:${identity}`;
}

/** The key of one vendor request: the connection scope and a hash of method, URL and body (never headers: tokens rotate). */
export function requestKey(scope: string, method: string, url: string, body: string | undefined): string {
  return `${scope}:${createHash('sha256').update(`${method} ${url}\n${body ?? ''}`).digest('hex')}`;
}

/** Which cache a key belongs to, for the observer (metrics): whole responses, vendor answers (keyed by connection scope) or other entries (APQ). */
function cacheOfKey(key: string): 'vendor_answers' | 'responses' | 'other' {
  if (key.startsWith('response:')) return 'responses';
  return /^[A-Z_]+:[^:]+:[0-9a-f]{16}:/.test(key) ? 'vendor_answers' : 'other';
}
