import { csvStream, safeCell } from '../../src/export/csv';
import { parseCsv } from '../helpers/csv';

describe('safeCell', () => {
  it.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ['+1+2', "'+1+2"],
    ['-2+3+cmd|\' /C calc\'!A0', "'-2+3+cmd|' /C calc'!A0"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['-12.5', '-12.5'],
    ['-3', '-3'],
    ['Acme', 'Acme'],
    ['', ''],
  ])('writes %j as %j', (cell, written) => {
    expect(safeCell(cell)).toBe(written);
  });
});

describe('csvStream', () => {
  it('writes a header and quotes cells with commas, quotes and line breaks as RFC 4180 says', async () => {
    const stream = csvStream(['a', 'b', 'c']);
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const done = new Promise((resolve) => stream.on('end', resolve));
    stream.write({ a: 'O\'Reilly, "Logistics"', b: 'two\nlines', c: '=1+1' });
    stream.write({ a: null, b: '-0.5', c: 'x' });
    stream.end();
    await done;
    expect(parseCsv(chunks.join(''))).toEqual([
      ['a', 'b', 'c'],
      ['O\'Reilly, "Logistics"', 'two\nlines', "'=1+1"],
      ['', '-0.5', 'x'],
    ]);
  });
});
