import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { BadUserInputError, ErrorCode, OperationLimitError } from '../errors';
import { estimateCost } from '../security/cost';
import { MAX_PAGE_SIZE } from '../ids';

/**
 * Refuses, once the operation is resolved and before anything executes (so
 * no resolver runs and no vendor is called), an operation whose estimated
 * upstream work (src/security/cost.ts) is over `maxCost`, and a page size
 * over MAX_PAGE_SIZE, named by its path. Both answer HTTP 400.
 */
export function createOperationLimitsPlugin(maxCost: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName, contextValue, response }) {
          const { cost, oversizedPages } = estimateCost({ schema, document, operationName, variables: request.variables, connections: contextValue.connections });
          const refuse = (error: Error) => {
            response.http.status = 400;
            throw error;
          };
          const [page] = oversizedPages;
          if (page) refuse(new BadUserInputError(`${page.path} must be at most ${MAX_PAGE_SIZE}, received ${page.value}`, page.path));
          if (cost > maxCost) refuse(new OperationLimitError(ErrorCode.QUERY_TOO_COSTLY, 'Estimated upstream cost', maxCost, cost));
        },
      };
    },
  };
}
