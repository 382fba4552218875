import { AppError, type ErrorCode } from '../errors';
import type { Config } from '../config/schema';
import { silentLogger } from '../logger';
import { createConnectors } from '../vendors/registry';
import type { Vendor, VendorConnector } from '../vendors/types';

/** What doctor found for one connection. */
export interface ConnectionCheck {
  connection: string;
  vendor: Vendor;
  /** ok: the vendor accepted the credentials; rejected: it refused them; unknown: it was never reached. */
  auth: 'ok' | 'rejected' | 'unknown';
  ms: number;
  /** Records in the first listing (organisations, accounts or bots), null when it failed. */
  records: number | null;
  /** In words, with what to check; null when the connection works. */
  problem: string | null;
}

/** The error codes in words, each with what an operator should look at. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  UPSTREAM_UNAUTHORIZED: 'the vendor rejected the credentials: check the client id and secret (or username and password) and that they belong to this baseUrl',
  UPSTREAM_FORBIDDEN: "the vendor refused access: check the credentials' permissions or scope (Kore.ai: admin scope needs an admin app)",
  UPSTREAM_UNAVAILABLE: 'the vendor could not be reached or failed: check baseUrl, DNS, proxy and firewall, and the vendor status page',
  UPSTREAM_TIMEOUT: 'no answer in time: check the network path to baseUrl, or raise upstream.timeoutMs',
  UPSTREAM_RATE_LIMITED: 'the vendor is rate limiting these credentials: try again later, or lower upstream.concurrency',
  UPSTREAM_BAD_RESPONSE: 'the answer was not what this vendor sends: check that baseUrl points at the vendor API (not a login page or proxy)',
  UPSTREAM_REJECTED: 'the vendor rejected the request: check baseUrl (path and region) and the connection settings (e.g. Kore.ai bots and scope)',
};

/**
 * Checks every connection for real, one listing each (which authenticates first),
 * through the same connectors the server uses, without retries and without the
 * cache. `progress` hears about each connection as it starts and as it ends.
 */
export async function checkConnections(config: Config, progress: (event: { connection: string; done?: ConnectionCheck }) => void = () => {}): Promise<ConnectionCheck[]> {
  const connectors = createConnectors({ ...config, upstream: { ...config.upstream, retries: 0 } }, silentLogger, null);
  try {
    return await Promise.all(
      config.connections.map(async ({ name, vendor }) => {
        const connector = connectors.byName.get(name)!;
        progress({ connection: name });
        const started = Date.now();
        let check: ConnectionCheck;
        try {
          const records = await firstListing(vendor, connector);
          check = { connection: name, vendor, auth: 'ok', ms: Date.now() - started, records, problem: null };
        } catch (err) {
          const code = err instanceof AppError ? err.code : undefined;
          const auth = code === 'UPSTREAM_UNAUTHORIZED' || code === 'UPSTREAM_FORBIDDEN' ? 'rejected' : code === 'UPSTREAM_UNAVAILABLE' || code === 'UPSTREAM_TIMEOUT' ? 'unknown' : 'ok';
          const problem = (code && ADVICE[code]) ?? `unexpected failure (${code ?? (err as Error).name}): run the server with LOG_LEVEL=debug and look at this connection's lines`;
          check = { connection: name, vendor, auth, ms: Date.now() - started, records: null, problem: `${code ?? 'ERROR'}: ${problem}` };
        }
        progress({ connection: name, done: check });
        return check;
      }),
    );
  } finally {
    await connectors.close();
  }
}

/** The smallest listing that proves the connection: Kore.ai's bots, the others' organisations or accounts. */
async function firstListing(vendor: Vendor, connector: VendorConnector): Promise<number> {
  switch (vendor) {
    case 'KORE_AI':
      return (await connector.bots()).length;
    case 'COGNIGY':
      return (await connector.organisations()).length;
    case 'EVOVOICE':
    case 'TALKDESK':
      return (await connector.accounts()).length;
  }
}
