import { Directive, Field, ObjectType } from 'type-graphql';
import { encodeId } from '../../src/ids';
import type { AccountRecord, Vendor as VendorName } from '../../src/model';
import { Vendor } from '../common/enums';
import { Node } from '../common/node.interface';
import { relayConnection } from '../common/connection.factory';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A billable account under an organisation (Talkdesk account, Evovoice account).' })
export class Account extends Node {
  @Field(() => Vendor, { description: 'The vendor of this account.' })
  vendor!: VendorName;

  @Field({ description: "The vendor's own identifier." })
  externalId!: string;

  @Field(() => String, { nullable: true, description: 'Display name, when the vendor reports one.' })
  name!: string | null;

  connectionName!: string;
  organisationExternalId!: string;

  static of(record: AccountRecord): Account {
    return Object.assign(new Account(), {
      id: encodeId({ kind: 'Account', connection: record.connection, externalId: record.externalId }),
      vendor: record.vendor,
      externalId: record.externalId,
      name: record.name,
      connectionName: record.connection,
      organisationExternalId: record.organisationExternalId,
    });
  }
}

export const AccountConnection = relayConnection(Account, 'Account');
