import type { Dispatcher } from 'undici';
import { silentLogger } from '../../src/logger';
import type { ConnectorDeps } from '../../src/vendors/deps';

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
    upstream: { batching: true, concurrency: 4, timeoutMs, retries: 1 },
    now: () => new Date(),
    ...rest,
  };
}
