import { ConfigError } from '../errors';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in every string of the parsed file with the environment
 * variable NAME. A missing variable is an error naming it and where it is used;
 * the value itself is never echoed, since it is usually a secret.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_, variable: string) => {
      const found = env[variable];
      if (found === undefined) {
        throw new ConfigError(`environment variable ${variable} is not set (used at ${path || 'the top level'})`);
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
