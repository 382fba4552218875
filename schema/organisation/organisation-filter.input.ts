import { Field, ID, InputType } from 'type-graphql';
import type { Vendor as VendorName } from '../../src/model';
import { Vendor } from '../common/enums';

@InputType({ description: 'Which organisations to list.' })
export class OrganisationFilter {
  @Field(() => [Vendor], { nullable: true, description: 'Only these vendors.' })
  vendors?: VendorName[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only these vendor connections (VendorConnection ids).' })
  connectionIds?: string[] | null;

  @Field(() => String, { nullable: true, description: "Case-insensitive substring of the organisation's name." })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Include organisations the vendor reports as disabled.' })
  includeDisabled?: boolean | null;
}
