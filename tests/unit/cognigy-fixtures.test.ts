import { toMonthlyUsage, toOrganisation } from '../../src/vendors/cognigy/map';
import { nextCursorOf, parseBillingPage, problemTitle } from '../../src/vendors/cognigy/wire';
import { usageRecord } from '../../src/model';
import { vendorFixture } from '../helpers/fixtures';

/** Golden Cognigy fixtures: seed 001's sample verbatim and the variants contract/vendors.md names. */

const ALL = { from: '2000-01', to: '2999-12', timeZone: 'UTC' };

describe('Cognigy golden fixtures', () => {
  it("reads seed 001's sample structure, and rejects its placeholder date (year 123, month 123) naming the field", () => {
    const sample = vendorFixture('cognigy', 'seed-001-sample-response.json');
    expect(() => parseBillingPage(sample)).toThrow('items[0].conversations[0].year: expected a four-digit year, received a number');
    // The same body with a real day in place of the placeholders: every other field is read as printed.
    const real = JSON.parse(JSON.stringify(sample).replace('"day":123,"month":123,"year":123', '"day":12,"month":3,"year":2025'));
    const page = parseBillingPage(real);
    expect([page.total, nextCursorOf(page), page.previousCursor]).toEqual([1, '<string>', '<string>']);
    expect(page.items.map((i) => toOrganisation(i, 'cog'))).toEqual([{ vendor: 'COGNIGY', connection: 'cog', externalId: '<string>', name: '<string>', disabled: true }]);
    expect(toMonthlyUsage(page.items, ALL, 'cog')).toEqual([
      usageRecord({ month: '2025-03', vendor: 'COGNIGY', connection: 'cog', organisationExternalId: '<string>', channel: '<string>', type: 'CONVERSATION', unit: 'CONVERSATIONS', quantity: '123' }),
    ]);
  });

  it('reads the older docs\' next/previous cursors and sums days per month and channel, any letter case', () => {
    const page = parseBillingPage(vendorFixture('cognigy', 'older-docs-next-previous.json'));
    expect([page.total, nextCursorOf(page)]).toEqual([undefined, 'c00000000000000000000064']);
    const row = { vendor: 'COGNIGY', connection: 'cog', organisationExternalId: '5f1d7a9b2c3e4f5a6b7c8d9e', type: 'CONVERSATION', unit: 'CONVERSATIONS' } as const;
    expect(toMonthlyUsage(page.items, ALL, 'cog')).toEqual([
      usageRecord({ ...row, month: '2025-01', channel: 'webchat3', quantity: '10' }),
      usageRecord({ ...row, month: '2025-02', channel: 'whatsapp', quantity: '12' }),
    ]);
  });

  it('reads a page with neither total nor cursor', () => {
    const page = parseBillingPage(vendorFixture('cognigy', 'page-without-total-or-cursor.json'));
    expect([page.total, nextCursorOf(page)]).toEqual([undefined, null]);
    expect(page.items.map((i) => toOrganisation(i, 'cog'))).toEqual([{ vendor: 'COGNIGY', connection: 'cog', externalId: '6a', name: 'Nordic Telecom 002', disabled: true }]);
  });

  it('reads only the title of an RFC 7807 problem', () => {
    expect(problemTitle(vendorFixture('cognigy', 'problem-401.json'))).toBe('Unauthorized');
  });
});
