import { OperationBudgetError } from './errors';

/**
 * What one operation may cost the vendors, enforced at run time for each real
 * vendor call (never for cache hits or joined in-flight calls):
 * - at most `maxVendorCalls` calls (retries and logins count: each one reaches the vendor);
 * - none after the operation's deadline;
 * - none to a connection that refused this operation REFUSALS_BEFORE_STOP times in a row
 *   (401/403): made-up or foreign ids would otherwise each cost a call that is refused too.
 * One instance per operation, so no state outlives the request.
 */
export class OperationBudget {
  private spent = 0;
  /** Consecutive 401/403 answers per connection and the last such status. */
  private readonly refusals = new Map<string, { count: number; status: number }>();

  constructor(
    private readonly maxVendorCalls: number,
    readonly deadlineAt: number,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Vendor calls made so far. */
  get callsMade(): number {
    return this.spent;
  }

  /**
   * Counts one vendor call when it is queued to go out (src/upstream: cache hits and joined calls never
   * get here); throws when it may not be made.
   */
  spend(connection: string): void {
    this.admit(connection);
    if (this.spent >= this.maxVendorCalls) {
      throw new OperationBudgetError(
        'BUDGET_EXCEEDED',
        connection,
        `connection ${connection}: this operation already made ${this.maxVendorCalls} vendor calls, the most one operation may make; ask for fewer months, ids or aliases`,
      );
    }
    this.spent += 1;
  }

  /**
   * Checked again right before a queued call is sent, without counting it: the connection may have
   * refused the operation, or the deadline passed, while the call waited for a slot.
   */
  admit(connection: string): void {
    const refused = this.refusals.get(connection);
    if (refused && refused.count >= REFUSALS_BEFORE_STOP) {
      const code = refused.status === 401 ? 'UPSTREAM_UNAUTHORIZED' : 'UPSTREAM_FORBIDDEN';
      throw new OperationBudgetError(code, connection, `connection ${connection} refused ${refused.count} calls of this operation in a row (HTTP ${refused.status}); its remaining calls were not made`);
    }
    if (this.now() >= this.deadlineAt) {
      throw new OperationBudgetError('UPSTREAM_TIMEOUT', connection, `connection ${connection}: the operation reached its deadline (${this.timeoutMs} ms) before this vendor call`);
    }
  }

  /** Called with the status of every vendor answer: a 2xx ends a run of refusals. */
  answered(connection: string, status: number): void {
    if (status === 401 || status === 403) {
      const count = (this.refusals.get(connection)?.count ?? 0) + 1;
      this.refusals.set(connection, { count, status });
    } else if (status >= 200 && status <= 299) {
      this.refusals.delete(connection);
    }
  }
}

/** Refusals in a row after which a connection gets no more calls in this operation. */
export const REFUSALS_BEFORE_STOP = 3;

/**
 * `work`, or `late()` when the deadline comes first: the caller answers with
 * what it has instead of waiting. The timer never keeps the process alive.
 */
export function beforeDeadline<T>(work: Promise<T>, deadlineAt: number | null, late: () => T): Promise<T> {
  if (deadlineAt === null) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), Math.max(0, deadlineAt - Date.now()));
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
