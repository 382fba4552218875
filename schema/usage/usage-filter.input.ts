import { Field, ID, InputType } from 'type-graphql';
import type { UsageType as TypeName, UsageUnit as UnitName, Vendor as VendorName } from '../../src/model';
import { UsageType, UsageUnit, Vendor } from '../common/enums';
import { MonthScalar } from '../scalars/month.scalar';

@InputType({ description: 'Which usage a report covers. Absent lists select everything.' })
export class UsageFilter {
  @Field(() => MonthScalar, { description: 'First month, inclusive.' })
  from!: string;

  @Field(() => MonthScalar, { description: 'Last month, inclusive. At most 36 months after from.' })
  to!: string;

  @Field(() => [Vendor], { nullable: true, description: 'Only these vendors.' })
  vendors?: VendorName[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only these vendor connections (ids or configured names).' })
  connectionIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only these organisations.' })
  organisationIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only these accounts.' })
  accountIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only these bots.' })
  botIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Only these channels (case-insensitive).' })
  channels?: string[] | null;

  @Field(() => [UsageType], { nullable: true, description: 'Only these usage types.' })
  types?: TypeName[] | null;

  @Field(() => [UsageUnit], { nullable: true, description: 'Only these units.' })
  units?: UnitName[] | null;

  @Field(() => String, {
    nullable: true,
    defaultValue: 'UTC',
    description: 'IANA time zone that places timestamped records (Kore.ai sessions) into months. Vendors that report per day or per month are taken as reported.',
  })
  timeZone?: string | null;
}
