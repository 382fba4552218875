import { mapAccount, mapUsage } from '../../src/vendors/talkdesk/map';
import { parseAccountsPageWire, parseTokenWire, parseUsagePageWire, talkdeskErrorCode } from '../../src/vendors/talkdesk/wire';
import { usageRecord } from '../../src/model';
import { vendorFixture } from '../helpers/fixtures';

/** Golden Talkdesk fixtures: seed 003's example values and error body, and the variants contract/vendors.md names. */

const rowsOf = (name: string) => parseUsagePageWire(vendorFixture('talkdesk', name))._embedded.usage.map((u) => mapUsage(u, 'td'));
const base = { vendor: 'TALKDESK', connection: 'td', organisationExternalId: 'td' } as const;

describe('Talkdesk golden fixtures', () => {
  it("maps seed 003's example record (a page with only _embedded and _links, show link included)", () => {
    const page = parseUsagePageWire(vendorFixture('talkdesk', 'seed-003-example-values.json'));
    expect([page.total, page.total_pages, page._links.next]).toEqual([undefined, undefined, undefined]);
    expect(rowsOf('seed-003-example-values.json')).toEqual([
      usageRecord({
        ...base, month: '2023-08', accountExternalId: '5ea75fe7aa224700012eae40', type: 'NUMBER', unit: 'MINUTES', quantity: '5', unitPrice: '1', amount: '5',
        currency: 'USD', productId: 'TD-LIC-APP-RC-101910', aggregateProductId: 'TD-USG-TEL-UG-102213', description: 'SIP Number', direction: 'INBOUND',
        resolution: null, wallet: 'contact center',
      }),
    ]);
  });

  it('maps a contract page, exact money, unknown enum values as OTHER', () => {
    const page = parseUsagePageWire(vendorFixture('talkdesk', 'contract-usage-page.json'));
    expect([page.total, page.total_pages, page._links.next?.href]).toEqual([3, 2, 'https://api.talkdeskapp.com/express/usage/month?page=2&per_page=2']);
    expect(rowsOf('contract-usage-page.json')).toEqual([
      usageRecord({
        ...base, month: '2025-01', accountExternalId: '5ea75fe7aa224700012eae40', type: 'CALL', unit: 'MINUTES', quantity: '1001', unitPrice: '0.0125', amount: '12.5125',
        currency: 'EUR', productId: 'TD-USG-TEL-IN-102201', aggregateProductId: 'TD-USG-TEL-UG-102213', description: 'Inbound calls', direction: 'INBOUND',
        resolution: 'ANSWERED', wallet: 'contact center',
      }),
      usageRecord({
        ...base, month: '2025-01', accountExternalId: '5ea75fe7aa224700012eae40', type: 'OTHER', unit: 'OTHER', quantity: '3', unitPrice: '0.1', amount: '0.3',
        currency: 'EUR', productId: 'TD-USG-SMS-OUT-103001', aggregateProductId: 'TD-USG-SMS-UG-103000', description: 'Future product', direction: 'OTHER',
        resolution: 'OTHER', wallet: 'digital',
      }),
    ]);
  });

  it('reads a record whose nullable fields are absent, and a page without links or totals', () => {
    expect(rowsOf('usage-page-nullables-absent.json')).toEqual([
      usageRecord({ ...base, month: '2025-02', accountExternalId: 'acc-2', type: 'OTHER', unit: 'REQUESTS', quantity: '250000' }),
    ]);
  });

  it('reads accounts, the company name standing in for an absent name', () => {
    expect(parseAccountsPageWire(vendorFixture('talkdesk', 'accounts-page.json'))._embedded.accounts.map((a) => mapAccount(a, 'td'))).toEqual([
      { vendor: 'TALKDESK', connection: 'td', organisationExternalId: 'td', externalId: '5ea75fe7aa224700012eae40', name: 'Acme Support' },
      { vendor: 'TALKDESK', connection: 'td', organisationExternalId: 'td', externalId: 'acc-2', name: 'Blue Harbor' },
    ]);
  });

  it("reads the token answer and seed 003's error body", () => {
    expect(parseTokenWire(vendorFixture('talkdesk', 'token.json'))).toEqual({
      access_token: 'eyJhbGciOi.fixture.token', token_type: 'Bearer', expires_in: 3600, scope: 'express-accounts-usage:read',
    });
    expect(talkdeskErrorCode(vendorFixture('talkdesk', 'seed-003-error-403.json'))).toBe('0403001');
  });

  it.each([
    ['a record without id', { id: undefined }, 'id'],
    ['a record without number_of_units', { number_of_units: undefined }, 'number_of_units'],
    ['a record without total_amount', { total_amount: undefined }, 'total_amount'],
    ['a record with a month that is not YYYY-MM', { month: '08-2023' }, 'month'],
  ])('still rejects %s, naming the field', (_label, change, field) => {
    const body = vendorFixture('talkdesk', 'seed-003-example-values.json') as { _embedded: { usage: Record<string, unknown>[] } };
    Object.assign(body._embedded.usage[0], change);
    expect(() => parseUsagePageWire(JSON.parse(JSON.stringify(body)))).toThrow(field);
  });
});
