import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';

/**
 * Redis availability policy for tests that need a real Redis:
 * - the URL is REDIS_URL (default redis://127.0.0.1:6379);
 * - whether it answers is checked ONCE, synchronously, before tests are defined
 *   (a child node process opens a socket and sends PING);
 * - when it does not answer, the tests are reported as skipped by name
 *   (describe.skip, plus a console.warn naming them), never passed silently;
 * - with CI=true a missing Redis fails the run instead.
 */

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Opens a socket (TLS for rediss://), authenticates when the URL carries credentials, PINGs; exit 0 on +PONG. */
const PING_SCRIPT = `
const url = new URL(process.argv[1]);
const tls = url.protocol === 'rediss:';
const port = Number(url.port || 6379);
const host = url.hostname || '127.0.0.1';
const socket = tls
  ? require('node:tls').connect({ host, port, servername: host })
  : require('node:net').connect({ host, port });
const commands = [];
if (url.password) commands.push(url.username ? ['AUTH', decodeURIComponent(url.username), decodeURIComponent(url.password)] : ['AUTH', decodeURIComponent(url.password)]);
commands.push(['PING']);
const resp = (args) => '*' + args.length + '\\r\\n' + args.map((a) => '$' + Buffer.byteLength(a) + '\\r\\n' + a + '\\r\\n').join('');
let received = '';
socket.setTimeout(1500, () => process.exit(2));
socket.on('error', () => process.exit(3));
socket.on(tls ? 'secureConnect' : 'connect', () => socket.write(commands.map(resp).join('')));
socket.on('data', (chunk) => {
  received += chunk.toString('utf8');
  if (received.includes('+PONG')) process.exit(0);
  if (received.startsWith('-')) process.exit(4);
});
`;

let answered: boolean | null = null;

/** Whether Redis at REDIS_URL answers PING (checked once per test file, synchronously). */
export function redisAnswers(url = REDIS_URL): boolean {
  if (answered !== null && url === REDIS_URL) return answered;
  const result = spawnSync(process.execPath, ['-e', PING_SCRIPT, url], { timeout: 5000, stdio: 'ignore' });
  const ok = result.status === 0;
  if (url === REDIS_URL) answered = ok;
  return ok;
}

/** URL without its password, for messages. */
export function redisUrlForMessages(url = REDIS_URL): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * `describe` for tests that need Redis: runs them when Redis answers; otherwise
 * skips them by name (with a warning naming them), or, under CI=true, defines a
 * failing test so the run cannot pass without them.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisAnswers()) {
    describe(name, body);
    return;
  }
  const where = redisUrlForMessages();
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Redis, which is required in CI', () => {
        throw new Error(`Redis is required in CI at ${where}`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED (no Redis answering at ${where}; set REDIS_URL or start redis-server): "${name}"`);
  describe.skip(name, body);
}

/** A namespace of its own for one test run, so parallel runs and other data never mix. */
export function testNamespace(label: string): string {
  return `usagegraph-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Every key in Redis under `namespace` (SCAN, never KEYS). */
export async function keysUnder(namespace: string, url = REDIS_URL): Promise<string[]> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) keys.push(...(batch as unknown as string[]));
    return keys;
  } finally {
    await client.close();
  }
}

/** Deletes every key under `namespace`; returns how many there were. */
export async function deleteNamespace(namespace: string, url = REDIS_URL): Promise<number> {
  const keys = await keysUnder(namespace, url);
  if (keys.length === 0) return 0;
  const client = createClient({ url });
  await client.connect();
  try {
    for (let i = 0; i < keys.length; i += 500) await client.del(keys.slice(i, i + 500));
    return keys.length;
  } finally {
    await client.close();
  }
}
