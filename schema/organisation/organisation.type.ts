import { Directive, Field, ObjectType } from 'type-graphql';
import { encodeId } from '../../src/ids';
import type { OrganisationRecord, Vendor as VendorName } from '../../src/model';
import { Vendor } from '../common/enums';
import { Node } from '../common/node.interface';
import { relayConnection } from '../common/connection.factory';

@Directive('@key(fields: "id")')
// A subgraph that knows a tenant from the vendor's side (a CRM storing the Cognigy organisation id) refers to it by this key.
@Directive('@key(fields: "vendor externalId")')
@ObjectType({
  implements: Node,
  description: 'A vendor tenant: a Cognigy organisation, a Talkdesk organisation, a Kore.ai workspace, an Evovoice system.',
})
export class Organisation extends Node {
  @Field(() => Vendor, { description: 'The vendor of this tenant.' })
  vendor!: VendorName;

  @Field({ description: "The vendor's own identifier." })
  externalId!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field({ description: 'True when the vendor reports the tenant as disabled.' })
  disabled!: boolean;

  /** The configured connection it was read from (not a GraphQL field). */
  connectionName!: string;

  static of(record: OrganisationRecord): Organisation {
    return Object.assign(new Organisation(), {
      id: encodeId({ kind: 'Organisation', connection: record.connection, externalId: record.externalId }),
      vendor: record.vendor,
      externalId: record.externalId,
      name: record.name,
      disabled: record.disabled,
      connectionName: record.connection,
    });
  }
}

export const OrganisationConnection = relayConnection(Organisation, 'Organisation');
