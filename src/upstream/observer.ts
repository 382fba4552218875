import type { Logger } from '../logger';
import type { Vendor } from '../vendors/types';

/**
 * What every layer of src/upstream reports, as plain typed events: one
 * observer receives them all, so metrics (prom-client) and logs read the same
 * facts. An observer must not throw and must not block: it is called inline.
 */
export type UpstreamEvent =
  | {
      kind: 'vendor-request';
      connection: string;
      vendor: Vendor;
      label: string | undefined;
      /** ok: any HTTP answer read whole; the rest name why there was none. */
      outcome: 'ok' | 'timeout' | 'aborted' | 'unreachable' | 'too-large';
      /** '2xx'..'5xx', or 'none' when no status arrived. */
      statusClass: '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none';
      latencyMs: number;
    }
  | { kind: 'cache'; cache: 'vendor_answers' | 'responses' | 'other'; tier: 'memory' | 'redis'; result: 'hit' | 'miss' | 'stale' | 'error' }
  | { kind: 'in-flight-join'; connection: string }
  | { kind: 'breaker'; connection: string; state: 'open' | 'half-open' | 'closed'; reason?: string }
  | { kind: 'retry'; connection: string; attempt: number; delayMs: number }
  | { kind: 'stale-served'; connection: string; ageSeconds: number };

export interface UpstreamObserver {
  report(event: UpstreamEvent): void;
}

/** The default observer: breaker changes and stale answers at info/warn, the rest at debug. */
export function createLogObserver(logger: Logger): UpstreamObserver {
  return {
    report(event) {
      if (event.kind === 'breaker') {
        (event.state === 'open' ? logger.warn : logger.info).call(logger, `circuit ${event.state}`, { connection: event.connection, reason: event.reason });
      } else if (event.kind === 'stale-served') {
        logger.warn('served a stale vendor answer', { connection: event.connection, ageSeconds: event.ageSeconds });
      } else {
        logger.debug(`upstream ${event.kind}`, { ...event });
      }
    },
  };
}

/** Several observers as one (logs and metrics); one that throws does not stop the others. */
export function combineObservers(...observers: UpstreamObserver[]): UpstreamObserver {
  return {
    report(event) {
      for (const o of observers) {
        try {
          o.report(event);
        } catch {
          // An observer's fault must never fail a vendor call.
        }
      }
    },
  };
}

/** For code paths that have no observer to report to (unit tests of connectors). */
export const silentObserver: UpstreamObserver = { report: () => undefined };

/** '2xx' for 204 and so on. */
export function statusClass(status: number | null): Extract<UpstreamEvent, { kind: 'vendor-request' }>['statusClass'] {
  if (status === null || status < 100 || status > 599) return 'none';
  return `${Math.floor(status / 100)}xx` as '2xx';
}
