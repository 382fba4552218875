import { LRUCache } from 'lru-cache';

/** An entry as both tiers keep it: the value, and until when it is fresh (ms epoch); kept longer only to be served stale. */
export interface Stored {
  value: object;
  freshUntil: number;
  expiresAt: number;
}

/**
 * The in-process tier: least recently used entries go first once the stored
 * text passes `maxBytes` (measured by its length, as the issue asks), and an
 * entry larger than a tenth of that is never kept, so one huge answer cannot
 * push out everything else. Values are kept as objects: a hit costs no parsing
 * (callers must not mutate them).
 */
export class MemoryTier {
  private readonly lru: LRUCache<string, Stored>;
  readonly largestEntry: number;

  constructor(maxBytes: number, maxEntries: number) {
    this.largestEntry = Math.floor(maxBytes / 10);
    this.lru = new LRUCache<string, Stored>({ max: maxEntries, maxSize: maxBytes, maxEntrySize: this.largestEntry });
  }

  get(key: string, now: number): Stored | undefined {
    const found = this.lru.get(key);
    if (found && found.expiresAt <= now) {
      this.lru.delete(key);
      return undefined;
    }
    return found;
  }

  /** `size` is the length of the entry's text; too large an entry is dropped (and an older one under the key removed). */
  set(key: string, stored: Stored, size: number): void {
    if (size > this.largestEntry) {
      this.lru.delete(key);
      return;
    }
    // Expired entries are dropped when read; until then the byte bound holds them like any other.
    this.lru.set(key, stored, { size: Math.max(1, size) });
  }

  /** Bytes of text held now. */
  get bytes(): number {
    return this.lru.calculatedSize ?? 0;
  }

  clear(): void {
    this.lru.clear();
  }
}
