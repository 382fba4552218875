import { request, type Dispatcher } from 'undici';
import { UpstreamError, type UpstreamCode } from '../errors';
import type { Logger } from '../logger';
import type { Vendor } from '../vendors/types';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** A POST that only reads (Kore.ai's billing call) may be retried; say so explicitly. */
  safeToRetry?: boolean;
  /** Short name of the call for logs, e.g. "billing page". */
  label?: string;
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
  constructor(private readonly options: UpstreamHttpOptions) {}

  /** Sends and returns the response whatever its status (callers that need 401 handling use this). */
  async send(req: HttpRequest): Promise<HttpResponse> {
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
    const started = Date.now();
    const { logger, dispatcher, timeoutMs } = this.options;
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
      logger.debug('upstream call', { label: req.label, method: req.method, path: new URL(req.url).pathname, status: res.statusCode, ms: Date.now() - started });
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      const name = (err as Error).name;
      const code = (err as { code?: string }).code;
      const timedOut = name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
      logger.warn('upstream call failed', { label: req.label, method: req.method, path: new URL(req.url).pathname, error: code ?? name, ms: Date.now() - started });
      if (timedOut) throw this.error('UPSTREAM_TIMEOUT', `no answer within ${timeoutMs} ms`, null, true);
      throw this.error('UPSTREAM_UNAVAILABLE', `could not be reached (${code ?? name})`, null, true);
    }
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
