import { createHash } from 'node:crypto';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { LRUCache } from 'lru-cache';
import type { CacheConfig } from '../config/schema';
import type { Logger } from '../logger';
import { recordCache } from '../metrics';

/** A vendor answer as kept in the shared cache (2xx only). */
export interface CachedResponse {
  status: number;
  text: string;
  fetchedAt: string;
}

/**
 * The cache shared by every request and, with Redis, every replica. It can
 * never fail a request: an error or a slow answer is a miss, logged, and every
 * call has a deadline so a stuck Redis cannot hang a query. Entries are plain
 * JSON-able objects; each caller reads back the shape it wrote under its keys.
 */
export interface SharedCache {
  get<T extends object>(key: string): Promise<T | undefined>;
  set(key: string, value: object, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

/** What a read returns when the cache failed or rests: a miss to the caller, an error to the metrics. */
const UNAVAILABLE = Symbol('cache unavailable');

/** Which cache a key belongs to, for metrics: responses are keyed `response:`, vendor answers by connection scope. */
function cacheOfKey(key: string): string {
  return key.startsWith('response:') ? 'responses' : 'vendor_answers';
}

/** Longest a cache call may take before it counts as a miss. */
const CACHE_DEADLINE_MS = 250;
/** How long the cache is left alone after it failed. */
const REST_AFTER_FAILURE_MS = 5000;

export function createSharedCache(config: CacheConfig, logger: Logger): SharedCache {
  const store = config.url.startsWith('memory://')
    ? boundedMemoryStore(config.maxEntries)
    : new KeyvRedis(config.url, { throwOnConnectError: false, connectionTimeout: 1000 });
  const memory = config.url.startsWith('memory://');
  // In memory the entries are kept as objects, never serialised: a hit costs no parsing. Callers must not mutate them.
  const keyv = new Keyv<object>({ store, namespace: config.namespace, ...(memory ? { serialize: undefined, deserialize: undefined } : {}) });
  // After a failure the cache rests for a few seconds: calls are misses at once, so a Redis
  // outage costs one deadline, not one per vendor call.
  let restingUntil = 0;
  const failed = (err: unknown) => {
    const wasResting = Date.now() < restingUntil;
    restingUntil = Date.now() + REST_AFTER_FAILURE_MS;
    if (!wasResting) logger.warn('shared cache unavailable; serving from vendors', { error: (err as Error)?.message ?? String(err) });
  };
  keyv.on('error', failed);
  const guarded = async <T>(call: () => Promise<T>, fallback: T): Promise<T> => {
    if (Date.now() < restingUntil) return fallback;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call(),
        new Promise<T>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${CACHE_DEADLINE_MS} ms`)), CACHE_DEADLINE_MS);
        }),
      ]);
    } catch (err) {
      failed(err);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    get: async <T extends object>(key: string) => {
      const value = await guarded<T | undefined | typeof UNAVAILABLE>(() => keyv.get(key) as Promise<T | undefined>, UNAVAILABLE);
      recordCache({ cache: cacheOfKey(key), result: value === UNAVAILABLE ? 'error' : value === undefined ? 'miss' : 'hit' });
      return value === UNAVAILABLE ? undefined : value;
    },
    set: async (key, value, ttlSeconds) => void (await guarded(() => keyv.set(key, value, ttlSeconds * 1000), false)),
    close: async () => {
      if (!(store instanceof KeyvRedis)) return;
      // A polite QUIT first; an unreachable Redis never answers it, so then drop the connection.
      restingUntil = 0;
      const quit = await guarded(() => store.disconnect().then(() => true), false);
      if (!quit) await store.disconnect(true).catch(() => undefined);
    },
  };
}

/**
 * The in-memory store: least recently used entries go first once `max` is
 * reached, so memory stays bounded. Keyv calls a Map-like store with the TTL
 * as a plain number; LRUCache wants it in an options object.
 */
function boundedMemoryStore(max: number) {
  const lru = new LRUCache<string, NonNullable<unknown>>({ max });
  return {
    get: (key: string) => lru.get(key),
    set: (key: string, value: NonNullable<unknown>, ttl?: number) => void lru.set(key, value, ttl ? { ttl } : undefined),
    delete: (key: string) => lru.delete(key),
    has: (key: string) => lru.has(key),
    clear: () => lru.clear(),
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
