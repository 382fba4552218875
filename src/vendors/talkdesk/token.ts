/** An access token as the token endpoint issued it. */
export interface IssuedToken {
  value: string;
  expiresInSeconds: number;
}

/**
 * Keeps one OAuth2 access token per connection: reused until shortly before it
 * expires (less than min(60 s, 10% of its lifetime) left), fetched once for all
 * concurrent callers, and dropped when the API says it is no longer valid.
 * Time is read only through `now`, so tests can drive it.
 */
export class TokenCache {
  private current: { value: string; refreshAt: number } | null = null;
  private inFlight: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly now: () => Date,
  ) {}

  /** A token valid for a while yet; fetches one when there is none. */
  get(): Promise<string> {
    if (this.current && this.now().getTime() < this.current.refreshAt) return Promise.resolve(this.current.value);
    if (!this.inFlight) {
      // Measured before the call, so the token is considered expired no later than it really is.
      const requestedAt = this.now().getTime();
      this.inFlight = this.fetchToken()
        .then((token) => {
          const marginMs = Math.min(60, token.expiresInSeconds * 0.1) * 1000;
          this.current = { value: token.value, refreshAt: requestedAt + token.expiresInSeconds * 1000 - marginMs };
          return token.value;
        })
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }

  /** Forgets `value` after the API rejected it, unless a newer token has replaced it already. */
  invalidate(value: string): void {
    if (this.current?.value === value) this.current = null;
  }
}
