import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { Context } from '../context';
import type { SharedCache } from '../upstream/cache';

/**
 * Whole-response cache for repeated questions: an identical operation with
 * identical variables from the same caller is answered from the shared cache
 * without running a resolver. The key includes the caller, so one client's
 * answer is never served to another; answers with errors, failed sources or
 * no vendor data are never kept; the TTL is that of the least settled data used.
 * Identical questions that arrive while the first is still being answered
 * wait for it instead of resolving the same data again.
 */
export function createResponseCachePlugin(cache: SharedCache, now: () => Date, connectionScopes: readonly string[]): ApolloServerPlugin<Context> {
  // The scopes (connection names and hashes of their credentials) are part of every key: a replica
  // or a restart with other credentials for a connection must never be served answers fetched with the old ones.
  const configuration = createHash('sha256').update(JSON.stringify(connectionScopes)).digest('hex');
  /** Answers being built, by key: resolves with the cached text, or null when the answer may not be kept. */
  const building = new Map<string, Promise<string | null>>();
  const answer = (text: string): GraphQLResponse => ({ http: { status: 200, headers: new HeaderMap() }, body: { kind: 'single', singleResult: JSON.parse(text) } });
  return {
    async requestDidStart() {
      let key: string | null = null;
      let fromCache = false;
      let finish: ((text: string | null) => void) | null = null;
      return {
        async responseForOperation({ request, contextValue, operationName }): Promise<GraphQLResponse | null> {
          if (!request.query) return null;
          key = `response:${createHash('sha256')
            .update(JSON.stringify([configuration, contextValue.principal.name, operationName ?? null, request.query, request.variables ?? {}]))
            .digest('hex')}`;
          const hit = await cache.get(key);
          if (hit) {
            fromCache = true;
            return answer(hit.text);
          }
          const pending = building.get(key);
          if (pending) {
            const text = await pending;
            fromCache = text !== null;
            return text === null ? null : answer(text);
          }
          building.set(key, new Promise((resolve) => (finish = resolve)));
          return null;
        },
        async willSendResponse({ response, contextValue }) {
          if (fromCache || key === null) return;
          const ttl = contextValue.freshness.ttlSeconds;
          const keep = response.body.kind === 'single' && !response.body.singleResult.errors && ttl !== null;
          const text = keep && response.body.kind === 'single' ? JSON.stringify({ data: response.body.singleResult.data }) : null;
          if (finish) {
            building.delete(key);
            finish(text);
          }
          if (text !== null) await cache.set(key, { status: 200, text, fetchedAt: now().toISOString() }, ttl!);
        },
      };
    },
  };
}
