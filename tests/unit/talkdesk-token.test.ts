import { TokenCache, type IssuedToken } from '../../src/vendors/talkdesk/token';

function setup(expiresInSeconds: number) {
  let clock = Date.parse('2026-11-22T10:00:00Z');
  let issued = 0;
  const fetchToken = async (): Promise<IssuedToken> => ({ value: `t${++issued}`, expiresInSeconds });
  const cache = new TokenCache(fetchToken, () => new Date(clock));
  return { cache, advance: (ms: number) => (clock += ms), issued: () => issued };
}

describe('TokenCache', () => {
  it('shares one token request between concurrent callers', async () => {
    const { cache, issued } = setup(3600);
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual(['t1', 't1', 't1']);
    expect(issued()).toBe(1);
  });

  it.each([
    ['an hour token is reused until 60 s before expiry', 3600, 3539_000, 't1'],
    ['an hour token is refreshed inside the last 60 s', 3600, 3541_000, 't2'],
    ['a 100 s token is reused until 10 s before expiry', 100, 89_000, 't1'],
    ['a 100 s token is refreshed inside its last 10%', 100, 91_000, 't2'],
  ])('%s', async (_name, ttl, elapsedMs, expected) => {
    const { cache, advance } = setup(ttl);
    await cache.get();
    advance(elapsedMs);
    expect(await cache.get()).toBe(expected);
  });

  it('fetches a new token after the one in use is invalidated, but not for a stale one', async () => {
    const { cache } = setup(3600);
    await cache.get();
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
  });

  it('tries again after a failed token request', async () => {
    let calls = 0;
    const cache = new TokenCache(async () => {
      if (++calls === 1) throw new Error('down');
      return { value: 'ok', expiresInSeconds: 3600 };
    }, () => new Date());
    await expect(cache.get()).rejects.toThrow('down');
    expect(await cache.get()).toBe('ok');
  });
});
