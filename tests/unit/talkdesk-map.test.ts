import { mapAccount, mapOrganisation, mapUsage } from '../../src/vendors/talkdesk/map';
import type { TalkdeskUsageWire } from '../../src/vendors/talkdesk/wire';

const wire: TalkdeskUsageWire = {
  id: '8f3e643c16671acaf60e8bceddbc1877',
  account_id: '5ea75fe7aa224700012eae40',
  product_id: 'TD-USG-TEL-IN-102201',
  aggr_product_id: 'TD-USG-TEL-UG-102213',
  month: '2025-03',
  type: 'CALL',
  description: 'Inbound calls',
  currency: 'USD',
  direction: 'INBOUND',
  resolution: 'ANSWERED',
  unit: 'MINUTES',
  price: 0.0125,
  wallet_name: 'contact center',
  number_of_units: 1234,
  total_amount: 15.425,
};

describe('mapUsage', () => {
  it('keeps every Talkdesk field on the row, under the connection as organisation', () => {
    expect(mapUsage(wire, 'td-prod')).toEqual({
      month: '2025-03',
      vendor: 'TALKDESK',
      connection: 'td-prod',
      organisationExternalId: 'td-prod',
      accountExternalId: '5ea75fe7aa224700012eae40',
      botExternalId: null,
      customerExternalId: null,
      channel: null,
      type: 'CALL',
      unit: 'MINUTES',
      quantity: '1234',
      unitPrice: '0.0125',
      amount: '15.425',
      currency: 'USD',
      productId: 'TD-USG-TEL-IN-102201',
      aggregateProductId: 'TD-USG-TEL-UG-102213',
      description: 'Inbound calls',
      direction: 'INBOUND',
      resolution: 'ANSWERED',
      wallet: 'contact center',
    });
  });

  it.each([
    ['a documented type is kept', { type: 'SPEECH_TRANSCRIPTION' }, { type: 'SPEECH_TRANSCRIPTION' }],
    ['an unknown type becomes OTHER', { type: 'HOLOGRAM' }, { type: 'OTHER' }],
    ['a type of another vendor becomes OTHER', { type: 'BILLING_SESSION' }, { type: 'OTHER' }],
    ['an unknown unit becomes OTHER', { unit: 'PARSECS' }, { unit: 'OTHER' }],
    ['a null direction stays null', { direction: null }, { direction: null }],
    ['an unknown direction becomes OTHER', { direction: 'SIDEWAYS' }, { direction: 'OTHER' }],
    ['a null resolution stays null', { resolution: null }, { resolution: null }],
    ['an unknown resolution becomes OTHER', { resolution: 'TRANSFERRED' }, { resolution: 'OTHER' }],
    ['a float price becomes its exact decimal text', { price: 0.1 }, { unitPrice: '0.1' }],
    ['a fractional quantity is kept exactly', { number_of_units: 12.75 }, { quantity: '12.75' }],
    ['an amount that is not exact in binary keeps its decimal text', { total_amount: 158.0079 }, { amount: '158.0079' }],
    ['a missing price stays null', { price: null }, { unitPrice: null }],
    ['a missing amount stays null, so no rate replaces a vendor figure silently', { total_amount: null }, { amount: null }],
    ['a missing currency stays null', { currency: null }, { currency: null }],
  ])('%s', (_name, change, expected) => {
    expect(mapUsage({ ...wire, ...change } as TalkdeskUsageWire, 'td')).toMatchObject(expected);
  });
});

describe('mapAccount', () => {
  it.each([
    ['uses the account name', { id: 'a1', name: "O'Reilly Logistics", company_name: 'Other' }, "O'Reilly Logistics"],
    ['falls back to the company name when the name is empty', { id: 'a1', name: '', company_name: 'Acme' }, 'Acme'],
    ['has no name when Talkdesk gives none', { id: 'a1', name: null }, null],
  ])('%s', (_name, account, name) => {
    expect(mapAccount(account, 'td')).toEqual({ vendor: 'TALKDESK', connection: 'td', organisationExternalId: 'td', externalId: 'a1', name });
  });
});

describe('mapOrganisation', () => {
  it('names the single organisation after the connection', () => {
    expect(mapOrganisation('td-eu')).toEqual({ vendor: 'TALKDESK', connection: 'td-eu', externalId: 'td-eu', name: 'td-eu', disabled: false });
  });
});
