/** The body rows of the first Markdown table after `heading`-line `after`, cells trimmed. */
export function markdownTableAfter(markdown: string, after: string): string[][] {
  const start = markdown.indexOf(after);
  if (start < 0) throw new Error(`"${after}" is not in the document`);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.trimStart().startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.trimStart().startsWith('|')) break;
    rows.push(line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
  }
  // rows[0] is the header, rows[1] the alignment line.
  return rows.slice(2);
}

/** The first fenced block of `language` after the text `after`. */
export function fencedBlockAfter(markdown: string, after: string, language: string): string {
  const start = markdown.indexOf(after);
  if (start < 0) throw new Error(`"${after}" is not in the document`);
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(markdown.slice(start));
  if (!match) throw new Error(`no \`\`\`${language} block after "${after}"`);
  return match[1];
}

/** A Markdown table (what the README should show when a comparison fails). */
export function toMarkdownTable(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
