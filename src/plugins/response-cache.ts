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
 */
export function createResponseCachePlugin(cache: SharedCache, now: () => Date, connectionScopes: readonly string[]): ApolloServerPlugin<Context> {
  // The scopes (connection names and hashes of their credentials) are part of every key: a replica
  // or a restart with other credentials for a connection must never be served answers fetched with the old ones.
  const configuration = createHash('sha256').update(JSON.stringify(connectionScopes)).digest('hex');
  return {
    async requestDidStart() {
      let key: string | null = null;
      let fromCache = false;
      return {
        async responseForOperation({ request, contextValue, operationName }): Promise<GraphQLResponse | null> {
          if (!request.query) return null;
          key = `response:${createHash('sha256')
            .update(JSON.stringify([configuration, contextValue.principal.name, operationName ?? null, request.query, request.variables ?? {}]))
            .digest('hex')}`;
          const hit = await cache.get(key);
          if (!hit) return null;
          fromCache = true;
          return { http: { status: 200, headers: new HeaderMap() }, body: { kind: 'single', singleResult: JSON.parse(hit.text) } };
        },
        async willSendResponse({ response, contextValue }) {
          if (fromCache || key === null || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          const ttl = contextValue.freshness.ttlSeconds;
          if (ttl === null) return;
          const text = JSON.stringify({ data: response.body.singleResult.data });
          await cache.set(key, { status: 200, text, fetchedAt: now().toISOString() }, ttl);
        },
      };
    },
  };
}
