import { request, type Dispatcher } from 'undici';
import { UpstreamError, type UpstreamCode } from '../errors';
import type { Logger } from '../logger';
import { recordInFlightJoin, recordVendorCall, type VendorOutcome } from '../metrics';
import { currentOperation } from '../operation';
import type { Vendor } from '../model';
import { requestKey, type CachedResponse, type SharedCache } from './cache';
import { ttlSeconds, type CacheHint, type TtlPolicy } from './ttl';

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

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface UpstreamHttpOptions {
  vendor: Vendor;
  connection: string;
  dispatcher: Dispatcher;
  logger: Logger;
  timeoutMs: number;
  retries: number;
  /** Extracts the vendor's own error code from an error body (never its message). */
  vendorErrorCode?: (body: unknown) => string | undefined;
  /** Most vendor calls in flight at once for this connection. */
  concurrency: number;
  /** The shared cache and this connection's key scope; absent when caching is off. */
  cache?: ConnectionCache;
  now: () => Date;
}

export interface ConnectionCache {
  shared: SharedCache;
  /** From connectionScope(): the connection name and a hash of its credentials. */
  scope: string;
  policy: TtlPolicy;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** A Retry-After longer than this is not waited out inside one GraphQL request. */
const MAX_RETRY_AFTER_MS = 5000;

/**
 * The one place vendor HTTP happens: timeouts, retries with backoff that
 * honour Retry-After, and status -> typed error. Connectors build URLs and
 * headers; this class never sees GraphQL.
 */
export class UpstreamHttp {
  /** Requests in flight by cache key: concurrent callers of the same vendor data share one call. */
  private readonly inFlight = new Map<string, Promise<HttpResponse>>();
  private readonly slots: Semaphore;

  constructor(private readonly options: UpstreamHttpOptions) {
    this.slots = new Semaphore(options.concurrency);
  }

  /**
   * Sends and returns the response whatever its status (callers that need 401
   * handling use this). A request with a cache hint is answered from the
   * shared cache when it can be, and joins an identical request in flight.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const cache = this.options.cache;
    if (!cache || !req.cache) return this.sendWithRetries(req);
    const key = requestKey(cache.scope, req.method, req.url, req.body);
    const joined = this.inFlight.get(key);
    if (joined) {
      recordInFlightJoin();
      return joined;
    }
    const hint = req.cache;
    const call = (async () => {
      const hit = await cache.shared.get<CachedResponse>(key);
      if (hit) return { status: hit.status, headers: {}, text: hit.text };
      const res = await this.sendWithRetries(req);
      if (res.status >= 200 && res.status <= 299) {
        await cache.shared.set(key, { status: res.status, text: res.text, fetchedAt: this.options.now().toISOString() }, ttlSeconds(hint, this.options.now(), cache.policy));
      }
      return res;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async sendWithRetries(req: HttpRequest): Promise<HttpResponse> {
    const retryable = req.method === 'GET' || req.safeToRetry === true;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(req);
        const again = retryable && attempt < this.options.retries && RETRYABLE_STATUS.has(res.status);
        const wait = again ? this.retryDelay(attempt, res) : null;
        if (wait === null) return res;
        await sleep(wait);
      } catch (err) {
        if (!(err instanceof UpstreamError) || !retryable || !err.retryable || attempt >= this.options.retries) throw err;
        await sleep(backoff(attempt));
      }
    }
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

  /** Maps a non-2xx response to a typed error; the vendor's body is read only for its error code. */
  errorFor(res: HttpResponse): UpstreamError {
    let vendorCode: string | undefined;
    try {
      vendorCode = this.options.vendorErrorCode?.(JSON.parse(res.text));
    } catch {
      vendorCode = undefined;
    }
    const suffix = vendorCode ? `, vendor code ${vendorCode}` : '';
    const s = res.status;
    if (s === 401) return this.error('UPSTREAM_UNAUTHORIZED', `credentials were rejected (HTTP 401${suffix})`, s);
    if (s === 403) return this.error('UPSTREAM_FORBIDDEN', `access was refused (HTTP 403${suffix})`, s);
    if (s === 429) {
      return this.error('UPSTREAM_RATE_LIMITED', `rate limit reached (HTTP 429)`, s, true, retryAfterMs(res));
    }
    if (s >= 500) return this.error('UPSTREAM_UNAVAILABLE', `vendor error (HTTP ${s}${suffix})`, s, true);
    return this.error('UPSTREAM_REJECTED', `request was rejected (HTTP ${s}${suffix})`, s);
  }

  error(code: UpstreamCode, detail: string, status: number | null = null, retryable = false, retryAfter: number | null = null) {
    return new UpstreamError(code, this.options.vendor, this.options.connection, detail, status, retryable, retryAfter);
  }

  private retryDelay(attempt: number, res: HttpResponse): number | null {
    const after = retryAfterMs(res);
    if (after === null) return backoff(attempt);
    return after <= MAX_RETRY_AFTER_MS ? after : null;
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    // Auth first, outside the slot: a login or token call needs a slot of its own.
    const headers = req.auth ? { ...req.headers, ...(await req.auth()) } : req.headers;
    await this.slots.acquire();
    try {
      // The operation's budget decides whether this call may still go out (src/operation-budget.ts).
      currentOperation()?.budget?.spend(this.options.connection);
      return await this.call({ ...req, headers });
    } finally {
      this.slots.release();
    }
  }

  private async call(req: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    const { dispatcher, timeoutMs } = this.options;
    // Vendor-call lines carry the request id of the operation that caused the call.
    const logger = currentOperation()?.logger.child({ connection: this.options.connection }) ?? this.options.logger;
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.body.text();
      this.record(res.statusCode >= 200 && res.statusCode <= 299 ? 'ok' : 'error', res.statusCode, started);
      currentOperation()?.budget?.answered?.(this.options.connection, res.statusCode);
      logger.debug('upstream call', { label: req.label, method: req.method, path: new URL(req.url).pathname, status: res.statusCode, ms: Date.now() - started });
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      const name = (err as Error).name;
      const code = (err as { code?: string }).code;
      const timedOut = name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
      this.record(timedOut ? 'timeout' : 'unreachable', null, started);
      logger.warn('upstream call failed', { label: req.label, method: req.method, path: new URL(req.url).pathname, error: code ?? name, ms: Date.now() - started });
      if (timedOut) throw this.error('UPSTREAM_TIMEOUT', `no answer within ${timeoutMs} ms`, null, true);
      throw this.error('UPSTREAM_UNAVAILABLE', `could not be reached (${code ?? name})`, null, true);
    }
  }

  /** The one place vendor calls are counted and timed (every attempt that went out). */
  private record(outcome: VendorOutcome, status: number | null, started: number): void {
    recordVendorCall({ connection: this.options.connection, vendor: this.options.vendor, outcome, status, ms: Date.now() - started });
  }
}

function retryAfterMs(res: HttpResponse): number | null {
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** 100 ms, 200 ms, 400 ms... with jitter so replicas do not retry in step. */
function backoff(attempt: number): number {
  return 100 * 2 ** attempt * (0.5 + Math.random() / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts free slots; waiters are served in arrival order. */
class Semaphore {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}
