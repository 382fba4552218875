import Decimal from 'decimal.js';
import { runRate } from '../../src/usage/projection';
import { addMonths } from '../../src/usage/month';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

describe('month-end projection in demo mode', () => {
  it('projects every row and total of the month in progress by its run rate, beside (never inside) the reported figures', async () => {
    const started = new Date();
    const { month, factor } = runRate(started);
    const query = `query($month: Month!, $last: Month!) {
      usage(filter: { from: $last, to: $month }, groupBy: [MONTH, VENDOR, UNIT, CURRENCY]) {
        rows { month vendor unit currency quantity amount projection { quantity amount method } }
        totals { unit currency quantity projection { quantity } }
      }
    }`;
    const res = await app.query(query, { month, last: addMonths(month, -1) });
    expect(res.errors).toBeUndefined();
    const now = res.data.usage.rows.filter((r: any) => r.month === month);
    const ended = res.data.usage.rows.filter((r: any) => r.month !== month);
    expect(now.length).toBeGreaterThan(0);
    expect(ended.length).toBeGreaterThan(0);
    for (const row of ended) expect(row.projection).toBeNull();
    // The clock moved on a little during the query, so the factor is bounded, not exact.
    const upper = new Decimal(factor).toNumber();
    const lower = new Decimal(runRate(new Date()).factor).toNumber();
    for (const row of now) {
      expect(row.projection.method).toBe('RUN_RATE');
      expect(row.projection.quantity).toBeGreaterThanOrEqual(Math.floor(row.quantity * lower * 100) / 100 - 0.01);
      expect(row.projection.quantity).toBeLessThanOrEqual(row.quantity * upper + 0.01);
      if (row.amount !== null) expect(row.projection.amount).toBeGreaterThanOrEqual(row.amount);
    }
    // Totals span both months: their projection adds the ended month as reported to the projected one.
    for (const total of res.data.usage.totals) {
      if (total.projection) expect(total.projection.quantity).toBeGreaterThanOrEqual(total.quantity);
    }
    expect(res.data.usage.totals.some((t: any) => t.projection !== null)).toBe(true);
  });

  it('gives no projection for a report of ended months only', async () => {
    const res = await app.query(`{ usage(filter: { from: "2025-01", to: "2025-02" }) { rows { projection { quantity } } totals { projection { quantity } } } }`);
    expect(res.data.usage.rows.every((r: any) => r.projection === null)).toBe(true);
    expect(res.data.usage.totals.every((t: any) => t.projection === null)).toBe(true);
  });
});
