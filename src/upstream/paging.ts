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

/** What one page of an offset listing says about the next: any field may be absent. */
export interface PageEvidence {
  /** The vendor's "more" flag (`moreAvailable`, `availableMore`, `hasMorePages`), when sent. */
  flag?: boolean;
  /** The vendor's total of records, when sent. */
  total?: number;
  /** Records received so far, this page included. */
  seen: number;
  /** Records on this page, and the page size asked for. */
  received: number;
  pageSize: number;
}

/**
 * Whether an offset listing goes on after this page. No single field decides:
 * a flag or a total saying "more" is believed; without either, a full page means
 * there may be more. An empty page always ends the listing, so a vendor whose
 * total or flag overstates cannot page forever.
 */
export function listingContinues(e: PageEvidence): boolean {
  if (e.received === 0) return false;
  if (e.flag === true) return true;
  if (e.total !== undefined && e.seen < e.total) return true;
  if (e.flag === false || e.total !== undefined) return false;
  return e.received >= e.pageSize;
}
