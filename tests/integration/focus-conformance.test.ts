import Decimal from 'decimal.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { startTestApp, type TestApp } from '../helpers/app';
import { csvObjects } from '../helpers/csv';

/**
 * The FOCUS export checked against the FOCUS 1.2 column library checked into
 * tests/fixtures/focus/ (extracted from the FinOps Foundation's specification
 * repository, tag v1.2): a year of the simulators' usage over real HTTP, every
 * row, every column the library defines, and BilledCost against the usage report.
 */

interface LibraryColumn {
  id: string;
  featureLevel: string;
  allowsNulls: boolean;
  dataType: string;
  valueFormat: string;
  allowedValues: string[] | null;
}
const library = JSON.parse(readFileSync(join(__dirname, '../fixtures/focus/columns-1.2.json'), 'utf8')) as {
  version: string;
  source: { repository: string; tag: string; commit: string; path: string };
  columns: LibraryColumn[];
};
const byId = new Map(library.columns.map((c) => [c.id, c]));

const FROM = '2025-01';
const TO = '2025-12';
/** FOCUS unit (Unit Format) -> the report's unit: the names a FinOps tool reads. */
const REPORT_UNIT: Record<string, string> = {
  Sessions: 'SESSIONS', Conversations: 'CONVERSATIONS', Minutes: 'MINUTES', Numbers: 'NUMBERS', Requests: 'REQUESTS', Segments: 'SEGMENTS',
  Characters: 'CHARS', GB: 'GB', Pages: 'PAGES', Seconds: 'SECONDS', Units: 'OTHER',
};
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const DECIMAL = /^-?\d+(\.\d+)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber();

let app: TestApp;
let header: string[];
let rows: Record<string, string | null>[];
let unpricedHeader: string | undefined;

beforeAll(async () => {
  app = await startTestApp();
  const res = await request(`${app.url}/export/focus.csv?from=${FROM}&to=${TO}`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['x-usagegraph-incomplete']).toBeUndefined();
  unpricedHeader = res.headers['x-usagegraph-unpriced'] as string | undefined;
  ({ header, rows } = csvObjects(await res.body.text()));
}, 120_000);
afterAll(() => app?.close());

