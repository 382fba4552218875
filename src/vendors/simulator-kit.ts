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
  /** Never answer (the socket stays open until the client gives up or the simulator closes). */
  hang?: boolean;
  /** Answer 200 with a truncated JSON body. */
  malformed?: boolean;
  /** Send the vendor's real answer, but drop the connection halfway through its body. */
  truncated?: boolean;
  /** Send the vendor's real answer in 10 pieces, this long apart. */
  slowBodyMs?: number;
  /** Let this many matching requests through untouched before the fault starts (e.g. 401 after N calls). */
  afterCalls?: number;
  /** How many requests it applies to (default 1; Infinity for all). */
  times?: number;
  /** Applies to each matching request with this probability (0..1) instead of to the next ones; `times` still bounds it. */
  probability?: number;
}

export interface SimulatorServer {
  readonly name: string;
  readonly url: string;
  readonly requests: LoggedRequest[];
  /** Added to every answer, to model vendor latency (benchmarks). */
  latencyMs: number;
  inject(fault: Fault): void;
  clearFaults(): void;
  /**
   * Opens POST/DELETE /__faults on this simulator for requests from loopback
   * (demo mode opts in; off by default), taking a Fault as JSON (`path` a substring).
   */
  enableFaultRoute(): void;
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
  let faults: Array<Fault & { left: number; skip: number }> = [];
  let faultRoute = false;
  /** Requests held open by `hang`, ended when the simulator closes. */
  const hung = new Set<import('node:http').ServerResponse>();
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
      if (simReq.path === '/__faults' && faultRoute) return faultAdmin(simReq, req.socket.remoteAddress, res);
      const fault = pickFault(simReq.path);
      if (fault?.hang) {
        hung.add(res);
        res.once('close', () => hung.delete(res));
        log(simReq, 0);
        return;
      }
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
      log(simReq, answer.status);
      if (res.destroyed) return;
      const body = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
      if (fault?.truncated) {
        // The declared length promises the whole body; half of it arrives, then the connection drops.
        res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...answer.headers });
        res.write(body.slice(0, Math.floor(body.length / 2)), () => res.destroy());
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      if (fault?.slowBodyMs) {
        const step = Math.ceil(body.length / 10);
        for (let i = 0; i < body.length && !res.destroyed; i += step) {
          res.write(body.slice(i, i + step));
          await sleep(fault.slowBodyMs);
        }
      }
      res.end(fault?.slowBodyMs ? undefined : body);
    });
  });

  function log(simReq: SimRequest, status: number): void {
    requests.push({
      method: simReq.method,
      path: simReq.path,
      query: Object.fromEntries(simReq.query),
      headers: simReq.headers,
      body: simReq.body,
      status,
      at: Date.now(),
    });
  }

  /** The fault this request meets, if any (counting it against the fault's `times`). */
  function pickFault(path: string): Fault | undefined {
    const fault = faults.find((f) => f.left > 0 && matches(f.path, path));
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    if (fault.probability !== undefined && Math.random() >= fault.probability) return undefined;
    fault.left -= 1;
    faults = faults.filter((f) => f.left > 0);
    return fault;
  }

  /** The opt-in admin route: loopback callers only; a JSON Fault is added, DELETE clears them. */
  function faultAdmin(simReq: SimRequest, remote: string | undefined, res: import('node:http').ServerResponse): void {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!remote || !['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote)) return reply(403, { error: 'loopback only' });
    if (simReq.method === 'DELETE') {
      sim.clearFaults();
      return reply(200, { faults: 0 });
    }
    const fault = jsonBody(simReq) as Fault | undefined;
    if (simReq.method !== 'POST' || !fault || typeof fault !== 'object') return reply(400, { error: 'POST a JSON fault, or DELETE to clear' });
    sim.inject({ ...fault, times: fault.times ?? Infinity });
    return reply(200, { faults: faults.length });
  }
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sim: SimulatorServer = {
    name,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    latencyMs: options.latencyMs ?? 0,
    inject: (fault) => faults.push({ ...fault, left: fault.times ?? 1, skip: fault.afterCalls ?? 0 }),
    enableFaultRoute: () => {
      faultRoute = true;
    },
    clearFaults: () => {
      faults = [];
    },
    count: (path) => requests.filter((r) => matches(path, r.path)).length,
    resetLog: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
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
