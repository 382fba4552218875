import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import type { Logger } from '../logger';

/** Logs every operation once with its request id, name, duration and error count. */
export function createRequestLogPlugin(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = Date.now();
      return {
        async willSendResponse({ operationName, errors }) {
          logger.info('graphql request', { requestId: contextValue.requestId, client: contextValue.principal.name, operation: operationName ?? null, ms: Date.now() - started, errors: errors?.length ?? 0 });
        },
      };
    },
  };
}
