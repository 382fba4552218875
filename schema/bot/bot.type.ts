import { Directive, Field, ObjectType } from 'type-graphql';
import { encodeId } from '../../src/ids';
import type { BotRecord, Vendor as VendorName } from '../../src/model';
import { Vendor } from '../common/enums';
import { Node } from '../common/node.interface';
import { relayConnection } from '../common/connection.factory';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'A virtual assistant (Kore.ai bot or stream).' })
export class Bot extends Node {
  @Field(() => Vendor, { description: 'The vendor of this bot.' })
  vendor!: VendorName;

  @Field({ description: "The vendor's own identifier (Kore.ai bot or stream id)." })
  externalId!: string;

  @Field(() => String, { nullable: true, description: 'Display name, when the vendor reports one.' })
  name!: string | null;

  connectionName!: string;
  organisationExternalId!: string;

  static of(record: BotRecord): Bot {
    return Object.assign(new Bot(), {
      id: encodeId({ kind: 'Bot', connection: record.connection, externalId: record.externalId }),
      vendor: record.vendor,
      externalId: record.externalId,
      name: record.name,
      connectionName: record.connection,
      organisationExternalId: record.organisationExternalId,
    });
  }
}

export const BotConnection = relayConnection(Bot, 'Bot');
