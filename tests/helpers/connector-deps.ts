import type { Dispatcher } from 'undici';
import { configSchema } from '../../src/config/schema';
import { silentLogger } from '../../src/logger';
import type { ConnectorDeps } from '../../src/vendors/deps';

const defaultUpstream = configSchema.parse({ connections: [{ vendor: 'COGNIGY', name: 'x', baseUrl: 'http://127.0.0.1:1', username: 'u', password: 'p' }] }).upstream;

/**
 * What a connector under test is given: the test's undici agent, no log
 * output, four calls at a time, one retry, the real clock and no shared cache,
 * unless the test says otherwise.
 */
export function testConnectorDeps(dispatcher: Dispatcher, overrides: Partial<ConnectorDeps> & { timeoutMs?: number } = {}): ConnectorDeps {
  const { timeoutMs = 5000, ...rest } = overrides;
  return {
    dispatcher,
    logger: silentLogger,
    // The configured defaults (breaker, queue, deadlines), with four calls at a time and one retry.
    upstream: { ...defaultUpstream, concurrency: 4, timeoutMs, retries: 1 },
    now: () => new Date(),
    ...rest,
  };
}
