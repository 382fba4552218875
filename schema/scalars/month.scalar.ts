import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from '../../src/errors';
import { isMonth } from '../../src/usage/month';

/** Thrown for a malformed month; the error formatter adds the argument path it was found at. */
export class InvalidMonthError extends BadUserInputError {
  constructor(received: unknown) {
    super(`expected a month as YYYY-MM (months 01-12), received ${JSON.stringify(received)}`, '');
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
