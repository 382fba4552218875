import { ttlSeconds, type CacheHint, type TtlPolicy } from './upstream/ttl';

/**
 * What one request's answer was built from, so the whole response can be
 * cached for as long as its least settled part: loaders note each kind of
 * data they load; a failed source makes the answer uncacheable.
 */
export class Freshness {
  private shortest: number | null = null;
  private failed = false;

  constructor(private readonly policy: TtlPolicy, private readonly now: () => Date) {}

  note(hint: CacheHint): void {
    const ttl = ttlSeconds(hint, this.now(), this.policy);
    this.shortest = this.shortest === null ? ttl : Math.min(this.shortest, ttl);
  }

  /** A source failed or was partial: the answer must not be kept. */
  spoil(): void {
    this.failed = true;
  }

  /** Seconds the answer may be reused; null when it used no vendor data or must not be kept. */
  get ttlSeconds(): number | null {
    return this.failed ? null : this.shortest;
  }
}
