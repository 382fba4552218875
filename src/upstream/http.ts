import type { Dispatcher } from 'undici';
import { UpstreamError, type UpstreamCode } from '../errors';
import type { Logger } from '../logger';
import { currentOperation, type OperationScope } from '../operation';
import type { Vendor } from '../vendors/types';
import { requestKey, type CacheEntry, type CachedResponse, type SharedCache } from './cache';
import { SharedCall } from './in-flight';
import { silentObserver, type UpstreamObserver } from './observer';
import { CallAbandonedError, createConnectionPolicy, type ConnectionPolicy } from './policies';
import { retryAfterMs } from './retry-after';
import { createTransport, type HttpResponse, type Transport } from './transport';
import { ttlSeconds, type CacheHint, type TtlPolicy } from './ttl';

export type { HttpResponse } from './transport';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** A POST that only reads (Kore.ai's billing call) may be retried; say so explicitly. */
  safeToRetry?: boolean;
  /** Short name of the call for logs, e.g. "billing page". */
  label?: string;
  /** What the answer covers; requests without a hint (logins, tokens) are never cached. */
  cache?: CacheHint;
  /** Auth headers made only when the request really goes out, so a cache hit needs no login or token. */
  auth?: () => Promise<Record<string, string>>;
}

export interface UpstreamHttpOptions {
  vendor: Vendor;
  connection: string;
  dispatcher: Dispatcher;
  logger: Logger;
  observer?: UpstreamObserver;
  timeoutMs: number;
  retries: number;
  /** Extracts the vendor's own error code from an error body (never its message). */
  vendorErrorCode?: (body: unknown) => string | undefined;
  /** Most vendor calls in flight at once for this connection. */
  concurrency: number;
  /** Calls that may wait for one of those slots. */
  queueLimit: number;
  breakerFailures: number;
  /** How long the breaker stays open, and how long rejected credentials keep the connection failed. */
  breakerCooldownMs: number;
  /** How long an operation waits for one source before answering without it (or with its stale answer). */
  sourceDeadlineMs: number;
  maxResponseBytes: number;
  /** The shared cache and this connection's key scope; absent when caching is off. */
  cache?: ConnectionCache;
  now: () => Date;
}

export interface ConnectionCache {
  shared: SharedCache;
  /** From connectionScope(): the connection name and a hash of its credentials. */
  scope: string;
  policy: TtlPolicy;
  /** How long an expired answer is kept to be served when the vendor fails. */
  staleMaxAgeSeconds: number;
}

/** A Retry-After longer than this is not waited out inside one GraphQL request. */
const MAX_RETRY_AFTER_MS = 5000;
/** Errors after which a stale answer is better than none: the vendor is down, slow, limiting or garbled, not refusing us. */
const STALE_OK: ReadonlySet<string> = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_RATE_LIMITED', 'UPSTREAM_BAD_RESPONSE']);
/** A vendor error code is shown only in this shape; anything else could be a vendor's free text. */
const VENDOR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** A cached request's outcome: the vendor's answer, or a stale one served instead of a failure. */
interface Outcome {
  res: HttpResponse;
  staleFrom?: CachedResponse;
}

/** A call in flight and the stale answer its cache lookup found, if any. */
interface Pending {
  call: SharedCall<Outcome>;
  stale: CachedResponse | undefined;
}

/**
 * The one place vendor HTTP happens, as layers around one send(): shared
 * cache (two tiers) and in-flight sharing -> stale-if-error -> circuit
 * breaker -> retry -> bulkhead -> timeout -> undici (policies.ts,
 * transport.ts). Each layer reports to the observer. Connectors build URLs and
 * headers; nothing here knows a vendor's JSON or GraphQL.
 */
export class UpstreamHttp {
  /** Calls in flight by cache key: concurrent callers of the same vendor data share one. */
  private readonly inFlight = new Map<string, Pending>();
  private readonly policy: ConnectionPolicy;
  private readonly transport: Transport;
  private readonly observer: UpstreamObserver;
  /** After credentials were finally rejected, calls fail at once until then: no login storm. */
  private credentialsRejectedUntil = 0;

