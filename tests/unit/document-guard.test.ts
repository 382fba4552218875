import { documentProblem, MAX_DOCUMENT_NESTING, nestingDepth } from '../../src/http/document-guard';
import { assertIdListWithin, assertSpanWithin } from '../../src/usage/argument-limits';

describe('nestingDepth', () => {
  it.each([
    ['a flat query', '{ a }', 1],
    ['selections, arguments and lists', '{ a(x: [[1]]) { b { c } } }', 4],
    ['braces inside a string', '{ a(x: "{{{{{{") }', 2],
    ['an escaped quote inside a string', '{ a(x: "\\"{{{{") }', 2],
    ['braces inside a block string', '{ a(x: """ {{{{ "" """) }', 2],
    ['braces inside a comment', '# {{{{{{\n{ a }', 1],
    ['unbalanced closers', '}}} { a }', 1],
  ])('counts %s', (_what, text, depth) => {
    expect(nestingDepth(text)).toBe(depth);
  });

  it('refuses a selection 10,000 levels deep and accepts the deepest allowed', () => {
    expect(documentProblem(`${'{ a '.repeat(10_000)}${'}'.repeat(10_000)}`)).toBe(`the document nests 10000 levels deep; at most ${MAX_DOCUMENT_NESTING} are allowed`);
    expect(documentProblem(`${'{ a '.repeat(MAX_DOCUMENT_NESTING)}${'}'.repeat(MAX_DOCUMENT_NESTING)}`)).toBeNull();
    expect(documentProblem(undefined)).toBeNull();
  });
});

describe('argument limits', () => {
  const day = 24 * 60 * 60 * 1000;
  it('accepts a period of exactly the allowed days and refuses a longer one, naming the argument', () => {
    const from = new Date('2025-01-01T00:00:00Z');
    expect(() => assertSpanWithin(from, new Date(from.getTime() + 366 * day), 366)).not.toThrow();
    expect(() => assertSpanWithin(from, new Date(from.getTime() + 367 * day), 366)).toThrow(expect.objectContaining({ field: 'to', message: expect.stringContaining('367 days') }));
  });

  it('accepts a list of exactly the allowed length and refuses a longer one, naming the list', () => {
    expect(() => assertIdListWithin(new Array(500).fill('x'), 500, 'filter.botIds')).not.toThrow();
    expect(() => assertIdListWithin(null, 500, 'filter.botIds')).not.toThrow();
    expect(() => assertIdListWithin(new Array(501).fill('x'), 500, 'filter.botIds')).toThrow(expect.objectContaining({ field: 'filter.botIds' }));
  });
});
