import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { ChildCommand } from './child';
import { ChildProcessClient } from './ipc';

/** autocannon has no bundled types; this is the part of its programmatic API the benchmark uses. */
interface AutocannonOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
}
interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
export interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

/** The server process: start it, then talk to it with typed commands. */
export class ServerProcess extends ChildProcessClient<ChildCommand> {
  constructor() {
    // --expose-gc so the memory figures are read after a full collection, not at a random point of the GC cycle.
    const execArgv = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
    super(join(__dirname, 'child.js'), 'server', execArgv);
  }
}

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

export interface TimedAnswer {
  ms: number;
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string }> };
}

/** One POST /graphql, timed from send to the last byte. */
export async function postGraphQL(url: string, body: GraphQLBody, headers: Record<string, string> = {}): Promise<TimedAnswer> {
  const started = performance.now();
  const res = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return { ms: performance.now() - started, status: res.statusCode, body: JSON.parse(text) as TimedAnswer['body'] };
}

/** autocannon against POST /graphql with one fixed body. */
export function load(url: string, body: GraphQLBody, run: { connections: number; duration?: number; amount?: number; headers?: Record<string, string> }): Promise<AutocannonResult> {
  return autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...run.headers },
    body: JSON.stringify(body),
    connections: run.connections,
    ...(run.duration !== undefined ? { duration: run.duration } : {}),
    ...(run.amount !== undefined ? { amount: run.amount } : {}),
    timeout: 30,
  });
}
