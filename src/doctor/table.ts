import type { ConnectionCheck } from './check';

/** A plain-text table, columns padded to their widest cell (the problem column last, unpadded). */
export function checksTable(checks: readonly ConnectionCheck[]): string {
  const header = ['connection', 'vendor', 'auth', 'latency', 'records', 'problem'];
  const rows = checks.map((c) => [c.connection, c.vendor, c.auth, `${c.ms} ms`, c.records === null ? '-' : String(c.records), c.problem ?? 'none']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? header[i].length : w))), ...rows.map(line)].join('\n');
}
