import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { Context } from '../context';
import type { SharedCache } from '../upstream/cache';

/**
 * Whole-response cache for repeated questions: an identical operation with
 * identical variables from the same caller is answered from the shared cache
 * without running a resolver. The key includes the connections the caller
 * may see (never just its name), so an answer is only ever served to a caller
 * who could have been given it anyway; answers with errors, failed sources or
 * no vendor data are never kept; the TTL is that of the least settled data used.
 * Identical questions that arrive while the first is still being answered
 * wait for it instead of resolving the same data again.
 */
export function createResponseCachePlugin(cache: SharedCache, now: () => Date, connectionScopes: readonly string[]): ApolloServerPlugin<Context> {
  // The scopes (connection names and hashes of their credentials) are part of every key: a replica
  // or a restart with other credentials for a connection must never be served answers fetched with the old ones.
  const configuration = createHash('sha256').update(JSON.stringify(connectionScopes)).digest('hex');
  /** Answers being built, by key: resolves with the answer to keep, or null when it may not be kept. */
  const building = new Map<string, Promise<CachedResult | null>>();
  const answer = (result: CachedResult): GraphQLResponse => ({ http: { status: 200, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: result.data } } });
  return {
    async requestDidStart() {
      let key: string | null = null;
      let fromCache = false;
      let finish: ((result: CachedResult | null) => void) | null = null;
      return {
        async responseForOperation({ request, contextValue, operationName }): Promise<GraphQLResponse | null> {
          if (!request.query) return null;
          key = `response:${createHash('sha256')
            .update(JSON.stringify([configuration, contextValue.connections.map((c) => c.name), operationName ?? null, request.query, request.variables ?? {}]))
            .digest('hex')}`;
          const hit = await cache.get<CachedResult>(key);
          if (hit) {
            fromCache = true;
            return answer(hit);
          }
          const pending = building.get(key);
          if (pending) {
            const result = await pending;
            fromCache = result !== null;
            return result === null ? null : answer(result);
          }
          building.set(key, new Promise((resolve) => (finish = resolve)));
          return null;
        },
        async willSendResponse({ response, contextValue }) {
          if (fromCache || key === null) return;
          const ttl = contextValue.freshness.ttlSeconds;
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          const result: CachedResult | null = body && !body.errors && ttl !== null ? { data: body.data, fetchedAt: now().toISOString() } : null;
          if (finish) {
            building.delete(key);
            finish(result);
          }
          if (result !== null) await cache.set(key, result, ttl!);
        },
      };
    },
  };
}

/** A kept answer: the response's data (never errors) and when it was made. */
interface CachedResult {
  data: Record<string, unknown> | null | undefined;
  fetchedAt: string;
}
