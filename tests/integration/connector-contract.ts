import Decimal from 'decimal.js';
import { Agent } from 'undici';
import type { ConnectionConfig } from '../../src/config/schema';
import { UpstreamError } from '../../src/errors';
import type { ConnectorDeps } from '../../src/vendors/deps';
import type { SimulatorServer } from '../../src/vendors/simulator-kit';
import type { UsageRecord } from '../../src/model';
import type { VendorConnector } from '../../src/vendors/types';
import { testConnectorDeps } from '../helpers/connector-deps';

/**
 * The one contract every vendor connector honours, written once and run against
 * each connector over real HTTP to its simulator (Keyv's shared storage test suite).
 * A fixture says how to start the vendor's simulator and what the connector should
 * return, computed straight from the simulator's seeded data, never from our map code.
 */

/** The ids a listing or usage call should return, each exactly once, computed from `sim.data`. */
export interface ExpectedIds {
  organisations: string[];
  accounts: string[];
  bots: string[];
}

export interface ConnectorFixture<S extends SimulatorServer, C extends ConnectionConfig> {
  start(): Promise<S>;
  /** A valid configuration for the simulator. */
  config(sim: S): C;
  create(config: C, deps: ConnectorDeps): VendorConnector;
  /** The same configuration with a wrong secret, and that secret (which must never reach an error). */
  badCredentials(config: C): { config: C; secret: string };
  /** Ids of every organisation, account and bot the simulator holds. */
  expectedListings(sim: S): ExpectedIds;
  /** A multi-month range that needs several vendor pages (or calls). */
  range: { from: string; to: string };
  /** One identity per usage record of [from, to], from the simulator's data (what the user would see). */
  expectedUsage(sim: S, from: string, to: string): string[];
  /** The same identity of a normalised record. */
  usageKey(record: UsageRecord): string;
  /** Path (substring) of the usage endpoint, where faults are injected. */
  usagePath: string;
  /** Quantity per unit and amount per currency of [from, to] from the simulator's data, as exact decimal strings. */
  expectedTotals(sim: S, from: string, to: string): Record<string, string>;
}

/** Quantity per unit and amount per currency, exact: the totals a user sees, compared to the cent. */
export function totalsOf(rows: Iterable<{ unit: string; currency: string | null; quantity: string | number; amount: string | number | null }>): Record<string, string> {
  const sums = new Map<string, Decimal>();
  const add = (key: string, value: string | number) => sums.set(key, (sums.get(key) ?? new Decimal(0)).plus(value));
  for (const r of rows) {
    add(`${r.unit} quantity`, r.quantity);
    if (r.amount !== null) add(`${r.currency} amount`, r.amount);
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.toFixed()]));
}

/** Totals each run of the contract saw, by suite name, so runs against different simulator modes can be compared. */
export const totalsSeen = new Map<string, Record<string, string>>();

const sorted = (values: readonly string[]) => [...values].sort();

/** Waits for a call that must fail and returns its error. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, it succeeded');
}

export function connectorContract<S extends SimulatorServer, C extends ConnectionConfig>(name: string, fixture: ConnectorFixture<S, C>): void {
  describe(`${name} connector contract`, () => {
    let sim: S;
    let agent: Agent;
    const deps = () => testConnectorDeps(agent);
    const connector = (config: C = fixture.config(sim)) => fixture.create(config, deps());
    // One month inside the range: enough for the fault tests, which only need one usage call to fail or succeed.
    const oneMonth = () => ({ from: fixture.range.from, to: fixture.range.from, timeZone: 'UTC' });

    beforeAll(async () => {
      sim = await fixture.start();
      agent = new Agent();
    });
    afterAll(async () => {
      await sim.close();
      await agent.close();
    });
    beforeEach(() => {
      sim.clearFaults();
      sim.resetLog();
    });

    it('lists every organisation exactly once', async () => {
      const ids = (await connector().organisations()).map((o) => o.externalId);
      expect(sorted(ids)).toEqual(sorted(fixture.expectedListings(sim).organisations));
    });

    it('lists every account exactly once, across all pages', async () => {
      const ids = (await connector().accounts()).map((a) => a.externalId);
      expect(sorted(ids)).toEqual(sorted(fixture.expectedListings(sim).accounts));
    });

    it('lists every bot exactly once, across all pages', async () => {
      const ids = (await connector().bots()).map((b) => b.externalId);
      expect(sorted(ids)).toEqual(sorted(fixture.expectedListings(sim).bots));
    });

    it('returns every usage record of a multi-month range exactly once', async () => {
      const { from, to } = fixture.range;
      const expected = fixture.expectedUsage(sim, from, to);
      expect(expected.length).toBeGreaterThan(0);
      const records = await connector().usage({ from, to, timeZone: 'UTC' });
      expect(sorted(records.map(fixture.usageKey))).toEqual(sorted(expected));
      // Every record belongs to a month of the range.
      for (const r of records) expect(r.month >= from && r.month <= to).toBe(true);
    });

    it("adds up to the simulator's own totals, to the cent", async () => {
      const { from, to } = fixture.range;
      const records = await connector().usage({ from, to, timeZone: 'UTC' });
      const totals = totalsOf(records);
      expect(totals).toEqual(fixture.expectedTotals(sim, from, to));
      totalsSeen.set(name, totals);
    });

    it('reports rejected credentials as UPSTREAM_UNAUTHORIZED without the secret', async () => {
      const { config, secret } = fixture.badCredentials(fixture.config(sim));
      const err = await failure(connector(config).usage(oneMonth()));
      expect(err).toBeInstanceOf(UpstreamError);
      const upstream = err as UpstreamError;
      expect(upstream.extensions.code).toBe('UPSTREAM_UNAUTHORIZED');
      expect(upstream.message).not.toContain(secret);
      expect(JSON.stringify(upstream.extensions)).not.toContain(secret);
    });

    it('reports a vendor that keeps answering 503 as UPSTREAM_UNAVAILABLE', async () => {
      sim.inject({ path: fixture.usagePath, status: 503, times: Infinity });
      const err = await failure(connector().usage(oneMonth()));
      expect(err).toBeInstanceOf(UpstreamError);
      expect((err as UpstreamError).extensions.code).toBe('UPSTREAM_UNAVAILABLE');
      expect((err as UpstreamError).extensions.status).toBe(503);
    });

    it('reports a malformed body as UPSTREAM_BAD_RESPONSE, never as no usage', async () => {
      sim.inject({ path: fixture.usagePath, malformed: true, times: Infinity });
      const err = await failure(connector().usage(oneMonth()));
      expect(err).toBeInstanceOf(UpstreamError);
      expect((err as UpstreamError).extensions.code).toBe('UPSTREAM_BAD_RESPONSE');
    });

    it('retries a single 503 and returns the full answer', async () => {
      sim.inject({ path: fixture.usagePath, status: 503, times: 1 });
      const { from } = oneMonth();
      const records = await connector().usage(oneMonth());
      expect(sorted(records.map(fixture.usageKey))).toEqual(sorted(fixture.expectedUsage(sim, from, from)));
      const usageCalls = sim.requests.filter((r) => r.path.includes(fixture.usagePath));
      expect(usageCalls.filter((r) => r.status === 503)).toHaveLength(1);
      expect(usageCalls.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    });
  });
}
