import { koreErrorCode, parseBillingSessionsPage, parseBotsPage } from '../../src/vendors/koreai/wire';

const session = {
  botId: 'st-1',
  channel: 'IVR',
  koreUserId: 'u-1',
  channelUserId: 'cu-1',
  billingSessionType: 'Conversations',
  conversationSessionId: 'c-1',
  conversationSessionStartDateTime: '03-10-2021 2:05:03 pm',
  conversationSessionEndDateTime: '03-10-2021 2:05:30 pm',
  billingSessionId: 'b-1',
  billingSessionStartDateTime: '03-10-2021 2:05:03 pm',
  billingSessionEndDateTime: '03-10-2021 2:05:30 pm',
};

describe('parseBillingSessionsPage', () => {
  it('accepts a page with or without total', () => {
    expect(parseBillingSessionsPage({ total: 1, moreAvailable: false, sessions: [session] })).toEqual({ total: 1, moreAvailable: false, sessions: [session] });
    expect(parseBillingSessionsPage({ moreAvailable: true, sessions: [] })).toEqual({ moreAvailable: true, sessions: [] });
  });

  it('reads absent optional identifiers as null', () => {
    const required: Record<string, unknown> = { ...session };
    delete required.koreUserId;
    delete required.channelUserId;
    const [parsed] = parseBillingSessionsPage({ moreAvailable: false, sessions: [required] }).sessions;
    expect([parsed.koreUserId, parsed.channelUserId]).toEqual([null, null]);
  });

  it.each([
    [null, 'billing sessions page: expected an object'],
    [[], 'billing sessions page: expected an object, received an array'],
    [{ moreAvailable: false }, 'billing sessions page.sessions: expected an array'],
    [{ moreAvailable: 'yes', sessions: [] }, 'billing sessions page.moreAvailable: expected a boolean'],
    [{ total: -1, moreAvailable: false, sessions: [] }, 'billing sessions page.total: expected a non-negative integer'],
    [{ moreAvailable: false, sessions: [{ ...session, billingSessionId: 42 }] }, 'sessions[0].billingSessionId: expected a string, received a number'],
  ])('rejects %j naming the mismatch', (body, message) => {
    expect(() => parseBillingSessionsPage(body)).toThrow(message);
  });
});

describe('parseBotsPage', () => {
  it('keeps id, account and name of each bot', () => {
    const body = { total: 1, availableMore: false, bots: [{ _id: 'st-1', accountId: 'a', name: 'Bot', status: 'published', createdOn: 'x' }] };
    expect(parseBotsPage(body)).toEqual({ total: 1, availableMore: false, bots: [{ _id: 'st-1', accountId: 'a', name: 'Bot' }] });
  });

  it('reads an absent accountId or name as null and an absent flag as not sent', () => {
    expect(parseBotsPage({ bots: [{ _id: 'st-1' }] })).toEqual({ bots: [{ _id: 'st-1', accountId: null, name: null }] });
  });

  it.each([
    [{ total: 1, availableMore: 'no', bots: [] }, 'bots page.availableMore: expected a boolean'],
    [{ availableMore: false, bots: [{ name: 'Bot' }] }, 'bots[0]._id: expected a string, received nothing'],
  ])('rejects %j naming the mismatch', (body, message) => {
    expect(() => parseBotsPage(body)).toThrow(message);
  });
});

describe('koreErrorCode', () => {
  it.each([
    [{ errors: [{ msg: 'Invalid SDK credentials', code: 4002 }] }, '4002'],
    [{ errors: [{ msg: 'Method not allowed', code: 405 }] }, '405'],
    [{ errors: [] }, undefined],
    [{ error: 'injected fault' }, undefined],
    [null, undefined],
  ])('reads the vendor code of %j as %p', (body, code) => {
    expect(koreErrorCode(body)).toBe(code);
  });
});
