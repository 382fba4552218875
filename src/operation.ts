import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './logger';
import type { StaleAnswers } from './upstream/stale-answers';

/**
 * What one operation (a GraphQL request, later an export) carries down to the
 * vendor calls it causes: its request id and logger, so vendor-call log lines
 * name the request, and a signal that is aborted when the client goes away.
 * It travels in AsyncLocalStorage rather than through every connector method:
 * it is set in one place (the HTTP route, `runInOperation`) and read in one
 * place (`src/upstream`), and connectors stay unaware of it.
 */
export interface OperationScope {
  requestId: string;
  /** The calling client's name (`anonymous` when no keys are configured). */
  client: string;
  /** The request's logger, already bound to requestId and client. */
  logger: Logger;
  /** Aborted when the operation is abandoned (client gone); vendor calls nobody else waits for stop. */
  signal: AbortSignal;
  /** The GraphQL operation's name, once Apollo has resolved it (request-log plugin); log lines carry it. */
  operationName?: string;
  /**
   * The operation's vendor-call budget (src/operation-budget.ts). src/upstream calls
   * `spend` when a real vendor call is queued to go out and `admit` right before it is
   * sent (both throw a typed error, e.g. BUDGET_EXCEEDED, when it may not be made), and
   * `answered` with the status of each vendor answer (repeated 401/403 stop that connection's calls).
   */
  budget?: { spend(connection: string): void; admit?(connection: string): void; answered?(connection: string, status: number): void };
  /** Epoch ms of the operation's deadline; `signal` is aborted then too. */
  deadlineAt?: number;
  /** Epoch ms the operation started; each source's deadline (upstream.sourceDeadlineMs) counts from here. */
  startedAt?: number;
  /** Vendor answers served stale for this operation, by connection. */
  staleAnswers?: StaleAnswers;
}

const storage = new AsyncLocalStorage<OperationScope>();

/** Runs `fn` (and everything it starts) as part of the operation. */
export function runInOperation<T>(scope: OperationScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The operation the current code runs for; undefined outside a request (start-up, tests of connectors). */
export function currentOperation(): OperationScope | undefined {
  return storage.getStore();
}
