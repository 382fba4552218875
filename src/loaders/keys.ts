/** Keys of the per-request loaders; each names the connection, so no key can reach another connection's data. */

export interface UsageKey {
  connection: string;
  from: string;
  to: string;
  timeZone: string;
  /** One account (Talkdesk, Evovoice) or one bot (Kore.ai); neither means the whole connection. */
  accountId?: string;
  botId?: string;
}

export interface CustomerKey {
  connection: string;
  accountId: string;
}

export interface SessionKey {
  connection: string;
  botId: string;
  from: Date;
  to: Date;
  channel?: string;
}

/** A stable string for a key object (DataLoader's cacheKeyFn): fields in a fixed order. */
export function keyString(key: object): string {
  return JSON.stringify(Object.entries(key).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}

/** Groups keys by `groupOf`, keeping each key's index so results go back into the right slots. */
export function groupKeys<K>(keys: readonly K[], groupOf: (key: K) => string): Map<string, { key: K; index: number }[]> {
  const groups = new Map<string, { key: K; index: number }[]>();
  keys.forEach((key, index) => {
    const id = groupOf(key);
    const group = groups.get(id) ?? [];
    group.push({ key, index });
    groups.set(id, group);
  });
  return groups;
}
