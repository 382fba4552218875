import { CallAbandonedError } from './policies';

/**
 * One vendor call that several requests may wait for. It runs with a signal of
 * its own, aborted only when the last waiter leaves because its operation was
 * abandoned (client gone, operation deadline): while anyone still waits it
 * goes on. A waiter that stops waiting at its source deadline leaves the call
 * running, so its answer still warms the cache.
 */
export class SharedCall<T> {
  private readonly controller = new AbortController();
  private waiters = 0;
  private settled = false;
  readonly result: Promise<T>;

  constructor(run: (signal: AbortSignal) => Promise<T>) {
    this.result = run(this.controller.signal).finally(() => {
      this.settled = true;
    });
    // A call nobody waits for any more (deadline passed) must not surface as an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /**
   * Waits for the result on behalf of one operation: rejects with
   * CallAbandonedError when `signal` aborts, and calls `onDeadline` (whose
   * answer or error is this waiter's) when `deadlineAt` passes first.
   */
  wait(signal: AbortSignal | undefined, deadlineAt: number | undefined, onDeadline: () => T): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CallAbandonedError());
    this.waiters += 1;
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let left = false;
      const leave = (abandoned: boolean) => {
        if (left) return;
        left = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters -= 1;
        if (abandoned && this.waiters === 0 && !this.settled) this.controller.abort(new CallAbandonedError());
      };
      const onAbort = () => {
        leave(true);
        reject(new CallAbandonedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadlineAt !== undefined) {
        timer = setTimeout(() => {
          leave(false);
          try {
            resolve(onDeadline());
          } catch (err) {
            reject(err);
          }
        }, Math.max(0, deadlineAt - Date.now()));
      }
      this.result.then(
        (value) => {
          leave(false);
          resolve(value);
        },
        (err) => {
          leave(false);
          reject(err);
        },
      );
    });
  }
}
