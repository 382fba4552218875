import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { ErrorCode, OperationLimitError, type LimitCode } from '../errors';

/**
 * Depth and alias limits as validation rules, counted by GraphQL Armor's
 * visitors (fragments followed, `__typename` aliases and introspection's own
 * depth not counted). Armor reports a refusal as a message; it is turned into
 * our typed error with the limit and the measured figure, and reported to the
 * validation context so Apollo answers 400 before anything executes (Apollo
 * caches validated documents, so a known document is not walked again).
 */
export function operationLimitRules(limits: { maxDepth: number; maxAliases: number }): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, exposeLimits: true, propagateOnRejection: false, onReject: [report(ErrorCode.QUERY_TOO_DEEP, 'Query depth', limits.maxDepth)] }),
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true, propagateOnRejection: false, onReject: [report(ErrorCode.TOO_MANY_ALIASES, 'Aliases', limits.maxAliases)] }),
  ];
}

/** Armor's messages end "exceeded, found N." with exposeLimits: the figure is read from there. */
function report(code: LimitCode, what: string, limit: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const measured = Number(/found (\d+)/.exec(error.message)?.[1] ?? limit + 1);
    context?.reportError(new OperationLimitError(code, what, limit, measured));
  };
}
