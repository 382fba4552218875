import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { FocusRow as FocusRecord, UnpricedUsage as UnpricedRecord } from '../../src/usage/focus';
import type { UsageUnit as UnitName, Vendor as VendorName } from '../../src/vendors/types';
import { UsageUnit, Vendor } from '../common/enums';
import { SourceStatus } from './usage-report.type';

/*
 * The FOCUS dataset as GraphQL, so analysts can look at it in GraphiQL before
 * they download /export/focus.csv. Field names are the FOCUS column ids exactly
 * (PascalCase, x_ for custom columns) and values are the file's text: decimals
 * exact, instants ISO 8601 UTC.
 */

@ObjectType({ description: 'One row of the FOCUS 1.2 dataset: a month of one metric of one bot, account or organisation, with money.' })
export class FocusRow {
  @Field(() => String, { description: "The vendor connection's global id (its VendorConnection id)." })
  BillingAccountId!: string;

  @Field(() => String, { description: "The vendor connection's configured name." })
  BillingAccountName!: string;

  @Field(() => String, { nullable: true, description: 'Global id of the bot (Kore.ai), account (Talkdesk, Evovoice) or organisation (Cognigy) the usage is reported for.' })
  SubAccountId!: string | null;

  @Field(() => String, { nullable: true, description: "Its display name (the vendor id when the vendor's listing has no name)." })
  SubAccountName!: string | null;

  @Field(() => String, { nullable: true, description: 'Bot, Account or Organisation.' })
  SubAccountType!: string | null;

  @Field(() => String, { description: 'First instant of the calendar month, ISO 8601 UTC (inclusive).' })
  BillingPeriodStart!: string;

  @Field(() => String, { description: 'First instant of the next month (exclusive).' })
  BillingPeriodEnd!: string;

  @Field(() => String, { description: 'Start of the charge period (the calendar month the vendor reports), inclusive.' })
  ChargePeriodStart!: string;

  @Field(() => String, { description: 'End of the charge period, exclusive.' })
  ChargePeriodEnd!: string;

  @Field(() => String, { description: 'Usage, or Purchase for wallet recharges and credit commitments.' })
  ChargeCategory!: string;

  @Field(() => String, { nullable: true, description: 'Always null: the vendors report no corrections.' })
  ChargeClass!: string | null;

  @Field(() => String, { nullable: true, description: "The vendor's description, or one made from vendor, usage type and channel." })
  ChargeDescription!: string | null;

  @Field(() => String, { description: 'Usage-Based; Recurring for phone numbers; One-Time for purchases.' })
  ChargeFrequency!: string;

  @Field(() => String, { description: "Exact decimal: the vendor's amount, else quantity x the configured rate." })
  BilledCost!: string;

  @Field(() => String, { description: 'Equal to BilledCost (no amortisation or discounts are known).' })
  EffectiveCost!: string;

  @Field(() => String, { description: 'Equal to BilledCost (one price is known: no list/contract split).' })
  ListCost!: string;

  @Field(() => String, { description: 'Equal to BilledCost.' })
  ContractedCost!: string;

  @Field(() => String, { description: 'ISO 4217 currency of every cost and price on the row.' })
  BillingCurrency!: string;

  @Field(() => String, { nullable: true, description: 'Exact decimal quantity; null on purchases.' })
  ConsumedQuantity!: string | null;

  @Field(() => String, { nullable: true, description: 'Unit in FOCUS Unit Format (Sessions, Minutes, Conversations, ...); null on purchases.' })
  ConsumedUnit!: string | null;

  @Field(() => String, { description: 'The quantity priced (equal to ConsumedQuantity on usage).' })
  PricingQuantity!: string;

  @Field(() => String, { description: 'Unit of PricingQuantity.' })
  PricingUnit!: string;

  @Field(() => String, { nullable: true, description: "Price of one unit: the vendor's, the configured rate, or the vendor total / quantity." })
  ListUnitPrice!: string | null;

  @Field(() => String, { nullable: true, description: 'Equal to ListUnitPrice.' })
  ContractedUnitPrice!: string | null;

  @Field(() => String, { nullable: true, description: 'Standard.' })
  PricingCategory!: string | null;

