import { sumDecimals, toDecimal } from '../../usage/money';
import { usageRecord, type Month, type OrganisationRecord, type UsageRecord } from '../../model';
import { type UsageQuery } from '../types';
import type { CognigyBillingItemWire, CognigyConversationDayWire } from './wire';

/**
 * Cognigy billing items -> normalised records. Pure: no I/O, no clock.
 * Cognigy has no accounts or bots, so every usage row is organisation-level.
 */

/** One organisation per billing item. */
export function toOrganisation(item: CognigyBillingItemWire, connection: string): OrganisationRecord {
  return { vendor: 'COGNIGY', connection, externalId: item.organisationId, name: item.name, disabled: item.isDisabled };
}

/** The calendar month of a per-day entry, from its own year and month (the day is already a UTC calendar day). */
export function monthOfDay(entry: CognigyConversationDayWire): Month {
  return `${String(entry.year).padStart(4, '0')}-${String(entry.month).padStart(2, '0')}`;
}

/**
 * Monthly CONVERSATION rows: per organisation, calendar month and lower-cased
 * channel, the sum of the daily `conversations` of the months in
 * [query.from, query.to]. `timeZone` is ignored (per-day data is taken as
 * reported); `accountIds` and `botIds` do not apply to Cognigy and are ignored.
 * Rows follow the items' order, then month, then channel.
 */
export function toMonthlyUsage(items: readonly CognigyBillingItemWire[], query: UsageQuery, connection: string): UsageRecord[] {
  const rows: UsageRecord[] = [];
  for (const item of items) {
    // Key "YYYY-MM|channel" -> that month's daily counts; channels differing only in case are one channel.
    const groups = new Map<string, string[]>();
    for (const entry of item.conversations) {
      const month = monthOfDay(entry);
      if (month < query.from || month > query.to) continue;
      const key = `${month}|${entry.channel.toLowerCase()}`;
      const counts = groups.get(key);
      if (counts) counts.push(toDecimal(entry.conversations));
      else groups.set(key, [toDecimal(entry.conversations)]);
    }
    for (const key of [...groups.keys()].sort()) {
      const separator = key.indexOf('|');
      rows.push(
        usageRecord({
          month: key.slice(0, separator),
          vendor: 'COGNIGY',
          connection,
          organisationExternalId: item.organisationId,
          channel: key.slice(separator + 1),
          type: 'CONVERSATION',
          unit: 'CONVERSATIONS',
          quantity: sumDecimals(groups.get(key) ?? []),
        }),
      );
    }
  }
  return rows;
}
