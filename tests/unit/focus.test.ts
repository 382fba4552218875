import { derivedUnitPrice, focusDataset, focusInstant, focusRow, priceSourceOf, type RecordNames } from '../../src/usage/focus';
import { decodeId } from '../../src/ids';
import { usageRecord, type UsageRecord } from '../../src/vendors/types';

const names: RecordNames = { organisation: 'Acme', account: 'Acme Support', bot: 'Claims Bot', priceSource: 'RateCard' };

const kore = usageRecord({
  month: '2025-01', vendor: 'KORE_AI', connection: 'kore', organisationExternalId: 'ws-1', botExternalId: 'st-1',
  channel: 'msteams', type: 'ALERT_SESSION', unit: 'SESSIONS', quantity: '7', unitPrice: '0.05', amount: '0.35', currency: 'USD',
});
const talkdesk = usageRecord({
  month: '2025-12', vendor: 'TALKDESK', connection: 'td', organisationExternalId: 'td', accountExternalId: 'acc-9',
  type: 'CALL', unit: 'MINUTES', quantity: '39646', unitPrice: '0.0125', amount: '495.575', currency: 'EUR',
  productId: 'TD-USG-TEL-IN-102201', aggregateProductId: 'TD-USG-TEL-UG-102213', description: 'Inbound calls', direction: 'INBOUND', resolution: 'ANSWERED', wallet: 'contact center',
});
const cognigy = usageRecord({ month: '2025-02', vendor: 'COGNIGY', connection: 'cog', organisationExternalId: 'org-1', channel: 'webchat', type: 'CONVERSATION', unit: 'CONVERSATIONS', quantity: '986' });

describe('focusRow', () => {
  it.each<[string, UsageRecord, Partial<Record<string, unknown>>]>([
    ['a Kore.ai bot month priced at the rate', kore, {
      BillingAccountName: 'kore', SubAccountName: 'Claims Bot', SubAccountType: 'Bot',
      BillingPeriodStart: '2025-01-01T00:00:00Z', BillingPeriodEnd: '2025-02-01T00:00:00Z', ChargePeriodStart: '2025-01-01T00:00:00Z', ChargePeriodEnd: '2025-02-01T00:00:00Z',
      ChargeCategory: 'Usage', ChargeClass: null, ChargeFrequency: 'Usage-Based', ChargeDescription: 'Kore.ai alert billing sessions, channel msteams',
      BilledCost: '0.35', EffectiveCost: '0.35', ListCost: '0.35', ContractedCost: '0.35', BillingCurrency: 'USD',
      ConsumedQuantity: '7', ConsumedUnit: 'Sessions', PricingQuantity: '7', PricingUnit: 'Sessions', ListUnitPrice: '0.05', ContractedUnitPrice: '0.05',
      ProviderName: 'Kore.ai', PublisherName: 'Kore.ai', InvoiceIssuerName: 'Kore.ai', ServiceCategory: 'AI and Machine Learning', ServiceSubcategory: 'Bots',
      SkuId: 'KORE_AI:ALERT_SESSION:SESSIONS', Tags: { 'usagegraph/organisation': 'Acme', 'usagegraph/channel': 'msteams' },
      x_SessionType: 'Alerts', x_Channel: 'msteams', x_OrganisationName: 'Acme', x_PriceSource: 'RateCard',
    }],
    ['a Talkdesk account month in euros, December crossing into the next year', talkdesk, {
      SubAccountName: 'Acme Support', SubAccountType: 'Account', ChargePeriodStart: '2025-12-01T00:00:00Z', ChargePeriodEnd: '2026-01-01T00:00:00Z',
      ChargeDescription: 'Inbound calls', BilledCost: '495.575', BillingCurrency: 'EUR', ConsumedUnit: 'Minutes', ListUnitPrice: '0.0125',
      ServiceName: 'Talkdesk Voice', ServiceCategory: 'Business Applications', SkuId: 'TD-USG-TEL-IN-102201',
      x_ProductId: 'TD-USG-TEL-IN-102201', x_AggregateProductId: 'TD-USG-TEL-UG-102213', x_Direction: 'INBOUND', x_Resolution: 'ANSWERED', x_Wallet: 'contact center', x_SessionType: null,
    }],
    ['phone numbers as a recurring charge', { ...talkdesk, type: 'NUMBER', unit: 'NUMBERS', quantity: '34', unitPrice: '1', amount: '34' }, {
      ChargeCategory: 'Usage', ChargeFrequency: 'Recurring', ConsumedUnit: 'Numbers', ServiceName: 'Talkdesk Numbers',
    }],
    ['a wallet recharge as a one-time purchase with no consumed quantity', { ...talkdesk, type: 'RECHARGE', unit: 'OTHER', quantity: '1', unitPrice: '500', amount: '500' }, {
      ChargeCategory: 'Purchase', ChargeFrequency: 'One-Time', ConsumedQuantity: null, ConsumedUnit: null, PricingQuantity: '1', PricingUnit: 'Units', ServiceName: 'Talkdesk Wallet',
    }],
    ['a vendor total with no unit price: the price derived from it', { ...talkdesk, unitPrice: null, quantity: '3', amount: '1' }, {
      ListUnitPrice: '0.3333333333333333', ContractedUnitPrice: '0.3333333333333333', BilledCost: '1',
    }],
    ['a sub account the listing has no name for: named by its vendor id', kore, { SubAccountName: 'st-1' }],
  ])('maps %s', (_, record, expected) => {
    const row = focusRow(record, expected.SubAccountName === 'st-1' ? { ...names, bot: null } : names);
    expect(row).toMatchObject(expected);
  });

  it('names the connection and sub account by the global ids the API takes back (node, usage filters)', () => {
    const row = focusRow(kore, names);
    expect(decodeId(row.BillingAccountId!)).toEqual({ kind: 'VendorConnection', connection: 'kore', externalId: '' });
    expect(decodeId(row.SubAccountId!)).toEqual({ kind: 'Bot', connection: 'kore', externalId: 'st-1' });
    expect(decodeId(row.x_OrganisationId!)).toEqual({ kind: 'Organisation', connection: 'kore', externalId: 'ws-1' });
  });

  it('refuses a record without money: FOCUS has no null cost', () => {
    expect(() => focusRow(cognigy, names)).toThrow('priced record');
  });
});

