import { toDecimal } from '../../usage/money';
import { usageRecord, type AccountRecord, type CustomerRecord, type Month, type OrganisationRecord, type UsageRecord } from '../../model';
import type { AccountWire, AIUsageWire, CustomerWire } from './wire';

/**
 * Evovoice wire -> normalised records. Evovoice has no organisation of its
 * own: the connection is the organisation, so its name is the external id.
 */

const VENDOR = 'EVOVOICE' as const;

/** The one organisation of a connection. */
export function toOrganisation(connection: string): OrganisationRecord {
  return { vendor: VENDOR, connection, externalId: connection, name: connection, disabled: false };
}

export function toAccount(connection: string, wire: AccountWire): AccountRecord {
  return { vendor: VENDOR, connection, organisationExternalId: connection, externalId: wire.id, name: wire.name };
}

export function toCustomer(connection: string, wire: CustomerWire): CustomerRecord {
  return { vendor: VENDOR, connection, accountExternalId: wire.accountId, externalId: wire.id, name: wire.name };
}

/**
 * Account rows of one month's `/ai/usage` answer. The vendor's account total
 * already includes its customers' minutes, so customer rows are never added here.
 * `accountIds` keeps only those accounts (undefined: all).
 */
export function toAccountUsage(connection: string, month: Month, usage: AIUsageWire, accountIds?: ReadonlySet<string>): UsageRecord[] {
  return firstOf(usage.accountUsage, (row) => row.accountId)
    .filter((row) => accountIds === undefined || accountIds.has(row.accountId))
    .map((row) => aiMinutes(connection, month, row.aiMinutes, { accountExternalId: row.accountId }));
}

/** Customer rows of one month's `/ai/usage` answer, kept apart from the account totals they are part of. */
export function toCustomerUsage(connection: string, month: Month, usage: AIUsageWire, accountIds?: ReadonlySet<string>): UsageRecord[] {
  return firstOf(usage.customerUsage, (row) => `${row.accountId}\u0000${row.customerId}`)
    .filter((row) => accountIds === undefined || accountIds.has(row.accountId))
    .map((row) => aiMinutes(connection, month, row.aiMinutes, { accountExternalId: row.accountId, customerExternalId: row.customerId }));
}

/** The first row per key: an answer that lists an account (or customer) twice counts it once. */
function firstOf<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(key(row)) && seen.add(key(row)) !== undefined);
}

function aiMinutes(connection: string, month: Month, minutes: number, ids: Partial<UsageRecord>): UsageRecord {
  return usageRecord({
    month,
    vendor: VENDOR,
    connection,
    organisationExternalId: connection,
    type: 'AI_MINUTES',
    unit: 'MINUTES',
    quantity: toDecimal(minutes),
    ...ids,
  });
}
