import { Field, Float, ObjectType } from 'type-graphql';
import { GraphQLCurrency, GraphQLDateTime } from 'graphql-scalars';
import { showAmount, showProjectedQuantity, showQuantity } from '../../src/usage/money';
import type { Projection } from '../../src/usage/projection';
import type { ReportRow, ReportTotal } from '../../src/usage/report';
import type { SourceResult } from '../../src/usage/usage-report';
import type { Direction as DirectionName, UsageType as TypeName, UsageUnit as UnitName, Vendor as VendorName } from '../../src/model';
import { Direction, ProjectionMethod, SourceState, UsageType, UsageUnit, Vendor } from '../common/enums';
import { MonthScalar } from '../scalars/month.scalar';

@ObjectType({
  description:
    'Where a figure that includes the month in progress will end the month: never added into the reported quantity and amount. Null for months that have ended.',
})
export class UsageProjection {
  @Field(() => Float, { description: 'Projected quantity at month end (rounded to 2 decimals).' })
  quantity!: number;

  @Field(() => Float, { nullable: true, description: 'Projected amount at month end, rounded half-even to the currency minor unit; null when no money is known.' })
  amount!: number | null;

  @Field(() => ProjectionMethod, { description: 'How it was projected.' })
  method!: 'RUN_RATE';

  static of(projection: Projection | null | undefined, currency: string | null): UsageProjection | null {
    if (!projection) return null;
    return Object.assign(new UsageProjection(), {
      quantity: showProjectedQuantity(projection.quantity),
      amount: projection.amount === null ? null : showAmount(projection.amount, currency),
      method: projection.method,
    });
  }
}

@ObjectType({ description: 'A group of usage; a field is null when its dimension is not in groupBy. Unit and currency always split groups.' })
export class UsageRow {
  @Field(() => MonthScalar, { nullable: true, description: 'The month, when grouped by MONTH.' })
  month!: string | null;

  @Field(() => Vendor, { nullable: true, description: 'The vendor, when grouped by VENDOR.' })
  vendor!: VendorName | null;

  @Field(() => String, { nullable: true, description: 'Channel, lower-case, when grouped by CHANNEL.' })
  channel!: string | null;

  @Field(() => UsageType, { nullable: true, description: 'Usage type, when grouped by TYPE.' })
  type!: TypeName | null;

  @Field(() => UsageUnit, { description: 'Unit of quantity (always: quantities of different units are never added).' })
  unit!: UnitName;

  @Field(() => String, { nullable: true, description: 'Vendor product id, when grouped by PRODUCT.' })
  productId!: string | null;

  @Field(() => Direction, { nullable: true, description: 'Direction, when grouped by DIRECTION.' })
  direction!: DirectionName | null;

  @Field(() => GraphQLCurrency, { nullable: true, description: 'Currency of amount (always set when amount is: amounts of different currencies are never added).' })
  currency!: string | null;

  @Field(() => Float, { description: 'Sum of quantity.' })
  quantity!: number;

  @Field(() => Float, { nullable: true, description: 'Sum of amount, rounded half-even to the currency minor unit; null when no row carries money.' })
  amount!: number | null;

  @Field(() => UsageProjection, {
    nullable: true,
    description: 'Month-end projection when this figure includes the month in progress (in the filter time zone); null otherwise. Never part of quantity or amount.',
  })
  projection!: UsageProjection | null;

  row!: ReportRow;

  static of(row: ReportRow, projection?: Projection | null): UsageRow {
    return Object.assign(new UsageRow(), {
      month: row.month,
      vendor: row.vendor,
      channel: row.channel,
      type: row.type,
      unit: row.unit,
      productId: row.productId,
      direction: row.direction,
      currency: row.currency,
      quantity: showQuantity(row.quantity),
      amount: row.amount === null ? null : showAmount(row.amount, row.currency),
      projection: UsageProjection.of(projection, row.currency),
      row,
    });
  }
}

@ObjectType({ description: 'Sum of quantity per unit, and of amount per currency.' })
export class UsageTotal {
  @Field(() => UsageUnit, { description: 'Unit of quantity.' })
  unit!: UnitName;

  @Field(() => Float, { description: 'Sum of quantity over all rows of this unit and currency.' })
  quantity!: number;

  @Field(() => GraphQLCurrency, { nullable: true, description: 'Currency of amount.' })
  currency!: string | null;

  @Field(() => Float, { nullable: true, description: 'Sum of amount, rounded half-even to the currency minor unit.' })
  amount!: number | null;

  @Field(() => UsageProjection, {
    nullable: true,
    description: 'Month-end projection when this figure includes the month in progress (in the filter time zone); null otherwise. Never part of quantity or amount.',
  })
  projection!: UsageProjection | null;

  static of(total: ReportTotal, projection?: Projection | null): UsageTotal {
    return Object.assign(new UsageTotal(), {
      unit: total.unit,
      quantity: showQuantity(total.quantity),
      currency: total.currency,
      amount: total.amount === null ? null : showAmount(total.amount, total.currency),
      projection: UsageProjection.of(projection, total.currency),
    });
  }
}

@ObjectType({ description: 'How one vendor connection answered for a report.' })
export class SourceStatus {
  @Field(() => SourceState, { description: 'OK, STALE (served from an older fetch) or FAILED.' })
  state!: 'OK' | 'STALE' | 'FAILED';

  @Field(() => String, { nullable: true, description: 'Machine-readable reason when not OK, e.g. UPSTREAM_TIMEOUT, UPSTREAM_UNAUTHORIZED, UPSTREAM_RATE_LIMITED.' })
  code!: string | null;

  @Field(() => String, { nullable: true, description: 'Human-readable reason when not OK.' })
  message!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the data served was fetched, for STALE.' })
  fetchedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "Why names or details are missing although the numbers are whole, e.g. a vendor listing the credentials may not read; null when nothing is missing.",
  })
  note!: string | null;

  connectionName!: string;

  static of(source: SourceResult): SourceStatus {
    return Object.assign(new SourceStatus(), {
      connectionName: source.connection,
      note: source.note ?? null,
      state: source.state,
      code: source.code,
      message: source.message,
      fetchedAt: source.fetchedAt,
    });
  }
}

@ObjectType({ description: 'Cross-vendor usage, summed over the chosen dimensions.' })
export class UsageReport {
  @Field(() => [UsageRow], { description: 'One row per group.' })
  rows!: UsageRow[];

  @Field(() => [UsageTotal], { description: 'Sum of quantity per unit, and of amount per currency, over all rows.' })
  totals!: UsageTotal[];

  @Field({ description: 'True when any source failed or was served stale: the numbers may be short.' })
  incomplete!: boolean;

  @Field(() => [SourceStatus], { description: 'One status per vendor connection asked.' })
  sources!: SourceStatus[];
}
