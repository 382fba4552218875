import { parseAccountsPage, parseAIUsage, parseCustomersPage, vendorErrorCode } from '../../src/vendors/evovoice/wire';

const normalised = {
  accountUsage: [{ accountId: 'a1', aiMinutes: 30 }],
  customerUsage: [{ accountId: 'a1', customerId: 'c1', aiMinutes: 20 }],
};

describe('Evovoice wire checks', () => {
  it.each([
    ['camelCase', { accountUsage: [{ accountId: 'a1', aiMinutes: 30 }], customerUsage: [{ accountId: 'a1', customerId: 'c1', aiMinutes: 20 }] }],
    ['PascalCase', { AccountUsage: [{ AccountId: 'a1', AIMinutes: 30 }], CustomerUsage: [{ AccountId: 'a1', CustomerId: 'c1', AIMinutes: 20 }] }],
  ])('reads an AI usage body in %s into the same shape', (_, body) => {
    expect(parseAIUsage(body)).toEqual(normalised);
  });

  it('reads a usage body without lists as no usage (ServiceStack omits null lists)', () => {
    expect(parseAIUsage({})).toEqual({ accountUsage: [], customerUsage: [] });
  });

  it.each([
    ['a body that is not an object', [], 'expected body to be an object, received an array'],
    ['a usage list that is not an array', { accountUsage: {} }, '"accountUsage" to be an array'],
    ['minutes that are not a number', { accountUsage: [{ accountId: 'a1', aiMinutes: '30' }] }, 'accountUsage[0] "aiMinutes" to be a number, received a string'],
    ['a customer row without its customer id', { customerUsage: [{ accountId: 'a1', aiMinutes: 3 }] }, 'customerUsage[0] "customerId" to be a non-empty string, received nothing'],
  ])('rejects %s, naming the mismatch', (_, body, message) => {
    expect(() => parseAIUsage(body)).toThrow(message);
  });

  it.each([
    ['with a total', { items: [{ id: 'a1', name: 'Acme' }], totalCount: 1, hasMorePages: false }, { totalCount: 1, hasMorePages: false }],
    ['without a total', { items: [{ id: 'a1', name: 'Acme' }], hasMorePages: true }, { totalCount: null, hasMorePages: true }],
  ])('reads an accounts page %s', (_, body, paging) => {
    expect(parseAccountsPage(body)).toEqual({ items: [{ id: 'a1', name: 'Acme' }], ...paging });
  });

  it.each([
    ['items that are not an array', { items: null, totalCount: 0 }, '"items" to be an array'],
    ['a negative total', { items: [], totalCount: -1 }, '"totalCount" to be a non-negative integer'],
    ['an account without an id', { items: [{ name: 'x' }] }, 'items[0] "id" to be a non-empty string'],
  ])('rejects an accounts page with %s', (_, body, message) => {
    expect(() => parseAccountsPage(body)).toThrow(message);
  });

  it('reads a customers page with each customer\'s account', () => {
    expect(parseCustomersPage({ items: [{ id: 'c1', accountId: 'a1', name: 'Dental' }], totalCount: 1, hasMorePages: false }).items).toEqual([
      { id: 'c1', accountId: 'a1', name: 'Dental' },
    ]);
  });

  it('never repeats a mismatching value in its message', () => {
    expect(() => parseCustomersPage({ items: [{ id: 'c1', accountId: 42, name: 'x' }] })).toThrow(/received a number$/);
  });

  it.each([
    [{ responseStatus: { errorCode: 'Unauthorized', message: 'Invalid UserName or Password', errors: [] } }, 'Unauthorized'],
    [{ ResponseStatus: { ErrorCode: 'ValidationException' } }, 'ValidationException'],
    [{ error: 'other' }, undefined],
    ['text', undefined],
  ])('extracts the vendor error code from %j', (body, code) => {
    expect(vendorErrorCode(body)).toBe(code);
  });
});
