import { OperationBudgetError } from '../../src/errors';
import { beforeDeadline, OperationBudget } from '../../src/operation-budget';

const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof OperationBudgetError ? err.code : `unexpected ${String(err)}`;
  }
};

describe('OperationBudget', () => {
  it('lets exactly the budgeted number of vendor calls go out, then refuses with BUDGET_EXCEEDED', () => {
    const budget = new OperationBudget(3, Date.now() + 60_000, 60_000);
    expect([1, 2, 3, 4].map(() => codeOf(() => budget.spend('kore')))).toEqual([null, null, null, 'BUDGET_EXCEEDED']);
    expect(budget.callsMade).toBe(3);
  });

  it('refuses every call once the deadline has passed, with UPSTREAM_TIMEOUT', () => {
    let now = 1000;
    const budget = new OperationBudget(100, 2000, 1000, () => now);
    expect(codeOf(() => budget.spend('kore'))).toBeNull();
    now = 2000;
    expect(codeOf(() => budget.spend('kore'))).toBe('UPSTREAM_TIMEOUT');
  });

  it.each([
    ['three 403s in a row stop the connection', [403, 403, 403], 'UPSTREAM_FORBIDDEN'],
    ['three 401s in a row stop the connection', [401, 401, 401], 'UPSTREAM_UNAUTHORIZED'],
    ['two refusals do not', [403, 403], null],
    ['a 2xx between refusals starts the count again', [403, 403, 200, 403, 403], null],
    ['other errors do not count, nor reset', [403, 500, 403, 403], 'UPSTREAM_FORBIDDEN'],
  ])('%s', (_what, statuses, expected) => {
    const budget = new OperationBudget(100, Date.now() + 60_000, 60_000);
    for (const status of statuses) budget.answered('talkdesk', status);
    expect(codeOf(() => budget.spend('talkdesk'))).toBe(expected);
    // Other connections are unaffected.
    expect(codeOf(() => budget.spend('kore'))).toBeNull();
  });
});

describe('beforeDeadline', () => {
  it('gives the work its result when it finishes first', async () => {
    await expect(beforeDeadline(Promise.resolve('done'), Date.now() + 60_000, () => 'late')).resolves.toBe('done');
  });

  it('gives the late value when the deadline comes first', async () => {
    await expect(beforeDeadline(new Promise<string>(() => undefined), Date.now() + 10, () => 'late')).resolves.toBe('late');
  });

  it('waits for the work when there is no deadline', async () => {
    await expect(beforeDeadline(Promise.resolve(1), null, () => 2)).resolves.toBe(1);
  });
});
