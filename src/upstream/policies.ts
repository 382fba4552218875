import {
  BrokenCircuitError, BulkheadRejectedError, ConsecutiveBreaker, DelegateBackoff, IsolatedCircuitError, TaskCancelledError,
  bulkhead, circuitBreaker, handleWhen, retry, timeout, TimeoutStrategy, type IRetryBackoffContext,
} from 'cockatiel';
import { UpstreamError } from '../errors';
import { currentOperation } from '../operation';
import type { Vendor } from '../vendors/types';
import type { UpstreamObserver } from './observer';
import { retryAfterMs } from './retry-after';
import type { HttpResponse } from './transport';

export interface PolicyOptions {
  vendor: Vendor;
  connection: string;
  observer: UpstreamObserver;
  /** Attempts after the first, for requests that may be repeated. */
  retries: number;
  timeoutMs: number;
  /** Vendor calls in flight at once for this connection (the bulkhead's slots). */
  concurrency: number;
  /** Calls that may wait for a slot; more are refused at once. */
  queueLimit: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  /** A Retry-After up to this long is waited out; a longer one holds the connection until it passes. */
  maxRetryAfterMs: number;
}

/** One attempt: makes its wire request (auth included) and sends it with the given signal. */
export type Attempt = (signal: AbortSignal) => Promise<HttpResponse>;

export interface ConnectionPolicy {
  /**
   * Runs `attempt` under the connection's breaker, retry (only when
   * `repeatable`), bulkhead and timeout. Resolves with any HTTP answer; a 5xx
   * or 429 that outlasted the retries is still an answer (callers map it).
   */
  execute(attempt: Attempt, repeatable: boolean, signal: AbortSignal): Promise<HttpResponse>;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Thrown when the caller stopped waiting (client gone, operation over); never shown to anyone. */
export class CallAbandonedError extends Error {
  constructor() {
    super('the vendor call was abandoned: nobody waits for it any more');
    this.name = 'CallAbandonedError';
  }
}

/**
 * The connection's policies, composed once (cockatiel): circuit breaker ->
 * retry (exponential backoff with jitter, or the vendor's Retry-After) ->
 * bulkhead (slots and a bounded queue) -> timeout. The breaker opens after
 * `breakerFailures` consecutive vendor faults (unreachable, timed out, 5xx)
 * and lets one probe through after `breakerCooldownMs`; a 429 whose
 * Retry-After is longer than a request may wait holds the connection shut
 * until it passes, answering UPSTREAM_RATE_LIMITED at once.
 */
export function createConnectionPolicy(options: PolicyOptions): ConnectionPolicy {
  const { vendor, connection, observer } = options;
  const error = (code: ConstructorParameters<typeof UpstreamError>[0], detail: string, retryable = false, status: number | null = null, retryAfter: number | null = null) =>
    new UpstreamError(code, vendor, connection, detail, status, retryable, retryAfter);
  const waitTooLong = (res: HttpResponse) => res.status === 429 && (retryAfterMs(res) ?? 0) > options.maxRetryAfterMs;

  const breaker = circuitBreaker(
    handleWhen((err) => err instanceof UpstreamError && err.retryable).orWhenResult((r) => (r as HttpResponse).status >= 500),
    { halfOpenAfter: options.breakerCooldownMs, breaker: new ConsecutiveBreaker(options.breakerFailures) },
  );
  let rateLimitedUntil = 0;
  breaker.onBreak((reason) => {
    const why = 'isolated' in reason ? 'rate limited (Retry-After)' : 'error' in reason ? reason.error.message : `HTTP ${(reason.value as HttpResponse).status}`;
    observer.report({ kind: 'breaker', connection, state: 'open', reason: why });
  });
  breaker.onHalfOpen(() => observer.report({ kind: 'breaker', connection, state: 'half-open' }));
  breaker.onReset(() => observer.report({ kind: 'breaker', connection, state: 'closed' }));

  const retryPolicy = retry(
    handleWhen((err) => err instanceof UpstreamError && err.retryable).orWhenResult((r) => RETRYABLE_STATUS.has((r as HttpResponse).status) && !waitTooLong(r as HttpResponse)),
    {
      maxAttempts: options.retries,
      backoff: new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
        const after = 'value' in context.result ? retryAfterMs(context.result.value as HttpResponse) : null;
        if (after !== null && after <= options.maxRetryAfterMs) return after;
        // 100 ms, 200 ms, 400 ms... with jitter on the upper half, so replicas do not retry in step.
        return 100 * 2 ** (context.attempt - 1) * (0.5 + Math.random() / 2);
      }),
    },
  );
  retryPolicy.onRetry((event) => observer.report({ kind: 'retry', connection, attempt: event.attempt, delayMs: Math.round(event.delay) }));

  const slots = bulkhead(options.concurrency, options.queueLimit);
  const timeoutPolicy = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);

  /** One attempt in a slot, within the timeout; cockatiel's own errors become our typed ones. */
  const oneAttempt = async (attempt: Attempt, signal: AbortSignal): Promise<HttpResponse> => {
    // The operation's budget is spent when an attempt joins the queue to go out (cache hits and joined calls never
    // get here): once it is spent, further calls are refused at once instead of filling the connection's queue.
    currentOperation()?.budget?.spend(connection);
    try {
      return await slots.execute(({ signal: slotSignal }) => timeoutPolicy.execute(({ signal: callSignal }) => attempt(callSignal), slotSignal), signal);
    } catch (err) {
      if (signal.aborted) throw new CallAbandonedError();
      if (err instanceof TaskCancelledError) throw error('UPSTREAM_TIMEOUT', `no answer within ${options.timeoutMs} ms`, true);
      if (err instanceof BulkheadRejectedError) throw error('UPSTREAM_UNAVAILABLE', `too many calls already waiting for this connection (${options.queueLimit})`);
      throw err;
    }
  };

  return {
    async execute(attempt, repeatable, signal) {
      try {
        const res = await breaker.execute(
          ({ signal: inner }) => (repeatable ? retryPolicy.execute(({ signal: s }) => oneAttempt(attempt, s), inner) : oneAttempt(attempt, inner)),
          signal,
        );
        if (waitTooLong(res)) holdUntil(retryAfterMs(res)!);
        return res;
      } catch (err) {
        if (err instanceof IsolatedCircuitError && Date.now() < rateLimitedUntil) {
          throw error('UPSTREAM_RATE_LIMITED', `rate limit reached; the vendor asked to wait until ${new Date(rateLimitedUntil).toISOString()}`, false, 429, rateLimitedUntil - Date.now());
        }
        if (err instanceof BrokenCircuitError) {
          throw error('UPSTREAM_UNAVAILABLE', `not called: the last ${options.breakerFailures} calls failed; trying again after a ${Math.round(options.breakerCooldownMs / 1000)} s pause`);
        }
        if (signal.aborted && !(err instanceof CallAbandonedError)) throw new CallAbandonedError();
        throw err;
      }
    },
  };

  /** Shuts the connection until the vendor's Retry-After has passed (at most an hour). */
  function holdUntil(afterMs: number): void {
    const ms = Math.min(afterMs, 3_600_000);
    if (Date.now() + ms <= rateLimitedUntil) return;
    const wasHeld = Date.now() < rateLimitedUntil;
    rateLimitedUntil = Date.now() + ms;
    if (wasHeld) return;
    const isolation = breaker.isolate();
    const release = () => {
      if (Date.now() < rateLimitedUntil) return void setTimeout(release, rateLimitedUntil - Date.now()).unref();
      isolation.dispose();
    };
    setTimeout(release, ms).unref();
  }
}
