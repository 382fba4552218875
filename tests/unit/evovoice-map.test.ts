import { toAccount, toAccountUsage, toCustomer, toCustomerUsage, toOrganisation } from '../../src/vendors/evovoice/map';
import type { AIUsageWire } from '../../src/vendors/evovoice/wire';

const usage: AIUsageWire = {
  accountUsage: [
    { accountId: 'acc-1', aiMinutes: 1200 },
    { accountId: 'acc-2', aiMinutes: 0 },
  ],
  customerUsage: [
    { accountId: 'acc-1', customerId: 'cus-1', aiMinutes: 700 },
    { accountId: 'acc-1', customerId: 'cus-2', aiMinutes: 450 },
    { accountId: 'acc-2', customerId: 'cus-3', aiMinutes: 0 },
  ],
};

describe('Evovoice mapping', () => {
  it('makes the connection its one enabled organisation', () => {
    expect(toOrganisation('evo')).toEqual({ vendor: 'EVOVOICE', connection: 'evo', externalId: 'evo', name: 'evo', disabled: false });
  });

  it.each([
    ['a named account', { id: 'acc-1', name: 'Acme' }, 'Acme'],
    ['an account without a name', { id: 'acc-1', name: null }, null],
  ])('maps %s under the connection organisation', (_, wire, name) => {
    expect(toAccount('evo', wire)).toEqual({ vendor: 'EVOVOICE', connection: 'evo', organisationExternalId: 'evo', externalId: 'acc-1', name });
  });

  it('maps a customer under its account', () => {
    expect(toCustomer('evo', { id: 'cus-1', accountId: 'acc-1', name: 'Dental' })).toEqual({
      vendor: 'EVOVOICE', connection: 'evo', accountExternalId: 'acc-1', externalId: 'cus-1', name: 'Dental',
    });
  });

  it.each([
    ['every account when no filter is given', undefined, [['acc-1', '1200'], ['acc-2', '0']]],
    ['only the asked accounts', new Set(['acc-2']), [['acc-2', '0']]],
    ['nothing when no asked account reported', new Set(['acc-9']), []],
  ])('turns account usage into AI_MINUTES rows for %s', (_, accountIds, expected) => {
    const rows = toAccountUsage('evo', '2025-02', usage, accountIds);
    expect(rows.map((r) => [r.accountExternalId, r.quantity])).toEqual(expected);
    rows.forEach((r) =>
      expect(r).toMatchObject({ month: '2025-02', vendor: 'EVOVOICE', connection: 'evo', organisationExternalId: 'evo', type: 'AI_MINUTES', unit: 'MINUTES', customerExternalId: null, amount: null }),
    );
  });

  it.each([
    ['every customer when no filter is given', undefined, [['acc-1', 'cus-1', '700'], ['acc-1', 'cus-2', '450'], ['acc-2', 'cus-3', '0']]],
    ['only the customers of the asked accounts', new Set(['acc-1']), [['acc-1', 'cus-1', '700'], ['acc-1', 'cus-2', '450']]],
  ])('turns customer usage into rows with account and customer for %s', (_, accountIds, expected) => {
    const rows = toCustomerUsage('evo', '2025-02', usage, accountIds);
    expect(rows.map((r) => [r.accountExternalId, r.customerExternalId, r.quantity])).toEqual(expected);
    rows.forEach((r) => expect(r).toMatchObject({ month: '2025-02', type: 'AI_MINUTES', unit: 'MINUTES', organisationExternalId: 'evo' }));
  });

  it('never adds customer minutes to the account rows', () => {
    expect(toAccountUsage('evo', '2025-02', usage).map((r) => r.quantity)).toEqual(['1200', '0']);
  });

  it.each([
    [1200, '1200'],
    [0, '0'],
    [12.5, '12.5'],
  ])('keeps %p minutes as the decimal string %p', (minutes, quantity) => {
    const rows = toAccountUsage('evo', '2025-01', { accountUsage: [{ accountId: 'a', aiMinutes: minutes }], customerUsage: [] });
    expect(rows[0].quantity).toBe(quantity);
  });
});