describe('focusDataset', () => {
  it('leaves unpriced records out of the rows and sums them per connection and unit, exactly', () => {
    const { rows, unpriced } = focusDataset([talkdesk, cognigy, kore, { ...cognigy, month: '2025-03', quantity: '0.5' }], () => names);
    expect(rows.map((r) => r.x_Vendor)).toEqual(['KORE_AI', 'TALKDESK']);
    expect(unpriced).toEqual([{ connection: 'cog', vendor: 'COGNIGY', unit: 'CONVERSATIONS', quantity: '986.5', records: 2 }]);
  });

  it('orders rows by charge period, then connection and sub account', () => {
    const later = { ...kore, month: '2025-02' };
    const { rows } = focusDataset([later, talkdesk, kore], () => names);
    expect(rows.map((r) => `${r.ChargePeriodStart} ${r.BillingAccountName}`)).toEqual([
      '2025-01-01T00:00:00Z kore', '2025-02-01T00:00:00Z kore', '2025-12-01T00:00:00Z td',
    ]);
  });
});

describe('money and time formats', () => {
  it.each([
    ['1', '3', '0.3333333333333333'],
    ['529.89', '39646', '0.0133655349846138'],
    ['10', '4', '2.5'],
    ['5', '0', '0'],
    ['0.000001', '1', '0.000001'],
  ])('derives the unit price of a total %s over %s units as %s', (amount, quantity, price) => {
    expect(derivedUnitPrice(amount, quantity)).toBe(price);
  });

  it('writes instants as YYYY-MM-DDTHH:mm:ssZ', () => {
    expect(focusInstant(new Date('2025-03-01T00:00:00.000Z'))).toBe('2025-03-01T00:00:00Z');
  });

  it.each<[string, UsageRecord, 'Vendor' | 'VendorTotal' | 'RateCard']>([
    ['priced by the configured rate', kore, 'RateCard'],
    ['the vendor\'s own price and amount', talkdesk, 'Vendor'],
    ['a vendor price that differs from the rate', { ...kore, unitPrice: '0.06', amount: '0.42' }, 'Vendor'],
    ['a vendor total alone', { ...talkdesk, unitPrice: null }, 'VendorTotal'],
  ])('says where the money came from: %s', (_, record, source) => {
    expect(priceSourceOf(record, [{ vendor: 'KORE_AI', unit: 'SESSIONS', price: '0.05', currency: 'USD' }])).toBe(source);
  });
});
