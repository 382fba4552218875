import { toDecimal } from '../../usage/money';
import { DIRECTIONS, RESOLUTIONS, USAGE_UNITS, usageRecord, type AccountRecord, type Direction, type OrganisationRecord, type Resolution, type UsageRecord, type UsageType, type UsageUnit } from '../../model';
import type { TalkdeskAccountWire, TalkdeskUsageWire } from './wire';

/** Pure Talkdesk wire -> normalised records. Talkdesk has one organisation per connection, named after it. */

/** The usage types seed 003 lists; anything else Talkdesk may add later becomes OTHER. */
export const TALKDESK_USAGE_TYPES = [
  'AMD', 'API_REQUEST', 'CALL', 'CALL_SERVICE', 'CREDIT_COMMIT', 'DIALER', 'MESSAGE', 'NUMBER',
  'PRODUCT_SERVICE', 'RECHARGE', 'SPEECH_TRANSCRIPTION', 'VOICEMAIL_TRANSCRIPTION', 'OTHER',
] as const satisfies readonly UsageType[];

function oneOf<T extends string>(allowed: readonly T[], value: string): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : ('OTHER' as T);
}

function oneOfOrNull<T extends string>(allowed: readonly T[], value: string | null): T | null {
  return value === null ? null : oneOf(allowed, value);
}

/** The connection's single organisation: Talkdesk credentials belong to one organisation, which the API never names. */
export function mapOrganisation(connection: string): OrganisationRecord {
  return { vendor: 'TALKDESK', connection, externalId: connection, name: connection, disabled: false };
}

/** An account; `company_name` stands in when Talkdesk leaves `name` empty. */
export function mapAccount(wire: TalkdeskAccountWire, connection: string): AccountRecord {
  return {
    vendor: 'TALKDESK',
    connection,
    organisationExternalId: connection,
    externalId: wire.id,
    name: wire.name || wire.company_name || null,
  };
}

/** One usage record becomes one row; Talkdesk's own amount is kept (a configured rate never overrides it). */
export function mapUsage(wire: TalkdeskUsageWire, connection: string): UsageRecord {
  return usageRecord({
    month: wire.month,
    vendor: 'TALKDESK',
    connection,
    organisationExternalId: connection,
    accountExternalId: wire.account_id,
    type: oneOf<UsageType>(TALKDESK_USAGE_TYPES, wire.type),
    unit: oneOf<UsageUnit>(USAGE_UNITS, wire.unit),
    quantity: toDecimal(wire.number_of_units),
    unitPrice: wire.price === null ? null : toDecimal(wire.price),
    amount: wire.total_amount === null ? null : toDecimal(wire.total_amount),
    currency: wire.currency,
    productId: wire.product_id,
    aggregateProductId: wire.aggr_product_id,
    description: wire.description,
    direction: oneOfOrNull<Direction>(DIRECTIONS, wire.direction),
    resolution: oneOfOrNull<Resolution>(RESOLUTIONS, wire.resolution),
    wallet: wire.wallet_name,
  });
}
