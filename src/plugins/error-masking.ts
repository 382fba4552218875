import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, parse, visit, type GraphQLFormattedError, type ASTNode } from 'graphql';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { InvalidMonthError } from '../../schema/scalars/month.scalar';

/**
 * Clients see our own typed errors (code and message we wrote) and GraphQL's
 * request errors; anything else is logged and shown as INTERNAL_SERVER_ERROR,
 * so a stack trace, vendor body or URL never reaches a response.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const badMonth = error instanceof GraphQLError && !error.path ? invalidMonthIn(error) : null;
    if (badMonth && error instanceof GraphQLError) {
      const field = argumentPathOf(error) ?? variablePathOf(error);
      return {
        message: field ? `${field}: ${badMonth.message}` : badMonth.message,
        locations: formatted.locations,
        extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
      };
    }
    // Apollo re-wraps validation-rule errors (our operation limits) as GRAPHQL_VALIDATION_FAILED; ours keep their code.
    if (error instanceof GraphQLError && !error.path && error.originalError instanceof AppError) {
      return { message: error.originalError.message, locations: formatted.locations, extensions: { ...error.originalError.extensions } };
    }
    if (original instanceof AppError) {
      return { message: original.message, locations: formatted.locations, path: formatted.path, extensions: { ...original.extensions } };
    }
    // GraphQL's own errors (parse, validation, variable coercion) are safe to show. Apollo re-wraps them
    // (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED) with graphql-js's error as originalError, so an
    // original that is itself a plain GraphQLError still counts; anything thrown underneath it does not.
    if (original === error && error instanceof GraphQLError && isRequestError(error)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      // A request error Apollo made without a code (a wrong APQ version, say) is the client's fault when its status says so.
      const status = (error.extensions.http as { status?: number } | undefined)?.status;
      if (extensions.code === ErrorCode.INTERNAL_SERVER_ERROR && status !== undefined && status < 500) extensions.code = ErrorCode.BAD_REQUEST;
      return { ...formatted, extensions };
    }
    if (original instanceof GraphQLError && formatted.extensions?.code === 'BAD_USER_INPUT') {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    logger.error('unexpected error', { error: original instanceof Error ? original.stack : String(original), path: formatted.path });
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

function isRequestError(error: GraphQLError): boolean {
  const inner = error.originalError;
  return inner === undefined || (inner instanceof GraphQLError && inner.originalError === undefined);
}

/** The InvalidMonthError a request error was made from: graphql-js and Apollo each wrap it once or twice. */
function invalidMonthIn(error: GraphQLError): InvalidMonthError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof InvalidMonthError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return null;
}

/**
 * `filter.from` for a bad month passed in a variable: where the variable is used
 * in the document, plus the path inside it. graphql-js names that inner path only
 * in its message (`Variable "$f" got invalid value "2024-13" at "f.from"`).
 */
function variablePathOf(error: GraphQLError): string | null {
  const node = error.nodes?.[0];
  const body = error.source?.body;
  if (node?.kind !== 'VariableDefinition' || !body) return null;
  const name = node.variable.name.value;
  let usage: string | null = null;
  visit(parse(body), {
    enter(current, _key, parent, _path, ancestors) {
      if (usage !== null || current.kind !== 'Variable' || current.name.value !== name) return;
      const names = [...(ancestors as ASTNode[]), parent as ASTNode]
        .filter((a): a is ASTNode & { name: { value: string } } => a.kind === 'Argument' || a.kind === 'ObjectField')
        .map((a) => a.name.value);
      if (names.length > 0) usage = names.join('.');
    },
  });
  if (usage === null) return null;
  const inner = error.message.match(/ at "([^"]*)";/)?.[1];
  const suffix = inner?.startsWith(name) ? inner.slice(name.length) : '';
  return `${usage}${suffix}`;
}

/** `filter.from` for a bad literal inside `usage(filter: { from: ... })`: found by walking the document to the error's node. */
function argumentPathOf(error: GraphQLError): string | null {
  const node = error.nodes?.[0];
  const body = error.source?.body;
  if (!node?.loc || !body) return null;
  let path: string | null = null;
  visit(parse(body), {
    enter(current, _key, parent, _path, ancestors) {
      if (path !== null || current.loc?.start !== node.loc!.start || current.kind !== node.kind) return;
      // visit() leaves the direct parent out of `ancestors`: it is the ObjectField `from` of `filter: { from: ... }`.
      const names = [...(ancestors as ASTNode[]), parent as ASTNode, current]
        .filter((a): a is ASTNode & { name: { value: string } } => a.kind === 'Argument' || a.kind === 'ObjectField')
        .map((a) => a.name.value);
      path = names.join('.') || null;
    },
  });
  return path;
}
