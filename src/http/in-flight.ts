import type { ServerResponse } from 'node:http';

/**
 * The requests being served, so a shutdown can let them finish and then
 * abort the ones still running when the grace period ends. A request leaves
 * the set when its response closes (sent, or the client went away).
 */
export class InFlightRequests {
  private readonly open = new Map<ServerResponse, AbortController>();
  private emptied: (() => void) | null = null;

  /** Registers a response; the returned signal is aborted if it is still open when the grace period ends. */
  track(res: ServerResponse): AbortSignal {
    const controller = new AbortController();
    this.open.set(res, controller);
    res.once('close', () => {
      this.open.delete(res);
      if (this.open.size === 0) this.emptied?.();
    });
    return controller.signal;
  }

  get size(): number {
    return this.open.size;
  }

  /** Asks every open response to close its connection once sent (no keep-alive past a shutdown). */
  closeConnectionsWhenSent(): void {
    for (const res of this.open.keys()) if (!res.headersSent) res.setHeader('connection', 'close');
  }

  /** Resolves when no request is open, or after `graceMs`; returns how many are still open. */
  async settle(graceMs: number): Promise<number> {
    if (this.open.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.emptied = resolve;
        timer = setTimeout(resolve, graceMs);
      });
      clearTimeout(timer);
      this.emptied = null;
    }
    return this.open.size;
  }

  /** Aborts every request still open (their vendor calls stop with them). */
  abortAll(): void {
    for (const controller of this.open.values()) controller.abort(new Error('server shutting down'));
  }
}
