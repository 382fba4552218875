import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { currentOperation } from '../operation';

/**
 * Logs every operation once, through the request's own logger (request id and
 * client bound): its name, duration and, for a failed one, the error codes at
 * `warn`. It also names the operation in the operation scope as soon as Apollo
 * knows it, so every later line of the request (vendor calls included) carries it.
 */
export function createRequestLogPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = Date.now();
      return {
        async didResolveOperation({ operationName }) {
          const scope = currentOperation();
          if (scope) scope.operationName = operationName ?? '(anonymous)';
        },
        async willSendResponse({ operationName, errors }) {
          const fields = { operation: operationName ?? null, ms: Date.now() - started };
          if (errors?.length) {
            const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
            contextValue.logger.warn('graphql request failed', { ...fields, codes, errors: errors.length });
          } else contextValue.logger.info('graphql request', fields);
        },
      };
    },
  };
}