describe('the checked-in column library', () => {
  it('is FOCUS 1.2 from the FinOps Foundation specification repository, pinned to a commit', () => {
    expect(library.version).toBe('1.2');
    expect(library.source).toMatchObject({ repository: 'https://github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec', tag: 'v1.2', path: 'specification/columns' });
    expect(library.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(library.columns.filter((c) => c.featureLevel === 'Mandatory').map((c) => c.id)).toEqual(expect.arrayContaining(['BilledCost', 'ChargePeriodStart', 'ServiceCategory']));
  });
});

describe('a year of FOCUS rows from the simulators', () => {
  it('has every mandatory column, and every column the issue names', () => {
    const mandatory = library.columns.filter((c) => c.featureLevel === 'Mandatory').map((c) => c.id);
    expect(mandatory.length).toBeGreaterThan(15);
    expect(header).toEqual(expect.arrayContaining(mandatory));
    expect(header).toEqual(expect.arrayContaining([
      'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'BillingCurrency', 'BillingAccountId', 'BillingAccountName', 'SubAccountId', 'SubAccountName',
      'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency',
      'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit', 'ListUnitPrice', 'ContractedUnitPrice', 'ProviderName', 'PublisherName',
      'InvoiceIssuerName', 'ServiceName', 'ServiceCategory', 'SkuId', 'Tags',
    ]));
  });

  it('names only library columns, and custom columns with the x_ prefix', () => {
    for (const column of header) expect(byId.has(column) || column.startsWith('x_')).toBe(true);
    expect(header.filter((c) => c.startsWith('x_'))).toEqual(expect.arrayContaining(['x_Channel', 'x_SessionType', 'x_ProductId', 'x_Wallet']));
  });

  it('gives every row a value of the type, format and allowed values the library says', () => {
    expect(rows.length).toBeGreaterThan(1000);
    const problems: string[] = [];
    rows.forEach((row, i) => {
      for (const column of header.filter((c) => byId.has(c))) {
        const spec = byId.get(column)!;
        const value = row[column];
        const fail = (why: string) => problems.push(`row ${i + 2} ${column}=${JSON.stringify(value)}: ${why}`);
        if (value === null) {
          if (!spec.allowsNulls) fail('null where the library allows none');
          continue;
        }
        if (spec.dataType === 'Decimal' && !DECIMAL.test(value)) fail('not a plain decimal (Numeric Format)');
        if (spec.dataType === 'Date/Time' && (!INSTANT.test(value) || Number.isNaN(Date.parse(value)))) fail('not YYYY-MM-DDTHH:mm:ssZ');
        if (spec.dataType === 'JSON') {
          const parsed: unknown = JSON.parse(value);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('not a key-value JSON object');
        }
        if (spec.valueFormat === 'Currency Format' && !CURRENCIES.has(value)) fail('not an ISO 4217 currency');
        if (/unit format/i.test(spec.valueFormat) && !/^([A-Z][a-z]+|[KMGTPE]i?[bB])$/.test(value)) fail('not a single unit in Unit Format');
        if (spec.allowedValues && !spec.allowedValues.includes(value)) fail('not an allowed value');
      }
    });
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('keeps each charge period inside its billing period, start before end', () => {
    const wrong = rows.filter((row) => {
      const [cs, ce, bs, be] = [row.ChargePeriodStart, row.ChargePeriodEnd, row.BillingPeriodStart, row.BillingPeriodEnd].map((v) => Date.parse(v!));
      return !(cs < ce && bs <= cs && ce <= be);
    });
    expect(wrong).toEqual([]);
  });

  it('follows the conditional nullability rules for usage rows', () => {
    const pairs: [string, string][] = [['ConsumedUnit', 'ConsumedQuantity'], ['PricingUnit', 'PricingQuantity'], ['SubAccountName', 'SubAccountId'], ['SubAccountType', 'SubAccountId']];
    const usageNeeds = ['ConsumedQuantity', 'PricingQuantity', 'ListUnitPrice', 'ContractedUnitPrice', 'SkuId', 'PricingCategory'];
    const problems: string[] = [];
    rows.forEach((row, i) => {
      for (const [a, b] of pairs) if ((row[a] === null) !== (row[b] === null)) problems.push(`row ${i + 2}: ${a} and ${b} differ in nullness`);
      if (row.ChargeCategory === 'Usage') for (const column of usageNeeds) if (row[column] === null) problems.push(`row ${i + 2}: usage row without ${column}`);
    });
    expect(rows.filter((r) => r.ChargeCategory === 'Usage').length).toBe(rows.length);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('prices every row so that unit price x pricing quantity is the cost (exactly, unless derived from a vendor total)', () => {
    const problems: string[] = [];
    rows.forEach((row, i) => {
      const list = new Decimal(row.ListUnitPrice!).times(row.PricingQuantity!);
      const contracted = new Decimal(row.ContractedUnitPrice!).times(row.PricingQuantity!);
      const matches = row.x_PriceSource === 'VendorTotal'
        ? cents(list) === cents(new Decimal(row.ListCost!))
        : list.equals(row.ListCost!) && contracted.equals(row.ContractedCost!);
      if (!matches) problems.push(`row ${i + 2}: ${row.ListUnitPrice} x ${row.PricingQuantity} is not ${row.ListCost}`);
    });
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it("sums BilledCost to the usage report's totals per unit and currency to the cent, and per currency", async () => {
    const report = await app.query(`query($f: UsageFilter!) { usage(filter: $f, groupBy: [CURRENCY]) { totals { unit quantity currency amount } incomplete } }`, { f: { from: FROM, to: TO } });
    expect(report.errors).toBeUndefined();
    expect(report.data.usage.incomplete).toBe(false);
    const focusByUnit = new Map<string, Decimal>();
    const focusByCurrency = new Map<string, Decimal>();
    for (const row of rows) {
      const key = `${REPORT_UNIT[row.PricingUnit!]}/${row.BillingCurrency}`;
      focusByUnit.set(key, (focusByUnit.get(key) ?? new Decimal(0)).plus(row.BilledCost!));
      focusByCurrency.set(row.BillingCurrency!, (focusByCurrency.get(row.BillingCurrency!) ?? new Decimal(0)).plus(row.BilledCost!));
    }
    const priced = (report.data.usage.totals as { unit: string; currency: string | null; amount: number | null }[]).filter((t) => t.currency !== null);
    expect(Object.fromEntries([...focusByUnit].map(([k, v]) => [k, cents(v)]))).toEqual(Object.fromEntries(priced.map((t) => [`${t.unit}/${t.currency}`, t.amount])));
    expect([...focusByCurrency.keys()].sort()).toEqual(['EUR', 'USD']);
    for (const [currency, sum] of focusByCurrency) {
      const reported = priced.filter((t) => t.currency === currency).reduce((s, t) => s.plus(t.amount!), new Decimal(0));
      // The report rounds each unit's total to the cent; the FOCUS sum is exact.
      expect(sum.minus(reported).abs().toNumber()).toBeLessThanOrEqual(0.005 * priced.filter((t) => t.currency === currency).length);
    }
    // The one total with no money (Cognigy conversations, no rate) is the unpriced header, not rows.
    const unpricedTotals = (report.data.usage.totals as { unit: string; currency: string | null; quantity: number }[]).filter((t) => t.currency === null);
    expect(unpricedTotals.map((t) => t.unit)).toEqual(['CONVERSATIONS']);
    expect(unpricedHeader).toMatch(new RegExp(`^cognigy-demo CONVERSATIONS ${unpricedTotals[0].quantity} \\(\\d+ records\\)$`));
  });
});
