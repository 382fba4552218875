import { BadUserInputError } from '../errors';
import type { UsageRecord, UsageType, UsageUnit, Vendor } from '../model';
import { isMonth, isTimeZone, monthsApart } from './month';

/** The longest span a usage filter may cover (from the contract). */
export const MAX_USAGE_MONTHS = 36;

/** A month range as the caller gave it; `field` prefixes error paths (`filter`, or '' for arguments). */
export function assertMonthRange(from: string, to: string, field = ''): void {
  const name = (leaf: string) => (field ? `${field}.${leaf}` : leaf);
  if (!isMonth(from)) throw new BadUserInputError(`${name('from')} must be a month as YYYY-MM, received "${from}"`, name('from'));
  if (!isMonth(to)) throw new BadUserInputError(`${name('to')} must be a month as YYYY-MM, received "${to}"`, name('to'));
  const span = monthsApart(from, to);
  if (span < 0) throw new BadUserInputError(`${name('to')} (${to}) is before ${name('from')} (${from})`, name('to'));
  if (span > MAX_USAGE_MONTHS) {
    throw new BadUserInputError(`${name('to')} is ${span} months after ${name('from')}; at most ${MAX_USAGE_MONTHS} are allowed`, name('to'));
  }
}

export function assertTimeZone(timeZone: string, field: string): void {
  if (!isTimeZone(timeZone)) throw new BadUserInputError(`${field} must be an IANA time zone such as Europe/Berlin, received "${timeZone}"`, field);
}

/** A usage filter after its global ids were decoded to (connection, externalId) pairs. */
export interface RecordFilter {
  vendors?: readonly Vendor[] | null;
  connections?: readonly string[] | null;
  organisations?: readonly { connection: string; externalId: string }[] | null;
  accounts?: readonly { connection: string; externalId: string }[] | null;
  bots?: readonly { connection: string; externalId: string }[] | null;
  channels?: readonly string[] | null;
  types?: readonly UsageType[] | null;
  units?: readonly UsageUnit[] | null;
}

/** Keeps the records the filter selects; an absent list selects everything, channels compare case-insensitively. */
export function filterRecords(records: readonly UsageRecord[], filter: RecordFilter): UsageRecord[] {
  const set = <T>(list: readonly T[] | null | undefined) => (list ? new Set(list) : null);
  const pairs = (list: RecordFilter['organisations']) => (list ? new Set(list.map((p) => `${p.connection}\u0000${p.externalId}`)) : null);
  const vendors = set(filter.vendors);
  const connections = set(filter.connections);
  const organisations = pairs(filter.organisations);
  const accounts = pairs(filter.accounts);
  const bots = pairs(filter.bots);
  const channels = filter.channels ? new Set(filter.channels.map((c) => c.toLowerCase())) : null;
  const types = set(filter.types);
  const units = set(filter.units);
  const has = (pairSet: Set<string> | null, connection: string, id: string | null) =>
    !pairSet || (id !== null && pairSet.has(`${connection}\u0000${id}`));
  return records.filter(
    (r) =>
      (!vendors || vendors.has(r.vendor)) &&
      (!connections || connections.has(r.connection)) &&
      has(organisations, r.connection, r.organisationExternalId) &&
      has(accounts, r.connection, r.accountExternalId) &&
      has(bots, r.connection, r.botExternalId) &&
      (!channels || (r.channel !== null && channels.has(r.channel.toLowerCase()))) &&
      (!types || types.has(r.type)) &&
      (!units || units.has(r.unit)),
  );
}
