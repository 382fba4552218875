/**
 * Reads CSV text as RFC 4180 says (quoted cells, doubled quotes, delimiters and
 * line breaks inside quotes): written here so tests check our output with a
 * reader that is not the writer we ship.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** CSV text -> one object per data row keyed by the header; empty cells become null. */
export function csvObjects(text: string): { header: string[]; rows: Record<string, string | null>[] } {
  const [header, ...data] = parseCsv(text);
  return { header, rows: data.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] === '' || cells[i] === undefined ? null : cells[i]]))) };
}
