import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';

/**
 * The API only reads: a `mutation` or `subscription` is the caller's mistake,
 * answered HTTP 400 with BAD_REQUEST before execution (graphql-js would
 * otherwise throw "Schema is not configured for mutations" inside execution,
 * which reads as a server fault).
 */
export function createOperationKindPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (!operation || operation.operation === 'query') return;
          throw new GraphQLError(`this API has no ${operation.operation} operations, only queries`, {
            extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
          });
        },
      };
    },
  };
}
