const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A `${NAME}` whose variable is not set, and where it is used. */
export interface MissingVariable {
  variable: string;
  path: string;
}

/**
 * Replaces `${NAME}` in every string of the parsed file with the environment
 * variable NAME. Every missing variable is collected into `missing` (named with
 * where it is used, so all of them can be reported at once) and replaced by
 * nothing; the value of a variable is never echoed, since it is usually a secret.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, missing: MissingVariable[], path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_, variable: string) => {
      const found = env[variable];
      if (found === undefined) missing.push({ variable, path: path || 'the top level' });
      return found ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, missing, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, missing, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
