import { registerEnumType } from 'type-graphql';
import { DIRECTIONS, RESOLUTIONS, USAGE_TYPES, USAGE_UNITS, VENDORS } from '../../src/model';
import { USAGE_DIMENSIONS } from '../../src/usage/report';

/** GraphQL enums are built from the same constant lists the connectors use, so the two cannot drift apart. */
const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const Vendor = enumOf(VENDORS);
export const UsageUnit = enumOf(USAGE_UNITS);
export const UsageType = enumOf(USAGE_TYPES);
export const Direction = enumOf(DIRECTIONS);
export const Resolution = enumOf(RESOLUTIONS);
export const BillingSessionType = enumOf(['CONVERSATION', 'ALERT'] as const);
export const SourceState = enumOf(['OK', 'STALE', 'FAILED'] as const);
export const UsageDimension = enumOf(USAGE_DIMENSIONS);
export const ProjectionMethod = enumOf(['RUN_RATE'] as const);

registerEnumType(Vendor, { name: 'Vendor', description: 'A vendor whose usage API this service reads.' });
registerEnumType(UsageUnit, { name: 'UsageUnit', description: "Units of usage; the union of every vendor's unit." });
registerEnumType(UsageType, {
  name: 'UsageType',
  description: "What was used: Talkdesk's usage types, plus BILLING_SESSION and ALERT_SESSION (Kore.ai), CONVERSATION (Cognigy), AI_MINUTES (Evovoice).",
});
registerEnumType(Direction, { name: 'Direction', description: 'Direction of an interaction, where the vendor reports one.' });
registerEnumType(Resolution, { name: 'Resolution', description: 'How an interaction ended, where the vendor reports it.' });
registerEnumType(BillingSessionType, { name: 'BillingSessionType', description: 'A Kore.ai billing session is for a conversation or for a delivered alert.' });
registerEnumType(SourceState, { name: 'SourceState', description: 'How a vendor connection answered for a report.' });
registerEnumType(ProjectionMethod, {
  name: 'ProjectionMethod',
  description: 'How a month-end projection is made. RUN_RATE: the figures so far / days elapsed (at least one) x days in the month, in the filter time zone.',
});
registerEnumType(UsageDimension, { name: 'UsageDimension', description: 'A dimension a usage report can be grouped by.' });
