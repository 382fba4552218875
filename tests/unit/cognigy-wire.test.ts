import { nextCursorOf, parseBillingPage, problemTitle } from '../../src/vendors/cognigy/wire';

const entry = { conversations: 3, day: 31, month: 1, year: 2025, channel: 'webchat3' };
const item = { organisationId: 'o1', name: 'Alpine Bank', isDisabled: false, conversations: [entry] };
const page = (fields: Record<string, unknown>) => ({ items: [item], total: 1, nextCursor: null, previousCursor: null, ...fields });

describe('parseBillingPage', () => {
  it.each([
    ['a page with total and nextCursor', page({})],
    ['a page without total (older API)', { items: [item], next: null, previous: null }],
    ['a page whose total is null', page({ total: null })],
    ['an empty page', { items: [] }],
  ])('accepts %s', (_name, body) => {
    expect(parseBillingPage(body).items).toEqual(body.items);
  });

  it.each([
    ['a body that is not an object', [item], /^body: expected an object/],
    ['items that are not an array', { items: 'none' }, /^items: expected an array/],
    ['an organisation without an id', page({ items: [{ ...item, organisationId: '' }] }), /^items\[0\]\.organisationId/],
    ['isDisabled as a string', page({ items: [{ ...item, isDisabled: 'no' }] }), /^items\[0\]\.isDisabled: expected a boolean, received a string$/],
    ['conversations that are not an array', page({ items: [{ ...item, conversations: {} }] }), /^items\[0\]\.conversations: expected an array/],
    ['a negative conversation count', page({ items: [{ ...item, conversations: [{ ...entry, conversations: -1 }] }] }), /conversations\[0\]\.conversations/],
    ['month 13', page({ items: [{ ...item, conversations: [{ ...entry, month: 13 }] }] }), /conversations\[0\]\.month/],
    ['a missing channel', page({ items: [{ ...item, conversations: [{ ...entry, channel: undefined }] }] }), /conversations\[0\]\.channel/],
    ['a fractional total', page({ total: 1.5 }), /^total:/],
    ['a numeric cursor', page({ nextCursor: 7 }), /^nextCursor:/],
  ])('rejects %s, naming the field', (_name, body, message) => {
    expect(() => parseBillingPage(body)).toThrow(message);
  });

  it('never echoes a vendor value in its message', () => {
    expect(() => parseBillingPage(page({ items: [{ ...item, isDisabled: 'secret-looking-value' }] }))).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-looking-value') }),
    );
  });
});

describe('nextCursorOf', () => {
  it.each([
    [{ items: [], nextCursor: 'a'.repeat(24) }, 'a'.repeat(24)],
    [{ items: [], next: 'b'.repeat(24) }, 'b'.repeat(24)],
    [{ items: [], nextCursor: null, next: null }, null],
    [{ items: [] }, null],
  ])('reads the next cursor of %o as %p', (p, cursor) => {
    expect(nextCursorOf(p)).toBe(cursor);
  });
});

describe('problemTitle', () => {
  it.each([
    [{ type: 't', title: 'Unauthorized', status: 401, detail: 'user x@y', traceId: 'abc' }, 'Unauthorized'],
    [{ detail: 'only detail', traceId: 'abc' }, undefined],
    ['text', undefined],
    [null, undefined],
  ])('takes the vendor code of %p from the title only', (body, code) => {
    expect(problemTitle(body)).toBe(code);
  });
});
