import DataLoader from 'dataloader';
import type { RateConfig } from '../config/schema';
import type { Freshness } from '../freshness';
import { addMonths, monthStart } from '../usage/month';
import { priceRecords } from '../usage/rates';
import type { AccountRecord, BillingSessionRecord, BotRecord, CustomerRecord, OrganisationRecord, UsageRecord } from '../model';
import type { UsageQuery, VendorConnector } from '../vendors/types';
import { groupKeys, keyString, type CustomerKey, type SessionKey, type UsageKey } from './keys';

export interface LoaderDeps {
  connectors: ReadonlyMap<string, VendorConnector>;
  rates: readonly RateConfig[];
  /** False only for the benchmark's baseline: every load becomes its own vendor call. */
  batching: boolean;
  /** Told what each load covers, so the response can be cached as long as its least settled part. */
  freshness: Freshness;
}

/**
 * The per-request loaders. Built fresh for every request by the context, so
 * their memo never outlives one caller's request. Each batch function returns
 * one result (or Error) per key, in key order. Batches never span connections:
 * DataLoader settles a batch's keys together, so a mixed batch would hold a
 * fast vendor's answer until the slowest vendor's arrived.
 */
export function createLoaders(deps: LoaderDeps) {
  const options = deps.batching ? { cacheKeyFn: keyString } : { batch: false, cache: false };
  const connector = (name: string) => {
    const found = deps.connectors.get(name);
    if (!found) throw new Error(`no connector for connection ${name}`);
    return found;
  };
  const { freshness } = deps;
  // A listing is one call per connection: nothing to batch, only to memoise.
  const perConnection = <T>(fetch: (c: VendorConnector) => Promise<T>) =>
    new DataLoader<string, T>((names) => {
      freshness.note({ kind: 'listing' });
      return Promise.all(names.map((name) => fetch(connector(name)).catch(asError)));
    }, { batch: false, cache: deps.batching });
  const notePeriods = (keys: readonly UsageKey[]) => {
    for (const key of keys) freshness.note({ kind: 'period', end: monthStart(addMonths(key.to, 1), key.timeZone) });
  };

  return {
    organisations: perConnection<OrganisationRecord[]>((c) => c.organisations()),
    accounts: perConnection<AccountRecord[]>((c) => c.accounts()),
    bots: perConnection<BotRecord[]>((c) => c.bots()),
    customers: new PerConnectionLoader<CustomerKey, CustomerRecord[]>(() => new DataLoader<CustomerKey, CustomerRecord[], string>((keys) => {
      freshness.note({ kind: 'listing' });
      return loadCustomers(keys, connector);
    }, options)),
    usage: new PerConnectionLoader<UsageKey, UsageRecord[]>(() => new DataLoader<UsageKey, UsageRecord[], string>((keys) => {
      notePeriods(keys);
      return loadUsage(keys, (name, q) => connector(name).usage(q).then((r) => priceRecords(r, deps.rates)));
    }, options)),
    customerUsage: new PerConnectionLoader<UsageKey, UsageRecord[]>(() => new DataLoader<UsageKey, UsageRecord[], string>((keys) => {
      notePeriods(keys);
      return loadUsage(keys, (name, q) => connector(name).customerUsage(q).then((r) => priceRecords(r, deps.rates)));
    }, options)),
    billingSessions: new PerConnectionLoader<SessionKey, BillingSessionRecord[]>(() => new DataLoader<SessionKey, BillingSessionRecord[], string>((keys) => {
      for (const key of keys) freshness.note({ kind: 'period', end: key.to });
      return loadSessions(keys, connector);
    }, options)),
    /** Loads started ahead of their fields are reused only when the per-request memo is on. */
    memoised: deps.batching,
    /** What a connection could not tell lately (read after its loads), e.g. a refused listing. */
    notesOf: (name: string): readonly string[] => deps.connectors.get(name)?.notes?.() ?? [],
  };
}

/** One DataLoader per connection, made on first use. */
class PerConnectionLoader<K extends { connection: string }, V> {
  private readonly loaders = new Map<string, DataLoader<K, V, string>>();

  constructor(private readonly make: () => DataLoader<K, V, string>) {}

  load(key: K): Promise<V> {
    let loader = this.loaders.get(key.connection);
    if (!loader) {
      loader = this.make();
      this.loaders.set(key.connection, loader);
    }
    return loader.load(key);
  }

  /** Like DataLoader's: one result or Error per key, in key order; keys of one connection still share a batch. */
  loadMany(keys: readonly K[]): Promise<(V | Error)[]> {
    return Promise.all(keys.map((key) => this.load(key).catch(asError)));
  }
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Keys of one connection and month range become one vendor call for every account and bot they name. */
async function loadUsage(
  keys: readonly UsageKey[],
  fetch: (connection: string, query: UsageQuery) => Promise<UsageRecord[]>,
): Promise<(UsageRecord[] | Error)[]> {
  const results: (UsageRecord[] | Error)[] = new Array(keys.length);
  const groups = groupKeys(keys, (k) => keyString({ c: k.connection, f: k.from, t: k.to, z: k.timeZone }));
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const { connection, from, to, timeZone } = group[0].key;
      const wantsAll = group.some(({ key }) => !key.accountId && !key.botId);
      const accountIds = unique(group.map(({ key }) => key.accountId));
      const botIds = unique(group.map(({ key }) => key.botId));
      const query: UsageQuery = {
        from, to, timeZone,
        ...(wantsAll || accountIds.length === 0 ? {} : { accountIds }),
        ...(wantsAll || botIds.length === 0 ? {} : { botIds }),
      };
      try {
        const records = await fetch(connection, query);
        for (const { key, index } of group) {
          results[index] = records.filter(
            (r) => (!key.accountId || r.accountExternalId === key.accountId) && (!key.botId || r.botExternalId === key.botId),
          );
        }
      } catch (err) {
        for (const { index } of group) results[index] = asError(err);
      }
    }),
  );
  return results;
}

async function loadCustomers(keys: readonly CustomerKey[], connector: (name: string) => VendorConnector): Promise<(CustomerRecord[] | Error)[]> {
  const results: (CustomerRecord[] | Error)[] = new Array(keys.length);
  await Promise.all(
    [...groupKeys(keys, (k) => k.connection).values()].map(async (group) => {
      try {
        const customers = await connector(group[0].key.connection).customers(unique(group.map(({ key }) => key.accountId)));
        for (const { key, index } of group) results[index] = customers.filter((c) => c.accountExternalId === key.accountId);
      } catch (err) {
        for (const { index } of group) results[index] = asError(err);
      }
    }),
  );
  return results;
}

async function loadSessions(keys: readonly SessionKey[], connector: (name: string) => VendorConnector): Promise<(BillingSessionRecord[] | Error)[]> {
  const results: (BillingSessionRecord[] | Error)[] = new Array(keys.length);
  const groups = groupKeys(keys, (k) => keyString({ c: k.connection, f: k.from.toISOString(), t: k.to.toISOString(), ch: k.channel }));
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const { connection, from, to, channel } = group[0].key;
      try {
        const sessions = await connector(connection).billingSessions({ botIds: unique(group.map(({ key }) => key.botId)), from, to, channel });
        for (const { key, index } of group) results[index] = sessions.filter((s) => s.botExternalId === key.botId);
      } catch (err) {
        for (const { index } of group) results[index] = asError(err);
      }
    }),
  );
  return results;
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
