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
  /** Counts vendor calls that really go out (never cache hits or joined calls); throws when the operation's budget is spent. */
  budget?: { spend(connection: string): void };
  /** Epoch ms by which the whole operation must be answered. */
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
