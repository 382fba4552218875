import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { SharedCache } from '../upstream/cache';

/** How long a registered APQ document is kept when Apollo names no TTL. */
export const APQ_TTL_SECONDS = 24 * 60 * 60;

/**
 * Apollo's automatic persisted queries kept in our shared cache (memory, or
 * the Redis every replica shares), so a hash registered on one replica is
 * found by the next. A cache failure is a miss: the client sends the full
 * document again, as the protocol expects.
 */
export function apqStore(cache: SharedCache): KeyValueCache<string> {
  return {
    get: async (hash) => (await cache.get<{ query: string }>(`apq:${hash}`))?.query,
    set: (hash, query, options) => cache.set(`apq:${hash}`, { query }, options?.ttl ?? APQ_TTL_SECONDS),
    // Apollo's APQ never deletes; an entry leaves by its TTL.
    delete: async () => false,
  };
}
