import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { ChildCommand } from './child';

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
export class ServerProcess {
  private readonly child: ChildProcess;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    // --expose-gc so the memory figures are read after a full collection, not at a random point of the GC cycle.
    const execArgv = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
    this.child = fork(join(__dirname, 'child.js'), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error !== undefined) waiting?.reject(new Error(`server process: ${msg.error}`));
      else waiting?.resolve(msg.result);
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`server process exited with ${code}`));
      this.pending.clear();
    });
  }

  send<T>(command: ChildCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
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
export async function postGraphQL(url: string, body: GraphQLBody): Promise<TimedAnswer> {
  const started = performance.now();
  const res = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return { ms: performance.now() - started, status: res.statusCode, body: JSON.parse(text) as TimedAnswer['body'] };
}

/** autocannon against POST /graphql with one fixed body. */
export function load(url: string, body: GraphQLBody, run: { connections: number; duration?: number; amount?: number }): Promise<AutocannonResult> {
  return autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    connections: run.connections,
    ...(run.duration !== undefined ? { duration: run.duration } : {}),
    ...(run.amount !== undefined ? { amount: run.amount } : {}),
    timeout: 30,
  });
}
