import type { HttpResponse } from './transport';

/** The response's Retry-After in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(res: HttpResponse, now = Date.now()): number | null {
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  // A number is seconds (a negative one is nonsense); anything else may be an HTTP date.
  if (/^\s*[-+]?\d+(\.\d+)?\s*$/.test(value)) {
    const seconds = Number(value);
    return seconds >= 0 ? seconds * 1000 : null;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
