import { Directive, Field, ObjectType } from 'type-graphql';
import { encodeId } from '../../src/ids';
import type { Vendor as VendorName } from '../../src/model';
import { Vendor } from '../common/enums';
import { Node } from '../common/node.interface';

@Directive('@key(fields: "id")')
@ObjectType({ implements: Node, description: 'One configured vendor API (a base URL and its credentials).' })
export class VendorConnection extends Node {
  @Field({ description: 'The id given in configuration, e.g. kore-prod.' })
  name!: string;

  @Field(() => Vendor, { description: 'The vendor this connection talks to.' })
  vendor!: VendorName;

  static of(name: string, vendor: VendorName): VendorConnection {
    return Object.assign(new VendorConnection(), { id: encodeId({ kind: 'VendorConnection', connection: name, externalId: '' }), name, vendor });
  }
}
