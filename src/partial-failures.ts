import type { GraphQLFormattedError } from 'graphql';
import { AppError, ErrorCode } from './errors';

/**
 * Failures of one connection inside a listing that still answers with the
 * others (organisations, connections { organisations }, accounts, bots):
 * the field keeps its data and the failed connection is named in an error
 * with the field's path. Collected per request and added to the response by
 * the partial-failures plugin; only our own typed errors' words are shown.
 */
export class PartialFailures {
  private readonly errors: GraphQLFormattedError[] = [];

  add(error: unknown, path: readonly (string | number)[], connection: string): void {
    const known = error instanceof AppError;
    this.errors.push({
      message: known ? error.message : `connection ${connection}: internal error`,
      path: [...path],
      extensions: known ? { ...error.extensions, connection } : { code: ErrorCode.INTERNAL_SERVER_ERROR, connection },
    });
  }

  get list(): readonly GraphQLFormattedError[] {
    return this.errors;
  }
}
