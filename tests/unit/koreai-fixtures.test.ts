import { koreErrorCode, parseBillingSessionsPage, parseBotsPage } from '../../src/vendors/koreai/wire';
import { botFromWire, sessionFromWire, sessionKey, sessionsToUsage } from '../../src/vendors/koreai/map';
import { vendorFixture } from '../helpers/fixtures';

/** Golden Kore.ai fixtures: seed 000's sample verbatim and the variants contract/vendors.md names, parsed and mapped. */

const sessionsOf = (name: string) => parseBillingSessionsPage(vendorFixture('koreai', name)).sessions.map((s) => sessionFromWire(s, 'kore'));

describe('Kore.ai golden fixtures', () => {
  it("reads seed 000's sample response (total, no moreAvailable) as its two sessions", () => {
    const page = parseBillingSessionsPage(vendorFixture('koreai', 'seed-000-sample-response.json'));
    expect(page.total).toBe(2);
    expect(page.moreAvailable).toBeUndefined();
    const bot = 'st-cXaaXXXe-ddXd-XXXX-XbeX-XXXXXcXdXbcX';
    const common = {
      connection: 'kore', botExternalId: bot, externalId: 'XXXXXXbXXXcXXXXcXdXXXXXf', channel: 'ivr', type: 'CONVERSATION', rawType: 'Conversations',
      userId: 'u-eXXXXXXX-bXfX-XXXc-XXXb-XfXaaXXXXXXX', channelUserId: 'XfXXXXXfXXdXcXXXfeXXXdX/ivrvoice/00000152', conversationId: 'XXXXXXbXbXeXXbXcXXfXaXXX',
    };
    expect(sessionsOf('seed-000-sample-response.json')).toEqual([
      {
        ...common,
        conversationStart: new Date('2021-03-10T14:05:03Z'), conversationEnd: new Date('2021-03-10T14:05:30Z'),
        start: new Date('2021-03-10T14:05:03Z'), end: new Date('2021-03-10T14:05:30Z'),
      },
      {
        ...common,
        conversationStart: new Date('2021-03-10T14:09:02Z'), conversationEnd: new Date('2021-03-10T14:10:17Z'),
        start: new Date('2021-03-10T14:09:02Z'), end: new Date('2021-03-10T14:10:17Z'),
      },
    ]);
  });

  it("keeps both of the seed's sessions apart although the sample gives them one billingSessionId", () => {
    const keys = new Set(sessionsOf('seed-000-sample-response.json').map(sessionKey));
    expect(keys.size).toBe(2);
    const usage = sessionsToUsage(sessionsOf('seed-000-sample-response.json'), 'UTC', 'acct', 'kore');
    expect(usage.map((u) => [u.month, u.channel, u.type, u.quantity])).toEqual([['2021-03', 'ivr', 'BILLING_SESSION', '2']]);
  });

  it('reads alert types in any letter case, keeps unknown types as conversations, takes null identifiers and ignores extra fields', () => {
    expect(sessionsOf('contract-page-alerts-upper-case.json')).toEqual([
      {
        connection: 'kore', botExternalId: 'st-11111111-2222-3333-4444-555555555555', externalId: 'b-alert-1', channel: 'rtm', type: 'ALERT', rawType: 'ALERTS',
        userId: 'u-1', channelUserId: 'cu-1', conversationId: 'alert-delivery-1',
        conversationStart: new Date('2025-12-31T23:59:58Z'), conversationEnd: new Date('2025-12-31T23:59:59Z'),
        start: new Date('2025-12-31T23:59:58Z'), end: new Date('2025-12-31T23:59:59Z'),
      },
      {
        connection: 'kore', botExternalId: 'st-11111111-2222-3333-4444-555555555555', externalId: 'b-alert-2', channel: 'msteams', type: 'ALERT', rawType: 'alerts',
        userId: null, channelUserId: null, conversationId: null, conversationStart: null, conversationEnd: null,
        start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-01T00:00:02Z'),
      },
      {
        connection: 'kore', botExternalId: 'st-11111111-2222-3333-4444-555555555555', externalId: 'b-voice-1', channel: 'korevg', type: 'CONVERSATION', rawType: 'Voice',
        userId: 'u-2', channelUserId: 'cu-2', conversationId: 'conv-9',
        conversationStart: new Date('2026-01-01T12:30:00Z'), conversationEnd: new Date('2026-01-01T12:40:00Z'),
        start: new Date('2026-01-01T12:30:00Z'), end: new Date('2026-01-01T12:40:00Z'),
      },
    ]);
    const usage = sessionsToUsage(sessionsOf('contract-page-alerts-upper-case.json'), 'UTC', 'acct', 'kore');
    expect(usage.map((u) => [u.month, u.channel, u.type, u.quantity])).toEqual([
      ['2025-12', 'rtm', 'ALERT_SESSION', '1'],
      ['2026-01', 'korevg', 'BILLING_SESSION', '1'],
      ['2026-01', 'msteams', 'ALERT_SESSION', '1'],
    ]);
  });

  it('reads a page with neither total nor moreAvailable and a session with only its placing fields', () => {
    const page = parseBillingSessionsPage(vendorFixture('koreai', 'bare-page-nullables-absent.json'));
    expect([page.total, page.moreAvailable]).toEqual([undefined, undefined]);
    expect(sessionsOf('bare-page-nullables-absent.json')).toEqual([
      {
        connection: 'kore', botExternalId: 'st-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', externalId: 'b-bare-1', channel: 'unknown', type: 'CONVERSATION', rawType: '',
        userId: null, channelUserId: null, conversationId: null, conversationStart: null, conversationEnd: null,
        start: new Date('2025-02-01T09:00:00Z'), end: new Date('2025-02-01T09:15:00Z'),
      },
    ]);
  });

  it('reads the bots listing of the contract, and one without flag, total or accountId', () => {
    const contract = parseBotsPage(vendorFixture('koreai', 'bots-page-contract.json'));
    expect([contract.total, contract.availableMore]).toEqual([2, false]);
    expect(contract.bots.map((b) => botFromWire(b, 'kore'))).toEqual([
      { vendor: 'KORE_AI', connection: 'kore', organisationExternalId: '5f0000000000000000000001', externalId: 'st-11111111-2222-3333-4444-555555555555', name: 'Support Bot' },
      { vendor: 'KORE_AI', connection: 'kore', organisationExternalId: '5f0000000000000000000001', externalId: 'st-66666666-7777-8888-9999-000000000000', name: 'Sales Bot' },
    ]);
    const bare = parseBotsPage(vendorFixture('koreai', 'bots-page-bare.json'));
    expect(bare.bots.map((b) => botFromWire(b, 'kore'))).toEqual([
      { vendor: 'KORE_AI', connection: 'kore', organisationExternalId: 'kore', externalId: 'st-11111111-2222-3333-4444-555555555555', name: null },
    ]);
  });

  it("reads the vendor code of the contract's 401 body", () => {
    expect(koreErrorCode(vendorFixture('koreai', 'error-401.json'))).toBe('4002');
  });

  it.each([
    ['a session without billingSessionId', { sessions: [{ botId: 'b', billingSessionStartDateTime: '02-01-2025 9:00:00 am', billingSessionEndDateTime: '02-01-2025 9:00:00 am' }] }, 'sessions[0].billingSessionId'],
    ['a session without its billing start', { sessions: [{ botId: 'b', billingSessionId: 'x', billingSessionEndDateTime: '02-01-2025 9:00:00 am' }] }, 'sessions[0].billingSessionStartDateTime'],
    ['sessions that are not a list', { total: 1, sessions: {} }, 'billing sessions page.sessions'],
  ])('still rejects %s, naming the field', (_label, body, field) => {
    expect(() => parseBillingSessionsPage(body)).toThrow(field);
  });
});
