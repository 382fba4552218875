import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { ZodIssue } from 'zod';
import { ConfigError } from '../errors';
import { configSchema, type Config } from './schema';
import { substituteEnv } from './env';

/** Reads, substitutes and validates the configuration file once, at start-up. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`config file ${path} cannot be read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  return parseConfig(text, path, env);
}

/** YAML is a superset of JSON, so one parser reads both file kinds. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): Config {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first.linePos?.[0]?.line;
    throw new ConfigError(`config file ${source} is not valid YAML or JSON${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS();
  const substituted = substituteEnv(raw, env);
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) throw new ConfigError(`config file ${source}: ${describeIssue(parsed.error.issues[0])}`);
  const port = env.PORT;
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new ConfigError(`PORT must be a port number 0-65535, received "${port}"`);
    parsed.data.server.port = Number(port);
  }
  return parsed.data;
}

/** `connections[1].baseUrl: expected ..., received ...`: the path first, so the reader knows where to look. */
export function describeIssue(issue: ZodIssue): string {
  const path = issue.path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : String(part)),
    '',
  );
  const where = path || '(top level)';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `${where}: required ${issue.expected} is missing`
        : `${where}: expected ${issue.expected}, received ${issue.received}`;
    case 'invalid_union_discriminator':
      return `${where}: expected one of ${issue.options.map(String).join(', ')}`;
    case 'invalid_enum_value':
      return `${where}: expected one of ${issue.options.join(', ')}, received "${String(issue.received)}"`;
    default:
      return `${where}: expected ${issue.message}`;
  }
}
