import { request } from 'undici';
import type { Config } from '../../src/config/schema';
import { startDemoVendors, type DemoOptions, type DemoVendors } from '../../src/demo';
import { silentLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';

export interface GraphQLResponse<T = any> {
  status: number;
  data: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  url: string;
  vendors: DemoVendors;
  config: Config;
  /** POSTs one operation to /graphql over real HTTP. */
  query<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real server on an ephemeral port, in front of the four vendor
 * simulators (demo configuration), optionally reshaped by `configure`.
 */
export async function startTestApp(options: DemoOptions & { configure?: (config: Config) => Config } = {}): Promise<TestApp> {
  // Tests that are not about deadlines must not trip the 8 s source deadline on a busy machine.
  const overrides = { ...options.overrides, upstream: { sourceDeadlineMs: 120_000, ...options.overrides?.upstream } };
  const vendors = await startDemoVendors({ ...options, overrides, port: 0 });
  const config = options.configure ? options.configure(vendors.config) : vendors.config;
  let server: RunningServer;
  try {
    server = await startServer(config, silentLogger);
  } catch (err) {
    await vendors.close();
    throw err;
  }
  return {
    url: server.url,
    vendors,
    config,
    async query(query, variables, headers = {}) {
      const res = await request(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.body.json()) as { data: any; errors?: GraphQLResponse['errors'] };
      return { status: res.statusCode, data: body.data, errors: body.errors };
    },
    async close() {
      await server.close();
      await vendors.close();
    },
  };
}
