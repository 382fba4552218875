import { Directive, Field, ObjectType } from 'type-graphql';

// Every Relay-style subgraph has a PageInfo; shareable so the same value type composes with theirs.
@Directive('@shareable')
@ObjectType({ description: 'Relay paging information.' })
export class PageInfo {
  @Field({ description: 'True when more items follow endCursor.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page; pass it as `after`.' })
  endCursor!: string | null;
}
