import { stringify, type Stringifier } from 'csv-stringify';

/** Characters a spreadsheet reads as the start of a formula (or hides before one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A plain decimal number: the one kind of cell starting with `-` that no spreadsheet runs as a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
 * carriage return first) gets a leading `'`, which shows the text as text
 * (CSV injection, OWASP). Exact decimals travel as text, so a negative amount
 * such as `-12.50` is left alone: it is a number, and must stay one in the sheet.
 */
export function safeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/**
 * A CSV writer with a header row and RFC 4180 quoting (CRLF line ends, a cell
 * with a comma, quote or line break in double quotes, quotes doubled); every
 * string cell goes through safeCell. Write rows as arrays in `columns` order.
 */
export function csvStream(columns: string[]): Stringifier {
  return stringify({
    header: true,
    columns,
    record_delimiter: 'windows',
    // csv-stringify quotes a cell with the record delimiter (CRLF) in it; RFC 4180 wants any CR or LF quoted.
    quoted_match: /[\r\n]/,
    cast: { string: (value) => safeCell(value) },
  });
}
