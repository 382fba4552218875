import { GraphQLError } from 'graphql';
import type { Vendor } from './model';

/** The stable codes clients see in `extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  /** The request cannot be run at all (an operation kind the API does not have, a document nested too deep). */
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  UPSTREAM_UNAUTHORIZED: 'UPSTREAM_UNAUTHORIZED',
  UPSTREAM_FORBIDDEN: 'UPSTREAM_FORBIDDEN',
  UPSTREAM_REJECTED: 'UPSTREAM_REJECTED',
  UPSTREAM_RATE_LIMITED: 'UPSTREAM_RATE_LIMITED',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  /** The operation used up its vendor-call budget (server.limits.maxVendorCallsPerOperation). */
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
  /** The answer would be larger than server.limits.maxResponseBytes. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base of every error thrown on purpose: its message and code are safe to show a client. */
export class AppError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
    this.name = new.target.name;
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

/** The caller asked for something malformed; `field` names the argument path. */
export class BadUserInputError extends AppError {
  constructor(message: string, readonly field: string) {
    super(message, ErrorCode.BAD_USER_INPUT, { field });
  }
}

export type UpstreamCode = Extract<ErrorCode, `UPSTREAM_${string}`>;

/**
 * A vendor call failed. Carries the vendor, the connection name and the HTTP
 * status, never the vendor's body, URL or credentials: the message is written
 * by us from those fields.
 */
export class UpstreamError extends AppError {
  constructor(
    code: UpstreamCode,
    readonly vendor: Vendor,
    readonly connection: string,
    detail: string,
    readonly status: number | null = null,
    readonly retryable = false,
    readonly retryAfterMs: number | null = null,
  ) {
    super(`${vendor} connection ${connection}: ${detail}`, code, { vendor, connection, status, retryable });
  }
}

export type LimitCode = Extract<ErrorCode, 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_TOKENS' | 'QUERY_TOO_COSTLY'>;

/** An operation over one of `server.limits`: the limit and what was measured are in `extensions`. */
export class OperationLimitError extends AppError {
  constructor(code: LimitCode, what: string, readonly limit: number, readonly measured: number) {
    super(`${what}: ${measured}, over the limit of ${limit}`, code, { limit, measured });
  }
}

/**
 * The operation may not make another vendor call: its budget is spent, its
 * deadline has passed, or the connection kept refusing it (401/403). Thrown
 * before the call goes out, so it costs the vendor nothing.
 */
export class OperationBudgetError extends AppError {
  constructor(code: 'BUDGET_EXCEEDED' | 'UPSTREAM_TIMEOUT' | 'UPSTREAM_UNAUTHORIZED' | 'UPSTREAM_FORBIDDEN', readonly connection: string, message: string) {
    super(message, code, { connection });
  }
}

/** Start-up configuration is wrong; the message names the key path or variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
