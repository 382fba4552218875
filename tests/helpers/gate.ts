import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through proxy in front of a simulator that can hold the vendor
 * requests it receives: the test then knows a GraphQL request is in the
 * middle of its work, and decides when the vendor answers.
 */
export interface Gate {
  url: string;
  /** From now on requests wait; resolves when the first one has arrived. */
  hold(): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

export async function startGate(target: string): Promise<Gate> {
  let holding = false;
  let held: Array<() => void> = [];
  let arrived: (() => void) | null = null;
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (!holding) return forward();
    held.push(forward);
    arrived?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: () => {
      holding = true;
      return new Promise<void>((resolve) => (arrived = resolve));
    },
    release: () => {
      holding = false;
      held.splice(0).forEach((f) => f());
      held = [];
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
