import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { recordOperation } from '../metrics';

/** Counts and times every GraphQL operation by name and outcome (usagegraph_operations_total, ..._duration_seconds). */
export function createMetricsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = Date.now();
      return {
        async willSendResponse({ operationName, errors }) {
          recordOperation({ name: operationName ?? null, outcome: errors?.length ? 'error' : 'ok', ms: Date.now() - started });
        },
      };
    },
  };
}
