import { request, type Dispatcher } from 'undici';
import { UpstreamError } from '../errors';
import type { Logger } from '../logger';
import { currentOperation } from '../operation';
import type { Vendor } from '../vendors/types';
import { statusClass, type UpstreamObserver } from './observer';

/** A request as it goes on the wire: auth headers already added. */
export interface WireRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  label?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface TransportOptions {
  vendor: Vendor;
  connection: string;
  dispatcher: Dispatcher;
  logger: Logger;
  observer: UpstreamObserver;
  /** Bodies longer than this are cut off while streaming. */
  maxResponseBytes: number;
}

export type Transport = (req: WireRequest, signal: AbortSignal) => Promise<HttpResponse>;

/**
 * The innermost layer: one undici request, aborted by `signal` (the timeout
 * policy's, which also carries cancellation), its body read up to a byte
 * limit. Every attempt is reported to the observer.
 */
export function createTransport(options: TransportOptions): Transport {
  const { vendor, connection, dispatcher, observer } = options;
  const fail = (code: ConstructorParameters<typeof UpstreamError>[0], detail: string, retryable: boolean) =>
    new UpstreamError(code, vendor, connection, detail, null, retryable);

  return async (req, signal) => {
    // Vendor-call lines carry the request id of the operation that caused the call.
    const logger = currentOperation()?.logger.child({ connection }) ?? options.logger;
    const path = new URL(req.url).pathname;
    const started = Date.now();
    const report = (outcome: 'ok' | 'timeout' | 'aborted' | 'unreachable' | 'too-large', status: number | null) =>
      observer.report({ kind: 'vendor-request', connection, vendor, label: req.label, outcome, statusClass: statusClass(status), latencyMs: Date.now() - started });
    if (signal.aborted) throw abortReason(signal);
    // While this call waited for a slot, the connection may have refused the operation or its deadline passed.
    currentOperation()?.budget?.admit?.(connection);
    let status: number | null = null;
    try {
      const res = await request(req.url, { method: req.method, headers: req.headers, body: req.body, dispatcher, signal });
      status = res.statusCode;
      const text = await readLimited(res.body, options.maxResponseBytes);
      if (text === null) {
        report('too-large', status);
        logger.warn('upstream body too large', { label: req.label, method: req.method, path, status, limitBytes: options.maxResponseBytes });
        throw fail('UPSTREAM_BAD_RESPONSE', `answered with a body larger than ${options.maxResponseBytes} bytes`, false);
      }
      report('ok', status);
      // Repeated 401/403 within one operation stop that connection's remaining calls (src/operation-budget.ts).
      currentOperation()?.budget?.answered?.(connection, res.statusCode);
      logger.debug('upstream call', { label: req.label, method: req.method, path, status, ms: Date.now() - started });
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      if (err instanceof UpstreamError) throw err;
      const name = (err as Error).name;
      const code = (err as { code?: string }).code;
      const aborted = signal.aborted;
      report(aborted ? 'aborted' : 'unreachable', status);
      logger.warn('upstream call failed', { label: req.label, method: req.method, path, error: aborted ? 'aborted' : (code ?? name), ms: Date.now() - started });
      if (aborted) throw abortReason(signal);
      throw fail('UPSTREAM_UNAVAILABLE', `could not be reached (${code ?? name})`, true);
    }
  };
}

/** The body as text, or null once it passes `limit` bytes (the rest is not read: the socket is dropped). */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whatever the aborting layer gave as reason (the timeout policy or the caller), as an Error. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