  @Field(() => String, { description: 'The vendor (Kore.ai, Cognigy, Evovoice, Talkdesk).' })
  ProviderName!: string;

  @Field(() => String, { description: 'The vendor.' })
  PublisherName!: string;

  @Field(() => String, { description: 'The vendor.' })
  InvoiceIssuerName!: string;

  @Field(() => String, { description: 'What was bought, e.g. Kore.ai Virtual Assistants, Talkdesk Voice.' })
  ServiceName!: string;

  @Field(() => String, { description: 'A FOCUS service category (AI and Machine Learning, Business Applications).' })
  ServiceCategory!: string;

  @Field(() => String, { nullable: true, description: 'A FOCUS service subcategory of it.' })
  ServiceSubcategory!: string | null;

  @Field(() => String, { nullable: true, description: 'The vendor product id (Talkdesk), else VENDOR:TYPE:UNIT.' })
  SkuId!: string | null;

  @Field(() => String, { description: 'Custom column: the vendor enum value.' })
  x_Vendor!: string;

  @Field(() => String, { description: "Custom column: the connection's configured name." })
  x_Connection!: string;

  @Field(() => String, { nullable: true, description: 'Custom column: global id of the organisation the sub account belongs to.' })
  x_OrganisationId!: string | null;

  @Field(() => String, { nullable: true, description: 'Custom column: its name.' })
  x_OrganisationName!: string | null;

  @Field(() => String, { description: 'Custom column: the usage type (UsageType enum value).' })
  x_UsageType!: string;

  @Field(() => String, { nullable: true, description: 'Custom column: channel, lower-case, where the vendor reports one.' })
  x_Channel!: string | null;

  @Field(() => String, { nullable: true, description: 'Custom column: Kore.ai session type (Conversations or Alerts).' })
  x_SessionType!: string | null;

  @Field(() => String, { nullable: true, description: 'Custom column: Talkdesk product id.' })
  x_ProductId!: string | null;

  @Field(() => String, { nullable: true, description: 'Custom column: Talkdesk aggregated product id.' })
  x_AggregateProductId!: string | null;

  @Field(() => String, { nullable: true, description: 'Custom column: call or message direction.' })
  x_Direction!: string | null;

  @Field(() => String, { nullable: true, description: 'Custom column: call resolution.' })
  x_Resolution!: string | null;

  @Field(() => String, { nullable: true, description: 'Custom column: Talkdesk wallet charged.' })
  x_Wallet!: string | null;

  @Field(() => String, { description: "Custom column: Vendor, VendorTotal (unit price derived from the vendor's total) or RateCard." })
  x_PriceSource!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Key-value tags: usagegraph/organisation and usagegraph/channel.' })
  Tags!: Record<string, string> | null;

  static of(row: FocusRecord): FocusRow {
    return Object.assign(new FocusRow(), row);
  }
}

@ObjectType({ description: 'Usage with no money (no vendor amount, no configured rate): FOCUS allows no null cost, so it is not in the rows.' })
export class UnpricedUsage {
  @Field(() => String, { description: "The connection's configured name." })
  connection!: string;

  @Field(() => Vendor, { description: 'Its vendor.' })
  vendor!: VendorName;

  @Field(() => UsageUnit, { description: 'Unit of quantity.' })
  unit!: UnitName;

  @Field(() => String, { description: 'Sum of the quantity left out, exact decimal.' })
  quantity!: string;

  @Field(() => Int, { description: 'How many monthly records were left out.' })
  records!: number;

  static of(u: UnpricedRecord): UnpricedUsage {
    return Object.assign(new UnpricedUsage(), u);
  }
}

@ObjectType({ description: 'The FOCUS dataset of a usage filter, with what it could not show.' })
export class FocusDataset {
  @Field(() => [FocusRow], { description: 'Priced usage, one row per month and vendor record, in period, connection and sub account order.' })
  rows!: FocusRow[];

  @Field(() => [UnpricedUsage], { description: 'Usage left out of rows for having no money, per connection and unit.' })
  unpriced!: UnpricedUsage[];

  @Field({ description: 'True when any source failed or was served stale: the rows may be short.' })
  incomplete!: boolean;

  @Field(() => [SourceStatus], { description: 'One status per vendor connection asked.' })
  sources!: SourceStatus[];
}
