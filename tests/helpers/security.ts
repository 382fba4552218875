import { request } from 'undici';
import { configSchema, type Config } from '../../src/config/schema';

/** The configuration with `clients:` (and optionally more) set, validated as a config file would be. */
export function withClients(config: Config, clients: unknown[], extra: Record<string, unknown> = {}): Config {
  return configSchema.parse({ ...config, clients, ...extra });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

/** One /graphql exchange with any method, headers and body; the JSON answer with status and headers. */
export async function graphqlRaw(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: unknown; search?: Record<string, string> } = {}): Promise<RawAnswer> {
  const search = options.search ? `?${new URLSearchParams(options.search).toString()}` : '';
  const res = await request(`${url}/graphql${search}`, {
    method: options.method ?? 'POST',
    headers: { ...(options.method === 'GET' ? {} : { 'content-type': 'application/json' }), accept: 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

/** Every vendor request the four simulators have logged so far. */
export function vendorRequestCount(vendors: { simulators: Record<string, { requests: unknown[] }> }): number {
  return Object.values(vendors.simulators).reduce((n, s) => n + s.requests.length, 0);
}
