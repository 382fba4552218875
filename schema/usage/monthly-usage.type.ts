import { Field, Float, ObjectType } from 'type-graphql';
import { GraphQLCurrency } from 'graphql-scalars';
import { showAmount, showQuantity } from '../../src/usage/money';
import type { Direction as DirectionName, Resolution as ResolutionName, UsageRecord, UsageType as TypeName, UsageUnit as UnitName, Vendor as VendorName } from '../../src/model';
import { Direction, Resolution, UsageType, UsageUnit, Vendor } from '../common/enums';
import { MonthScalar } from '../scalars/month.scalar';

@ObjectType({ description: 'One month of one metric for one entity, as the vendor reported it (or derived from its raw records).' })
export class MonthlyUsage {
  @Field(() => MonthScalar, { description: 'The calendar month.' })
  month!: string;

  @Field(() => Vendor, { description: 'The vendor that reported it.' })
  vendor!: VendorName;

  @Field(() => String, { nullable: true, description: 'Evovoice customer id, on customer usage.' })
  customerId!: string | null;

  @Field(() => String, { nullable: true, description: 'Channel, lower-case, where the vendor reports one.' })
  channel!: string | null;

  @Field(() => UsageType, { description: 'What was used.' })
  type!: TypeName;

  @Field(() => UsageUnit, { description: 'Unit of quantity.' })
  unit!: UnitName;

  @Field(() => Float, { description: 'How much was used, in unit.' })
  quantity!: number;

  @Field(() => String, { nullable: true, description: 'Vendor product id (Talkdesk).' })
  productId!: string | null;

  @Field(() => String, { nullable: true, description: 'Vendor aggregated product id (Talkdesk).' })
  aggregateProductId!: string | null;

  @Field(() => String, { nullable: true, description: 'Vendor description of the usage.' })
  description!: string | null;

  @Field(() => Direction, { nullable: true, description: 'Direction, where the vendor reports one.' })
  direction!: DirectionName | null;

  @Field(() => Resolution, { nullable: true, description: 'Resolution, where the vendor reports one.' })
  resolution!: ResolutionName | null;

  @Field(() => Float, { nullable: true, description: 'Price of one unit (vendor-reported or the configured rate).' })
  unitPrice!: number | null;

  @Field(() => Float, { nullable: true, description: 'Vendor-reported total, or quantity x the configured rate; null when neither exists.' })
  amount!: number | null;

  @Field(() => GraphQLCurrency, { nullable: true, description: 'ISO-4217 currency of amount.' })
  currency!: string | null;

  @Field(() => String, { nullable: true, description: 'Vendor wallet the usage was charged to (Talkdesk).' })
  wallet!: string | null;

  /** The record it shows; field resolvers read the connection and entity ids from it. */
  record!: UsageRecord;

  static of(record: UsageRecord): MonthlyUsage {
    return Object.assign(new MonthlyUsage(), {
      month: record.month,
      vendor: record.vendor,
      customerId: record.customerExternalId,
      channel: record.channel,
      type: record.type,
      unit: record.unit,
      quantity: showQuantity(record.quantity),
      productId: record.productId,
      aggregateProductId: record.aggregateProductId,
      description: record.description,
      direction: record.direction,
      resolution: record.resolution,
      unitPrice: record.unitPrice === null ? null : showQuantity(record.unitPrice),
      amount: record.amount === null ? null : showAmount(record.amount, record.currency),
      currency: record.currency,
      wallet: record.wallet,
      record,
    });
  }
}
