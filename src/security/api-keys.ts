import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientConfig, Config } from '../config/schema';
import type { Principal } from '../context';

/**
 * API keys -> the client they belong to. Keys are kept only as SHA-256
 * hashes (configured in clear, normally from `${ENV}`, or as `apiKeySha256`)
 * and the presented key's hash is compared with every client's in constant
 * time, so neither the time taken nor an early exit tells how close a guess was.
 */
export interface ApiKeys {
  /** True when `clients:` is configured: every data request then needs a key. */
  readonly required: boolean;
  /** The principal of the key the request carries; null when it carries none or an unknown one. */
  authenticate(headers: IncomingHttpHeaders): Principal | null;
}

/** The hex SHA-256 of a key, as `apiKeySha256` expects it. */
export function apiKeySha256(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The caller when no keys are configured (demo, local use): every connection, any document. */
export function everyone(config: Config): Principal {
  return { name: 'anonymous', connections: new Set(config.connections.map((c) => c.name)), persistedOnly: false, rateLimit: null };
}

export function principalOf(client: ClientConfig, config: Config): Principal {
  const connections = client.connections === '*' ? config.connections.map((c) => c.name) : client.connections;
  return { name: client.name, connections: new Set(connections), persistedOnly: client.persistedOnly, rateLimit: client.rateLimit ?? null };
}

export function createApiKeys(config: Config): ApiKeys {
  if (!config.clients) {
    const open = everyone(config);
    return { required: false, authenticate: () => open };
  }
  const entries = config.clients.map((client) => ({
    hash: Buffer.from(client.apiKeySha256 ?? apiKeySha256(client.apiKey!), 'hex'),
    principal: principalOf(client, config),
  }));
  return {
    required: true,
    authenticate(headers) {
      const key = presentedKey(headers);
      if (key === null) return null;
      const hash = createHash('sha256').update(key, 'utf8').digest();
      let found: Principal | null = null;
      // Every entry is compared, match or not: the time does not depend on which client (if any) matched.
      for (const entry of entries) if (timingSafeEqual(entry.hash, hash) && found === null) found = entry.principal;
      return found;
    },
  };
}

/** The key from `x-api-key`, or from `Authorization: Bearer <key>`; null when neither is there. */
function presentedKey(headers: IncomingHttpHeaders): string | null {
  const header = headers['x-api-key'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct) return direct.trim() || null;
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return bearer ? bearer[1] : null;
}
