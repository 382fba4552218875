/**
 * The simulator's reading of Talkdesk's `filter` expression: a tokenizer and a
 * recursive-descent parser, so connectors are tested against a real grammar
 * rather than a pattern match.
 *
 *   expr       := conjunction ('or' conjunction)*
 *   conjunction:= primary ('and' primary)*
 *   primary    := '(' expr ')' | field 'eq' value
 *   field      := 'month' | 'account_id'      value := '...' with \' and \\ escapes
 */

/** The fields Talkdesk's usage filter can compare. */
export type FilterField = 'month' | 'account_id';

/** A parsed filter: one comparison, or an and/or of operands. */
export type FilterNode =
  | { kind: 'eq'; field: FilterField; value: string }
  | { kind: 'and' | 'or'; operands: FilterNode[] };

/** The expression is not one Talkdesk accepts; the message says where and why. */
export class FilterSyntaxError extends Error {}

type Token = { kind: 'word' | 'value' | '(' | ')'; text: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c, at: i++ });
    } else if (c === "'") {
      const at = i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError(`unterminated value starting at ${at}`);
        const d = text[i++];
        if (d === "'") break;
        if (d === '\\') {
          if (i >= text.length) throw new FilterSyntaxError(`dangling escape at ${i - 1}`);
          value += text[i++];
        } else {
          value += d;
        }
      }
      tokens.push({ kind: 'value', text: value, at });
    } else if (/[A-Za-z_]/.test(c)) {
      const at = i;
      while (i < text.length && /[A-Za-z_]/.test(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(at, i), at });
    } else {
      throw new FilterSyntaxError(`unexpected character "${c}" at ${i}`);
    }
  }
  return tokens;
}

/** Parses a filter expression; throws FilterSyntaxError when it is malformed. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (word: string) => peek()?.kind === 'word' && peek().text.toLowerCase() === word;
  const fail = (expected: string): never => {
    const token = peek();
    throw new FilterSyntaxError(token ? `expected ${expected} at ${token.at}` : `expected ${expected} at the end`);
  };

  const list = (kind: 'and' | 'or', operand: () => FilterNode): FilterNode => {
    const operands = [operand()];
    while (isWord(kind)) {
      pos++;
      operands.push(operand());
    }
    return operands.length === 1 ? operands[0] : { kind, operands };
  };
  const expr = (): FilterNode => list('or', () => list('and', primary));
  const primary = (): FilterNode => {
    const token = peek();
    if (token?.kind === '(') {
      pos++;
      const inner = expr();
      if (peek()?.kind !== ')') fail('")"');
      pos++;
      return inner;
    }
    if (token?.kind !== 'word' || (token.text !== 'month' && token.text !== 'account_id')) return fail('month or account_id');
    pos++;
    if (!isWord('eq')) fail('eq');
    pos++;
    const value = peek();
    if (value?.kind !== 'value') return fail('a quoted value');
    pos++;
    return { kind: 'eq', field: token.text, value: value.text };
  };

  const tree = expr();
  if (pos < tokens.length) fail('and, or or the end');
  return tree;
}

/** Whether a record with this month and account satisfies the filter. */
export function filterMatches(node: FilterNode, record: { month: string; account_id: string }): boolean {
  if (node.kind === 'eq') return (node.field === 'month' ? record.month : record.account_id) === node.value;
  return node.kind === 'and' ? node.operands.every((n) => filterMatches(n, record)) : node.operands.some((n) => filterMatches(n, record));
}

/** Every value the filter compares `field` with (the simulator checks account ids against the organisation). */
export function filterValues(node: FilterNode, field: FilterField): string[] {
  if (node.kind === 'eq') return node.field === field ? [node.value] : [];
  return node.operands.flatMap((n) => filterValues(n, field));
}
