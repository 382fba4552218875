import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { PageInfo } from './page-info.type';

/**
 * Builds a Relay connection and its edge for one node type, so the four
 * connections of the contract share one definition (type-graphql's generic
 * types pattern).
 */
export function relayConnection<TNode extends object>(nodeType: ClassType<TNode>, nodeName: string) {
  @ObjectType(`${nodeName}Edge`, { description: `A ${nodeName} with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this edge.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${nodeName}.` })
    node!: TNode;
  }

  @ObjectType(`${nodeName}Connection`, { description: `A page of ${nodeName} items.` })
  class Connection {
    @Field(() => [Edge], { description: 'The items of this page.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Paging information.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items over all pages.' })
    totalCount!: number;
  }

  return Connection;
}

export interface RelayPage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}
