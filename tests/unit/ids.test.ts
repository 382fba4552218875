import { BadUserInputError } from '../../src/errors';
import { decodeCursor, decodeId, decodeIdsOf, encodeCursor, encodeId, MAX_PAGE_SIZE, paginate, type NodeRef } from '../../src/ids';

describe('global ids', () => {
  it.each<[string, NodeRef]>([
    ['a connection', { kind: 'VendorConnection', connection: 'kore-demo', externalId: '' }],
    ['an organisation', { kind: 'Organisation', connection: 'talkdesk-demo', externalId: 'org-1' }],
    ['an account', { kind: 'Account', connection: 'evo-demo', externalId: 'acc/ü 1' }],
    ['a bot', { kind: 'Bot', connection: 'kore-demo', externalId: 'st-1234' }],
    ['a billing session', { kind: 'BillingSession', connection: 'kore-demo', externalId: 'bs-1', botExternalId: 'st-1' }],
  ])('round-trips %s through encodeId and decodeId', (_name, ref) => {
    const id = encodeId(ref);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeId(id)).toEqual(ref);
  });

  it.each([
    ['plain text', 'hello'],
    ['an empty string', ''],
    ['base64 of a JSON object', Buffer.from('{"kind":"Bot"}').toString('base64url')],
    ['an unknown kind', Buffer.from('["User","kore","u1"]').toString('base64url')],
    ['too few parts', Buffer.from('["Bot","kore"]').toString('base64url')],
    ['a non-string part', Buffer.from('["Bot","kore",7]').toString('base64url')],
    ['a cursor', encodeCursor(3)],
  ])('rejects %s as a foreign id', (_name, id) => {
    expect(decodeId(id)).toBeNull();
  });

  it('decodes ids of the asked kind and names the field and index of one of another kind', () => {
    const bot = encodeId({ kind: 'Bot', connection: 'kore', externalId: 'b1' });
    const org = encodeId({ kind: 'Organisation', connection: 'kore', externalId: 'o1' });
    expect(decodeIdsOf('Bot', [bot], 'filter.botIds')).toEqual([{ kind: 'Bot', connection: 'kore', externalId: 'b1' }]);
    let error: unknown;
    try {
      decodeIdsOf('Bot', [bot, org], 'filter.botIds');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).field).toBe('filter.botIds[1]');
  });
});

describe('cursors', () => {
  it.each([0, 1, 49, 10_000])('round-trips offset %i', (offset) => {
    expect(decodeCursor(encodeCursor(offset))).toBe(offset);
  });

  it.each([
    ['garbage', 'zzz'],
    ['a global id', encodeId({ kind: 'Bot', connection: 'kore', externalId: 'b1' })],
    ['a negative offset', Buffer.from('["o",-1]').toString('base64url')],
    ['a fractional offset', Buffer.from('["o",1.5]').toString('base64url')],
  ])('rejects %s as BAD_USER_INPUT naming after', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(BadUserInputError);
    try {
      decodeCursor(cursor);
    } catch (err) {
      expect((err as BadUserInputError).field).toBe('after');
    }
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 7 }, (_, i) => `item-${i}`);

  it.each([
    [3, 3],
    [1, 1],
    [7, 7],
    [100, 7],
  ])('walks 7 items in pages of %i and sees every item exactly once', (first, firstPageSize) => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: ReturnType<typeof paginate<string>> = paginate(items, first, after);
      expect(page.totalCount).toBe(7);
      if (pages === 0) expect(page.edges).toHaveLength(firstPageSize);
      seen.push(...page.edges.map((e) => e.node));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
    expect(pages).toBe(Math.ceil(7 / first));
  });

  it('gives an empty last page with no end cursor after the final item', () => {
    const last = paginate(items, 7, null).edges[6].cursor;
    expect(paginate(items, 5, last)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 7 });
  });

  it('gives an empty page with the total for first: 0', () => {
    expect(paginate(items, 0, null)).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null }, totalCount: 7 });
  });

  it.each([-1, MAX_PAGE_SIZE + 1, 2.5])('rejects first: %p naming first', (first) => {
    expect(() => paginate(items, first, null)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ field: 'first' }) }));
  });
});
