import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What every vendor simulator shares: an HTTP server on loopback, a request
 * log the tests read, added latency, and faults injected ahead of the vendor
 * logic. Each vendor's simulator.ts supplies only its routes and data.
 */

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SimResponse {
  status: number;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string | string[]>;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

/** A fault replaces (or delays) the vendor's answer for the next matching requests. */
export interface Fault {
  /** Substring or pattern of the path the fault applies to; all paths when absent. */
  path?: string | RegExp;
  /** Answer with this status (and `body`) instead of the vendor logic. */
  status?: number;
  body?: unknown;
  retryAfterSeconds?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Answer 200 with a truncated JSON body. */
  malformed?: boolean;
  /** How many requests it applies to (default 1; Infinity for all). */
  times?: number;
}

export interface SimulatorServer {
  readonly name: string;
  readonly url: string;
  readonly requests: LoggedRequest[];
  /** Added to every answer, to model vendor latency (benchmarks). */
  latencyMs: number;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Number of logged requests whose path contains (or matches) `path`. */
  count(path?: string | RegExp): number;
  resetLog(): void;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  latencyMs?: number;
}

export async function startSimulatorServer(name: string, handler: SimHandler, options: SimulatorOptions = {}): Promise<SimulatorServer> {
  const requests: LoggedRequest[] = [];
  let faults: Array<Fault & { left: number }> = [];
  const matches = (pattern: string | RegExp | undefined, path: string) =>
    pattern === undefined || (typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path));

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const simReq: SimRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const fault = faults.find((f) => f.left > 0 && matches(f.path, simReq.path));
      if (fault) fault.left -= 1;
      faults = faults.filter((f) => f.left > 0);
      let answer: SimResponse;
      try {
        if (sim.latencyMs > 0) await sleep(sim.latencyMs);
        if (fault?.delayMs) await sleep(fault.delayMs);
        answer = fault?.malformed
          ? { status: 200, raw: '{"truncated": [1, 2' }
          : fault?.status
            ? { status: fault.status, body: fault.body ?? { error: 'injected fault' } }
            : await handler(simReq);
        if (fault?.retryAfterSeconds !== undefined) answer.headers = { ...answer.headers, 'retry-after': String(fault.retryAfterSeconds) };
      } catch (err) {
        answer = { status: 500, body: { error: `simulator ${name} failed: ${(err as Error).message}` } };
      }
      requests.push({
        method: simReq.method,
        path: simReq.path,
        query: Object.fromEntries(simReq.query),
        headers: simReq.headers,
        body: simReq.body,
        status: answer.status,
        at: Date.now(),
      });
      if (res.destroyed) return;
      const body = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sim: SimulatorServer = {
    name,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    latencyMs: options.latencyMs ?? 0,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    clearFaults: () => {
      faults = [];
    },
    count: (path) => requests.filter((r) => matches(path, r.path)).length,
    resetLog: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return sim;
}

/** Parses a JSON request body, or returns undefined when it is not JSON. */
export function jsonBody(req: SimRequest): unknown {
  try {
    return JSON.parse(req.body);
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
