import { Field, ID, InterfaceType } from 'type-graphql';

/** An object with a global, opaque id that `Query.node` resolves. */
@InterfaceType({ description: 'An object with a global, opaque id that Query.node resolves.' })
export abstract class Node {
  @Field(() => ID, { description: 'Global, opaque identifier.' })
  id!: string;
}
