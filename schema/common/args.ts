import { ArgsType, Field, Int } from 'type-graphql';
import { MonthScalar } from '../scalars/month.scalar';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size (at most 500).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' })
  after?: string | null;
}

@ArgsType()
export class MonthRangeArgs {
  @Field(() => MonthScalar, { description: 'First month, inclusive.' })
  from!: string;

  @Field(() => MonthScalar, { description: 'Last month, inclusive; at most 36 months after from.' })
  to!: string;
}
