import Decimal from 'decimal.js';
import type { DecimalString } from '../model';

/**
 * Decimal arithmetic for quantities and money: values travel as strings and
 * are summed exactly; a float appears only at the GraphQL edge, rounded
 * half-even to the currency's minor unit.
 */

// toExpNeg/toExpPos: decimal strings never switch to exponent notation (1e-7).
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });

/** Converts a vendor number (or numeric string) to an exact decimal string. */
export function toDecimal(value: number | string): DecimalString {
  // String(0.1) is "0.1": the shortest text that round-trips, so no float noise enters. A finite
  // number's text is already canonical unless it uses an exponent; everything else is normalised.
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    if (!text.includes('e')) return text;
  }
  return new Exact(typeof value === 'number' ? String(value) : value).toString();
}

export function sumDecimals(values: Iterable<DecimalString>): DecimalString {
  let total = new Exact(0);
  for (const v of values) total = total.plus(v);
  return total.toString();
}

export function multiply(a: DecimalString, b: DecimalString): DecimalString {
  return new Exact(a).times(b).toString();
}

const minorDigitsCache = new Map<string, number>();
/** Digits after the decimal point of a currency (USD 2, JPY 0, BHD 3), from the runtime's ISO-4217 data. */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** An amount as shown: rounded half-even to the currency's minor unit. */
export function showAmount(amount: DecimalString, currency: string | null): number {
  const digits = currency ? minorDigits(currency) : 2;
  return new Exact(amount).toDecimalPlaces(digits, Decimal.ROUND_HALF_EVEN).toNumber();
}

/** A quantity as shown; quantities are counts or vendor decimals and are not rounded. */
export function showQuantity(quantity: DecimalString): number {
  return new Exact(quantity).toNumber();
}

/** An amount as plain decimal text with the currency's minor units (102.70 USD, 1500 JPY): what exports write. */
export function amountText(amount: DecimalString, currency: string | null): string {
  return new Exact(amount).toFixed(currency ? minorDigits(currency) : 2, Decimal.ROUND_HALF_EVEN);
}

/** A projected quantity as shown: an estimate, so two decimals are plenty (half-even). */
export function showProjectedQuantity(quantity: DecimalString): number {
  return new Exact(quantity).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber();
}
