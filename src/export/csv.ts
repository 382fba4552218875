import { stringify, type Stringifier } from 'csv-stringify';

/**
 * CSV writing shared by every export. A spreadsheet runs a cell that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (CSV injection), so
 * such a cell gets a leading `'`. A plain number (`-12.5`) is left alone: it runs as
 * nothing but itself, and a negative cost or credit must stay a number.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function safeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** A CSV stream with a header row, RFC 4180 quoting, and every string cell passed through safeCell. */
export function csvStream(columns: string[]): Stringifier {
  return stringify({ header: true, columns, cast: { string: safeCell } });
}
