import pino from 'pino';
import { ConfigError } from './errors';
import { currentOperation } from './operation';

/**
 * The project's logger: pino, one JSON line per event on stderr (pretty-printed
 * only when NODE_ENV=development). Callers keep the small `Logger` shape
 * (`logger.info(msg, fields)`); this file adapts it to pino's (fields, msg).
 * Lines written while an operation runs carry its name (`operation`), read from
 * the operation scope, since Apollo learns the name after the request's logger is made.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Redaction by path, so a credential that reaches a log line by mistake is
 * censored rather than trusted to the caller's care: at the top level, one level
 * down (e.g. `config.password`), and in request headers.
 */
const SECRET_KEYS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'password', 'clientSecret', 'token', 'accessToken', 'apiKey'];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `["${key}"]`;
  const at = (prefix: string) => (k.startsWith('[') ? `${prefix}${k}` : `${prefix}.${k}`);
  return [k, at('*'), at('*.headers'), at('*.*')];
});

/** `LOG_LEVEL` read loudly: an unknown level stops start-up with a message naming the levels. */
export function logLevelFrom(value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'info';
  if ((LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, received "${value}"`);
}

/** A logger writing JSON lines to stderr, or to `write` (tests read the lines). */
export function createLogger(level: LogLevel = 'info', write?: (line: string) => void): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const name = currentOperation()?.operationName;
      return name ? { operation: name } : {};
    },
  };
  const destination = write
    ? { write: (line: string) => write(line.trimEnd()) }
    : process.env.NODE_ENV === 'development'
      ? pino.transport({ target: 'pino-pretty', options: { destination: 2 } })
      : pino.destination({ fd: 2, sync: true });
  return adapt(pino(options, destination));
}

function adapt(p: pino.Logger): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => (fields ? p[level](fields, msg) : p[level](msg));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => adapt(p.child(fields)) };
}

export const silentLogger: Logger = createLogger('silent', () => {});
