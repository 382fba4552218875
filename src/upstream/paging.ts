/**
 * Paging shared by every connector. When the first page tells how many pages
 * there are, the rest are fetched concurrently (at most `concurrency` at a
 * time) and assembled in order; otherwise pages are followed one by one.
 */

export interface IndexedPaging<P> {
  /** Fetches page `index` (0-based). */
  fetchPage(index: number): Promise<P>;
  /** Total number of pages, when the first page reports it; null to follow `hasMore`. */
  pageCount(first: P): number | null;
  /** Whether a page after `page` exists (used when the count is unknown). */
  hasMore(page: P, index: number): boolean;
  concurrency: number;
}

export async function collectPages<P>(paging: IndexedPaging<P>): Promise<P[]> {
  const first = await paging.fetchPage(0);
  const count = paging.pageCount(first);
  if (count === null) {
    const pages = [first];
    while (paging.hasMore(pages[pages.length - 1], pages.length - 1)) pages.push(await paging.fetchPage(pages.length));
    return pages;
  }
  const rest = await mapConcurrent(
    Array.from({ length: Math.max(0, count - 1) }, (_, i) => i + 1),
    paging.concurrency,
    (index) => paging.fetchPage(index),
  );
  return [first, ...rest];
}

/** Follows a cursor until the vendor stops returning one. */
export async function followCursor<P>(fetchPage: (cursor: string | null) => Promise<P>, nextCursor: (page: P) => string | null): Promise<P[]> {
  const pages: P[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetchPage(cursor);
    pages.push(page);
    cursor = nextCursor(page);
  } while (cursor !== null);
  return pages;
}

/** Maps with at most `limit` calls in flight; results keep the input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
