import type { HttpResponse } from './transport';

/** The response's Retry-After in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(res: HttpResponse, now = Date.now()): number | null {
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
