import { toAccount, toAccountUsage, toCustomer, toCustomerUsage } from '../../src/vendors/evovoice/map';
import { parseAccountsPage, parseAIUsage, parseCustomersPage, vendorErrorCode } from '../../src/vendors/evovoice/wire';
import { usageRecord } from '../../src/model';
import { vendorFixture, vendorFixtureText } from '../helpers/fixtures';

/** Golden Evovoice fixtures: seed 002's XML samples verbatim, their JSON rendering, and the variants contract/vendors.md names. */

const minutes = { vendor: 'EVOVOICE', connection: 'evo', organisationExternalId: 'evo', type: 'AI_MINUTES', unit: 'MINUTES' } as const;

/** Leaf elements of an XML document in order, as "Name=value". */
const xmlLeaves = (xml: string) => [...xml.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map(([, name, value]) => `${name}=${value}`);
/** Leaf fields of a JSON value in order, as "Name=value". */
const jsonLeaves = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap(jsonLeaves) : typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? jsonLeaves(v) : [`${k}=${v}`]))
    : [];

describe('Evovoice golden fixtures', () => {
  it("renders seed 002's XML response as PascalCase JSON with the same fields and values, and maps it", () => {
    const xml = vendorFixtureText('evovoice', 'seed-002-sample-response.xml');
    const json = vendorFixture('evovoice', 'seed-002-sample-response.pascal.json');
    expect(jsonLeaves(json)).toEqual(xmlLeaves(xml));
    const usage = parseAIUsage(json);
    expect(usage).toEqual({ accountUsage: [{ accountId: 'String', aiMinutes: 0 }], customerUsage: [{ accountId: 'String', customerId: 'String', aiMinutes: 0 }] });
    expect(toAccountUsage('evo', '2025-01', usage)).toEqual([usageRecord({ ...minutes, month: '2025-01', accountExternalId: 'String', quantity: '0' })]);
    expect(toCustomerUsage('evo', '2025-01', usage)).toEqual([
      usageRecord({ ...minutes, month: '2025-01', accountExternalId: 'String', customerExternalId: 'String', quantity: '0' }),
    ]);
  });

  it("keeps seed 002's request parameters: AccountId, CustomerId, EndDate, StartDate", () => {
    expect(xmlLeaves(vendorFixtureText('evovoice', 'seed-002-sample-request.xml'))).toEqual(['AccountId=String', 'CustomerId=String', 'EndDate=String', 'StartDate=String']);
  });

  it('maps the camelCase answer: account totals apart from customer rows', () => {
    const usage = parseAIUsage(vendorFixture('evovoice', 'usage-camel-case.json'));
    const a1 = '1b6f1d5e-0000-4000-8000-000000000001';
    expect(toAccountUsage('evo', '2025-02', usage)).toEqual([
      usageRecord({ ...minutes, month: '2025-02', accountExternalId: a1, quantity: '1234' }),
      usageRecord({ ...minutes, month: '2025-02', accountExternalId: '1b6f1d5e-0000-4000-8000-000000000002', quantity: '7' }),
    ]);
    expect(toCustomerUsage('evo', '2025-02', usage, new Set([a1])).map((r) => [r.customerExternalId, r.quantity])).toEqual([['c-1', '1000'], ['c-2', '200']]);
  });

  it('reads omitted lists as empty (ServiceStack leaves out null lists)', () => {
    expect(parseAIUsage(vendorFixture('evovoice', 'usage-lists-omitted.json'))).toEqual({ accountUsage: [], customerUsage: [] });
  });

  it('reads listing pages with and without totalCount and hasMorePages, in either letter case', () => {
    const accounts = parseAccountsPage(vendorFixture('evovoice', 'accounts-page-contract.json'));
    expect([accounts.totalCount, accounts.hasMorePages]).toEqual([2, false]);
    expect(accounts.items.map((a) => toAccount('evo', a))).toEqual([
      { vendor: 'EVOVOICE', connection: 'evo', organisationExternalId: 'evo', externalId: '1b6f1d5e-0000-4000-8000-000000000001', name: 'Acme Voice 1' },
      { vendor: 'EVOVOICE', connection: 'evo', organisationExternalId: 'evo', externalId: '1b6f1d5e-0000-4000-8000-000000000002', name: null },
    ]);
    const customers = parseCustomersPage(vendorFixture('evovoice', 'customers-page-pascal-items-only.json'));
    expect([customers.totalCount, customers.hasMorePages]).toEqual([null, null]);
    expect(customers.items.map((c) => toCustomer('evo', c))).toEqual([
      { vendor: 'EVOVOICE', connection: 'evo', accountExternalId: '1b6f1d5e-0000-4000-8000-000000000001', externalId: 'c-1', name: 'Acme Dental 1.1' },
    ]);
  });

  it('reads the error code of a ServiceStack error body', () => {
    expect(vendorErrorCode(vendorFixture('evovoice', 'error-403.json'))).toBe('Forbidden');
  });
});
