/**
 * The hard safety net below the configured query limits (depth, aliases,
 * tokens, cost): graphql-js parses recursively, so a document nested ten
 * thousand levels deep overflows the stack before any limit that needs a
 * parsed document can look at it. This scan is linear, allocates nothing and
 * runs on the raw text before parsing. The limits here are not configurable:
 * they only stop documents no configuration could mean.
 */

/** Deepest nesting of `{`, `(` and `[` a document may have. */
export const MAX_DOCUMENT_NESTING = 128;
/** Most tokens graphql-js may read from one document (its `maxTokens` parse option). */
export const MAX_DOCUMENT_TOKENS = 50_000;

/** Deepest bracket nesting in a GraphQL document, ignoring strings, block strings and comments. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22 /* " */) {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        i = end === -1 ? text.length : end + 2;
      } else {
        for (i++; i < text.length && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x0a; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      }
    } else if (c === 0x7b || c === 0x28 || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x29 || c === 0x5d) {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** Why a document is refused before parsing, or null when it may be parsed. */
export function documentProblem(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const depth = nestingDepth(text);
  return depth > MAX_DOCUMENT_NESTING ? `the document nests ${depth} levels deep; at most ${MAX_DOCUMENT_NESTING} are allowed` : null;
}
