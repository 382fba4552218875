import { Field, ObjectType } from 'type-graphql';
import type { CustomerRecord } from '../../src/model';

@ObjectType({ description: 'An Evovoice customer under an account.' })
export class Customer {
  @Field({ description: "The vendor's own identifier." })
  externalId!: string;

  @Field(() => String, { nullable: true, description: 'Display name, when the vendor reports one.' })
  name!: string | null;

  connectionName!: string;
  accountExternalId!: string;

  static of(record: CustomerRecord): Customer {
    return Object.assign(new Customer(), {
      externalId: record.externalId,
      name: record.name,
      connectionName: record.connection,
      accountExternalId: record.accountExternalId,
    });
  }
}
