import { request } from 'undici';
import type { Config } from '../../src/config/schema';
import { startDemoVendors, type DemoVendors } from '../../src/demo';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import type { Fault } from '../../src/vendors/simulator-kit';

/**
 * Canaries: distinctive secrets in the configuration (the simulators' own
 * credentials, and connections configured with made-up "CANARY" secrets that
 * the vendors refuse). After every fault scenario no response body and no log
 * line (at debug level) contains any of them, in clear or in the encodings
 * they travel in (base64 of Basic auth, URL encoding).
 */

const QUERIES = [
  '{ usage(filter: { from: "2025-01", to: "2025-03" }, groupBy: [VENDOR, UNIT]) { rows { vendor unit quantity } incomplete sources { connection { name } state code message } } }',
  '{ organisations(first: 500) { totalCount edges { node { name accounts(first: 3) { totalCount } bots(first: 3) { totalCount } } } } }',
  '{ connections { name organisations { name } } }',
];

const SCENARIOS: Record<string, Fault> = {
  '503 burst': { status: 503, times: Infinity },
  '429 with a long Retry-After': { status: 429, retryAfterSeconds: 120, times: Infinity },
  '401 after two calls': { status: 401, afterCalls: 2, times: Infinity, body: { error: 'unauthorized' } },
  'malformed bodies': { malformed: true, times: Infinity },
  'truncated bodies': { truncated: true, times: Infinity },
  'hangs': { hang: true, times: Infinity },
};

function canaryConnections(config: Config): Config['connections'] {
  return config.connections.flatMap((c): Config['connections'] => {
    const name = `${c.name}-canary`;
    if (c.vendor === 'COGNIGY' || c.vendor === 'EVOVOICE') return [{ ...c, name, password: `CANARY-pw-${c.vendor}-7f3a91` }];
    if (c.vendor === 'TALKDESK' || c.vendor === 'KORE_AI') return [{ ...c, name, clientSecret: `CANARY-secret-${c.vendor}-7f3a91` }];
    return [];
  });
}

function secretsOf(config: Config): string[] {
  return config.connections.flatMap((c) => {
    const raw = c.vendor === 'COGNIGY' || c.vendor === 'EVOVOICE' ? [c.password, `${c.username}:${c.password}`] : [c.clientSecret, `${c.clientId}:${c.clientSecret}`];
    return raw.flatMap((s) => [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]).filter((s) => s.length >= 8);
  });
}

describe('canary secrets', () => {
  let vendors: DemoVendors;
  let server: RunningServer;
  let config: Config;
  const lines: string[] = [];

  beforeAll(async () => {
    vendors = await startDemoVendors({ port: 0, overrides: { upstream: { sourceDeadlineMs: 1500, retries: 1, breakerCooldownMs: 500 } } });
    config = { ...vendors.config, connections: [...vendors.config.connections, ...canaryConnections(vendors.config)] };
    server = await startServer(config, createLogger('debug', (line) => lines.push(line)));
  });
  afterAll(async () => {
    await server?.close();
    await vendors?.close();
  });

  it('never appear in a response body or a log line, whatever the vendors do', async () => {
    const bodies: string[] = [];
    const ask = async () => {
      for (const query of QUERIES) {
        const res = await request(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        bodies.push(await res.body.text());
      }
    };
    await ask();
    for (const fault of Object.values(SCENARIOS)) {
      for (const sim of Object.values(vendors.simulators)) sim.inject(fault);
      await ask();
      for (const sim of Object.values(vendors.simulators)) sim.clearFaults();
      // Past the breaker's cool-down, so every scenario reaches the vendors.
      await new Promise((r) => setTimeout(r, 600));
    }
    expect(bodies.length).toBe(QUERIES.length * (1 + Object.keys(SCENARIOS).length));
    expect(lines.length).toBeGreaterThan(0);
    const secrets = secretsOf(config);
    expect(secrets.some((s) => s.startsWith('CANARY'))).toBe(true);
    for (const secret of secrets) {
      expect(bodies.filter((b) => b.includes(secret))).toEqual([]);
      expect(lines.filter((l) => l.includes(secret))).toEqual([]);
    }
  }, 180_000);
});
