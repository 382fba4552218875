import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { ZodIssue } from 'zod';
import { ConfigError } from '../errors';
import { configSchema, type Config } from './schema';
import { substituteEnv, type MissingVariable } from './env';

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
  // linePos is only filled in with prettyErrors, whose messages span lines; the counter gives the line alone.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first.pos ? lineCounter.linePos(first.pos[0]).line : undefined;
    throw new ConfigError(`config file ${source} is not valid YAML or JSON${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS();
  const missing: MissingVariable[] = [];
  const substituted = substituteEnv(raw, env, missing);
  const parsed = configSchema.safeParse(substituted);
  // Every problem at once: fixing a file one start-up at a time is slow.
  const unset = new Set(missing.map((m) => m.path));
  const problems = [
    ...missing.map((m) => ({ text: `environment variable ${m.variable} is not set (used at ${m.path})`, inFile: false })),
    ...(parsed.success ? [] : parsed.error.issues)
      .filter((issue) => !unset.has(pathText(issue.path)))
      // A value that came from ${VAR} is not echoed: it is usually a secret.
      .map((issue) => ({ text: describeIssue(issue, valueAt(raw, issue.path) === valueAt(substituted, issue.path)), inFile: true })),
  ];
  if (problems.length === 1) throw new ConfigError(problems[0].inFile ? `config file ${source}: ${problems[0].text}` : problems[0].text);
  if (problems.length > 1) throw new ConfigError(`config file ${source} has ${problems.length} problems:\n${problems.map((p) => `  - ${p.text}`).join('\n')}`);
  if (!parsed.success) throw new ConfigError(`config file ${source} is not valid`);
  const port = env.PORT;
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new ConfigError(`PORT must be a port number 0-65535, received "${port}"`);
    parsed.data.server.port = Number(port);
  }
  return parsed.data;
}

/** `connections[1].baseUrl: expected ..., received ...`: the path first, so the reader knows where to look. */
export function describeIssue(issue: ZodIssue, echoReceived = true): string {
  const where = pathText(issue.path) || '(top level)';
  switch (issue.code) {
    case 'unrecognized_keys':
      // Each unknown key by its own path (connections[0].colour), which is where the reader has to look.
      return `${issue.keys.map((k) => pathText([...issue.path, k])).join(', ')}: unknown key${issue.keys.length > 1 ? 's' : ''}`;
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `${where}: required ${issue.expected} is missing`
        : `${where}: expected ${issue.expected}, received ${issue.received}`;
    case 'invalid_union_discriminator':
      return `${where}: expected one of ${issue.options.map(String).join(', ')}`;
    case 'invalid_enum_value':
      return `${where}: expected one of ${issue.options.join(', ')}${echoReceived ? `, received "${String(issue.received)}"` : ''}`;
    default:
      return `${where}: expected ${issue.message}`;
  }
}

function pathText(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : String(part)), '');
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((at, part) => (at !== null && typeof at === 'object' ? (at as Record<string | number, unknown>)[part] : undefined), value);
}
