import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { configSchema } from '../../src/config/schema';
import { silentLogger } from '../../src/logger';
import { createSharedCache, type CachedResponse } from '../../src/upstream/cache';

/**
 * The in-process tier is bounded in bytes: 2,000 distinct cached answers of
 * 100 KB each (200 MB if all were kept) leave the process's RSS within
 * cache.maxBytes (16 MB here) plus a stated overhead of 64 MB (V8 and the
 * allocator do not hand every freed page back at once).
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;
const OVERHEAD = 64 * MB;

function rssAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}

const answer = (i: number, size: number): CachedResponse => ({
  status: 200,
  // Distinct text per answer, so nothing is shared between entries.
  text: JSON.stringify({ i, pad: `${i}-`.repeat(Math.ceil(size / `${i}-`.length)).slice(0, size) }),
  fetchedAt: new Date().toISOString(),
});

describe('the in-process cache tier', () => {
  const config = configSchema.parse({
    connections: [{ vendor: 'COGNIGY', name: 'x', baseUrl: 'http://127.0.0.1:1', username: 'u', password: 'p' }],
    cache: { maxBytes: 16 * MB },
  }).cache;

  it('keeps 2,000 distinct 100 KB answers within maxBytes plus the stated overhead of RSS', async () => {
    const cache = await createSharedCache(config, { logger: silentLogger });
    const before = rssAfterGc();
    for (let i = 0; i < 2000; i++) await cache.set(`answer-${i}`, answer(i, 100 * 1024), 3600);
    const growth = rssAfterGc() - before;
    expect(cache.status().memoryBytes).toBeLessThanOrEqual(config.maxBytes);
    expect(growth).toBeLessThan(config.maxBytes + OVERHEAD);
    // The newest answers are there, the oldest were let go.
    expect(await cache.get<CachedResponse>('answer-1999')).toEqual(expect.objectContaining({ status: 200 }));
    expect(await cache.get('answer-0')).toBeUndefined();
    await cache.close();
  });

  it('does not keep an entry larger than a tenth of maxBytes', async () => {
    const cache = await createSharedCache(config, { logger: silentLogger });
    await cache.set('small', answer(1, 1000), 3600);
    await cache.set('huge', answer(2, 2 * MB), 3600);
    expect(await cache.get('small')).toBeDefined();
    expect(await cache.get('huge')).toBeUndefined();
    await cache.close();
  });
});
