import { GraphQLScalarType, Kind } from 'graphql';
import { isMonth } from '../../src/usage/month';

/**
 * Thrown for a malformed month. A plain Error on purpose: graphql-js then wraps
 * it with the AST node (literal) or variable definition it came from, and the
 * error formatter turns that into BAD_USER_INPUT naming the argument path
 * (`filter.from`). A GraphQLError thrown from parseLiteral is reported as-is,
 * without a node, and could only be shown as an internal error.
 */
export class InvalidMonthError extends Error {
  constructor(readonly received: unknown) {
    super(`expected a month as YYYY-MM (months 01-12), received ${JSON.stringify(received)}`);
    this.name = 'InvalidMonthError';
  }
}

function parseMonthValue(value: unknown): string {
  if (typeof value !== 'string' || !isMonth(value)) throw new InvalidMonthError(value);
  return value;
}

/** A calendar month, `YYYY-MM`; 2024-13 and 24-01 are rejected. */
export const MonthScalar = new GraphQLScalarType({
  name: 'Month',
  description: 'A calendar month as "YYYY-MM" (e.g. 2025-03). Months are calendar months in UTC unless a time zone is asked for.',
  serialize: parseMonthValue,
  parseValue: parseMonthValue,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new InvalidMonthError(ast.kind === Kind.INT ? Number(ast.value) : ast.kind);
    return parseMonthValue(ast.value);
  },
});
