/**
 * The vendor answers one operation was served stale, by connection (the
 * oldest `fetchedAt` of each), so the use cases can mark that source STALE
 * with when its data was fetched, and the response cache can refuse to keep
 * the answer. Kept on the operation scope: src/upstream writes it, the usage
 * report reads it, and neither knows the other.
 */
export class StaleAnswers {
  private readonly oldest = new Map<string, Date>();
  private readonly listeners: (() => void)[] = [];

  note(connection: string, fetchedAt: Date): void {
    const known = this.oldest.get(connection);
    if (!known || fetchedAt < known) this.oldest.set(connection, fetchedAt);
    for (const listener of this.listeners) listener();
  }

  /** When the oldest stale answer used for `connection` was fetched; undefined when none was stale. */
  fetchedAt(connection: string): Date | undefined {
    return this.oldest.get(connection);
  }

  get any(): boolean {
    return this.oldest.size > 0;
  }

  /** Called on every stale answer (the request's Freshness spoils itself). */
  onStale(listener: () => void): void {
    this.listeners.push(listener);
  }
}
