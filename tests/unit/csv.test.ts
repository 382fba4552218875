import { csvStream, safeCell } from '../../src/export/csv';
import { amountText } from '../../src/usage/money';

async function csvOf(columns: string[], rows: string[][]): Promise<string> {
  const csv = csvStream(columns);
  const chunks: string[] = [];
  csv.on('data', (c: Buffer) => chunks.push(c.toString()));
  const done = new Promise((resolve) => csv.on('end', resolve));
  rows.forEach((r) => csv.write(r));
  csv.end();
  await done;
  return chunks.join('');
}

describe('safeCell: cells a spreadsheet would run as formulas', () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1+2', `'+1+2`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    ['Acme = good', 'Acme = good'],
    ['-12.50', '-12.50'],
    ['0.0125', '0.0125'],
    ['', ''],
  ])('%j becomes %j', (given, expected) => {
    expect(safeCell(given)).toBe(expected);
  });
});

describe('csvStream', () => {
  it('writes a header row and quotes by RFC 4180 (commas, quotes, line breaks; CRLF between records)', async () => {
    const text = await csvOf(['name', 'note'], [["O'Reilly, Logistics", 'says "hi"'], ['two\nlines', 'plain']]);
    expect(text).toBe('name,note\r\n"O\'Reilly, Logistics","says ""hi"""\r\n"two\nlines",plain\r\n');
  });

  it('neutralises formula cells in every string column', async () => {
    const text = await csvOf(['a', 'b'], [['=1+1', '@x']]);
    expect(text).toBe("a,b\r\n'=1+1,'@x\r\n");
  });
});

describe('amountText: plain decimals with the currency minor units', () => {
  it.each([
    ['102.7', 'USD', '102.70'],
    ['1500', 'JPY', '1500'],
    ['0.125', 'EUR', '0.12'],
    ['0.135', 'EUR', '0.14'],
    ['1.2345', 'BHD', '1.234'],
    ['-3', 'USD', '-3.00'],
  ])('%s %s is %s', (amount, currency, expected) => {
    expect(amountText(amount, currency)).toBe(expected);
  });
});
