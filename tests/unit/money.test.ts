import { minorDigits, showAmount, sumDecimals, toDecimal } from '../../src/usage/money';
import type { RateConfig } from '../../src/config/schema';
import { priceRecords } from '../../src/usage/rates';
import { groupUsage, totalUsage } from '../../src/usage/report';
import { usageRecord, type UsageRecord } from '../../src/model';

describe('toDecimal', () => {
  it.each([
    [0.1, '0.1'],
    [0.2, '0.2'],
    [0.05, '0.05'],
    [1e-7, '0.0000001'],
    [500, '500'],
    ['12.340', '12.34'],
  ])('turns %p into the exact decimal %s', (value, expected) => {
    expect(toDecimal(value)).toBe(expected);
  });
});

describe('sumDecimals', () => {
  it('sums 0.1 and 0.2 to exactly 0.3, unlike floats', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals([toDecimal(0.1), toDecimal(0.2)])).toBe('0.3');
  });

  it.each([
    [[], '0'],
    [['0.01', '0.02', '0.03'], '0.06'],
    [['-1.5', '1.5'], '0'],
  ])('sums %p to %s', (values, expected) => {
    expect(sumDecimals(values)).toBe(expected);
  });
});

describe('showAmount', () => {
  it.each([
    ['0.125', 'USD', 0.12],
    ['0.135', 'USD', 0.14],
    ['0.145', 'USD', 0.14],
    ['2.5', 'JPY', 2],
    ['3.5', 'JPY', 4],
    ['1234.4', 'JPY', 1234],
    ['1.0005', 'BHD', 1],
    ['1.0015', 'BHD', 1.002],
    ['1.2345', 'BHD', 1.234],
    ['0.125', null, 0.12],
  ])('rounds %s %s half-even to the currency minor unit: %p', (amount, currency, shown) => {
    expect(showAmount(amount, currency)).toBe(shown);
  });
});

describe('minorDigits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['BHD', 3],
  ])('knows %s has %i digits after the decimal point', (currency, digits) => {
    expect(minorDigits(currency)).toBe(digits);
  });
});

describe('Money', () => {
  it('totals 10,000 sessions at 0.05 USD to exactly 500.00', () => {
    const sessions: UsageRecord[] = Array.from({ length: 10_000 }, (_, i) =>
      usageRecord({
        month: '2025-03',
        vendor: 'KORE_AI',
        connection: 'kore',
        organisationExternalId: 'acct',
        botExternalId: `bot-${i % 7}`,
        channel: 'rtm',
        type: 'BILLING_SESSION',
        unit: 'SESSIONS',
        quantity: '1',
      }),
    );
    // The demo configures the rate as the number 0.05; the config schema keeps it as its decimal text.
    const rate: RateConfig = { vendor: 'KORE_AI', unit: 'SESSIONS', price: String(0.05), currency: 'USD' };
    const priced = priceRecords(sessions, [rate]);
    expect(priced.every((r) => r.amount === '0.05' && r.currency === 'USD')).toBe(true);

    const rows = groupUsage(priced, ['MONTH', 'VENDOR']);
    expect(rows).toHaveLength(1);
    expect(rows[0].quantity).toBe('10000');
    expect(rows[0].amount).toBe('500');
    expect(showAmount(rows[0].amount!, rows[0].currency)).toBe(500);

    const totals = totalUsage(rows);
    expect(totals).toEqual([{ unit: 'SESSIONS', currency: 'USD', quantity: '10000', amount: '500' }]);
    expect(showAmount(totals[0].amount!, 'USD')).toBe(500);
  });
});