  constructor(private readonly options: UpstreamHttpOptions) {
    this.observer = options.observer ?? silentObserver;
    this.policy = createConnectionPolicy({ ...options, observer: this.observer, maxRetryAfterMs: MAX_RETRY_AFTER_MS });
    this.transport = createTransport({ ...options, observer: this.observer });
  }

  /**
   * Sends and returns the response whatever its status (callers that need 401
   * handling use this). A request with a cache hint is answered from the
   * shared cache when it can be, joins an identical request in flight, and
   * falls back to an expired answer when the vendor fails.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.sendFor(currentOperation(), req);
    } catch (err) {
      // An operation aborted by its own deadline still answers: its unfinished sources timed out.
      const deadlineAt = currentOperation()?.deadlineAt;
      if (err instanceof CallAbandonedError && deadlineAt !== undefined && Date.now() >= deadlineAt) {
        throw this.error('UPSTREAM_TIMEOUT', 'no answer within the operation\'s deadline');
      }
      throw err;
    }
  }

  private async sendFor(operation: OperationScope | undefined, req: HttpRequest): Promise<HttpResponse> {
    // An abandoned operation starts nothing new (the rest of a paging loop, a queued window).
    if (operation?.signal.aborted) throw new CallAbandonedError();
    const deadlineAt = this.sourceDeadline(operation?.startedAt, operation?.deadlineAt);
    const cache = this.options.cache;
    if (!cache || !req.cache) {
      // Logins and tokens: never shared or cached, never aborted (a later caller may be waiting on the same login).
      const call = new SharedCall<HttpResponse>((signal) => this.goOut(req, signal));
      return call.wait(undefined, deadlineAt, () => {
        throw this.timedOut();
      });
    }
    const key = requestKey(cache.scope, req.method, req.url, req.body);
    let pending = this.inFlight.get(key);
    if (pending) this.observer.report({ kind: 'in-flight-join', connection: this.options.connection });
    else {
      const started: Pending = {
        stale: undefined,
        call: new SharedCall<Outcome>(async (signal) => {
          const entry = await cache.shared.getEntry<CachedResponse>(key);
          if (entry?.fresh) return { res: fromCache(entry.value) };
          started.stale = entry?.value;
          return this.fetchAndKeep(req, key, req.cache!, signal, entry?.value);
        }),
      };
      pending = started;
      this.inFlight.set(key, started);
      const done = () => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      };
      void started.call.result.then(done, done);
    }
    const joined = pending;
    // At the source deadline, a stale answer (if the lookup found one) is served instead of a timeout.
    const outcome = await joined.call.wait(operation?.signal, deadlineAt, () => {
      if (joined.stale) return { res: fromCache(joined.stale), staleFrom: joined.stale };
      throw this.timedOut();
    });
    if (outcome.staleFrom) this.servedStale(outcome.staleFrom);
    return outcome.res;
  }

  /** Sends, requires a 2xx and a JSON body, and returns the parsed body. */
  async json(req: HttpRequest): Promise<unknown> {
    const res = await this.send(req);
    if (res.status < 200 || res.status > 299) throw this.errorFor(res);
    return this.parse(res.text);
  }

  parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw this.error('UPSTREAM_BAD_RESPONSE', 'answered with a body that is not valid JSON');
    }
  }

  /**
   * Maps a non-2xx response to a typed error; the vendor's body is read only
   * for its error code, shown only when it looks like a code. A 401 here is
   * final (connectors call this after their one re-authentication), so it
   * keeps the connection failed for the cool-down.
   */
  errorFor(res: HttpResponse): UpstreamError {
    let vendorCode: string | undefined;
    try {
      vendorCode = this.options.vendorErrorCode?.(JSON.parse(res.text));
    } catch {
      vendorCode = undefined;
    }
    const suffix = vendorCode !== undefined && VENDOR_CODE.test(vendorCode) ? `, vendor code ${vendorCode}` : '';
    const s = res.status;
    if (s === 401) {
      this.credentialsRejectedUntil = Date.now() + this.options.breakerCooldownMs;
      return this.error('UPSTREAM_UNAUTHORIZED', `credentials were rejected (HTTP 401${suffix})`, s);
    }
    if (s === 403) return this.error('UPSTREAM_FORBIDDEN', `access was refused (HTTP 403${suffix})`, s);
    if (s === 429) return this.error('UPSTREAM_RATE_LIMITED', `rate limit reached (HTTP 429)`, s, true, retryAfterMs(res));
    if (s >= 500) return this.error('UPSTREAM_UNAVAILABLE', `vendor error (HTTP ${s}${suffix})`, s, true);
    return this.error('UPSTREAM_REJECTED', `request was rejected (HTTP ${s}${suffix})`, s);
  }

  error(code: UpstreamCode, detail: string, status: number | null = null, retryable = false, retryAfter: number | null = null) {
    return new UpstreamError(code, this.options.vendor, this.options.connection, detail, status, retryable, retryAfter);
  }

  /** The vendor call behind a cache miss; a 2xx is kept, a failure falls back to the stale answer when there is one. */
  private async fetchAndKeep(req: HttpRequest, key: string, hint: CacheHint, signal: AbortSignal, stale: CachedResponse | undefined): Promise<Outcome> {
    const cache = this.options.cache!;
    let res: HttpResponse;
    try {
      res = await this.goOut(req, signal);
    } catch (err) {
      if (stale && err instanceof UpstreamError && STALE_OK.has(err.code)) return { res: fromCache(stale), staleFrom: stale };
      throw err;
    }
    if (res.status >= 200 && res.status <= 299) {
      const now = this.options.now();
      const kept: CachedResponse = { status: res.status, text: res.text, fetchedAt: now.toISOString() };
      await cache.shared.set(key, kept, ttlSeconds(hint, now, cache.policy), cache.staleMaxAgeSeconds);
      return { res };
    }
    if (stale && (res.status >= 500 || res.status === 429)) return { res: fromCache(stale), staleFrom: stale };
    return { res };
  }

  /** Through the connection's policies to the vendor. Auth is made per attempt, outside the slot (a login needs a slot of its own). */
  private goOut(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    if (Date.now() < this.credentialsRejectedUntil) {
      return Promise.reject(this.error('UPSTREAM_UNAUTHORIZED', 'credentials were rejected moments ago; not tried again until the cool-down has passed'));
    }
    const repeatable = req.method === 'GET' || req.safeToRetry === true;
    return this.policy.execute(
      async (attemptSignal) => {
        const headers = req.auth ? { ...req.headers, ...(await req.auth()) } : req.headers;
        const res = await this.transport({ ...req, headers }, attemptSignal);
        // A 2xx whose body is cut short or garbled is a vendor fault: never cached, and a stale answer may stand in.
        if (res.status >= 200 && res.status <= 299 && res.text.length > 0 && !isJson(res.text)) {
          throw this.error('UPSTREAM_BAD_RESPONSE', 'answered with a body that is not valid JSON', res.status);
        }
        return res;
      },
      repeatable,
      signal,
    );
  }

  private sourceDeadline(startedAt: number | undefined, deadlineAt: number | undefined): number | undefined {
    const own = startedAt === undefined ? undefined : startedAt + this.options.sourceDeadlineMs;
    if (own === undefined) return deadlineAt;
    return deadlineAt === undefined ? own : Math.min(own, deadlineAt);
  }

  private timedOut(): UpstreamError {
    return this.error('UPSTREAM_TIMEOUT', `no answer within this source's deadline (${this.options.sourceDeadlineMs} ms); the call goes on to warm the cache`);
  }

  private servedStale(stale: CachedResponse): void {
    const fetchedAt = new Date(stale.fetchedAt);
    currentOperation()?.staleAnswers?.note(this.options.connection, fetchedAt);
    this.observer.report({ kind: 'stale-served', connection: this.options.connection, ageSeconds: Math.round((Date.now() - fetchedAt.getTime()) / 1000) });
  }
}

function fromCache(kept: CachedResponse): HttpResponse {
  return { status: kept.status, headers: {}, text: kept.text };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
