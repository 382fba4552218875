import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

/**
 * Adds the connections that failed inside listings (ctx.partialFailures) to
 * the response's errors, next to data that is still there; such an answer is
 * never kept by the response cache (it runs after this plugin and keeps no
 * answer with errors; the freshness is spoiled as well).
 */
export function createPartialFailuresPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const failures = contextValue.partialFailures.list;
          if (failures.length === 0 || response.body.kind !== 'single') return;
          contextValue.freshness.spoil();
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...failures];
        },
      };
    },
  };
}
