import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A conversation billed differently from the 15-minute rule.' })
export class SessionDiscrepancy {
  @Field({ description: 'The conversation (conversationSessionId).' })
  conversationId!: string;

  @Field(() => Int, { description: 'Sessions the vendor billed.' })
  billed!: number;

  @Field(() => Int, { description: 'Sessions the rule gives.' })
  expected!: number;

  @Field({ description: 'Why they differ, in words.' })
  reason!: string;
}

@ObjectType({ description: "Billed sessions checked against the vendor's rule: one session per started 15 minutes of conversation, one per alert." })
export class Reconciliation {
  @Field(() => Int, { description: 'Conversations that started in the period.' })
  conversations!: number;

  @Field(() => Int, { description: 'Sessions billed for them, plus alert sessions.' })
  billedSessions!: number;

  @Field(() => Int, { description: 'Sessions the rule gives for them, plus one per alert.' })
  expectedSessions!: number;

  @Field(() => [SessionDiscrepancy], { description: 'Conversations whose billed count differs from the rule.' })
  discrepancies!: SessionDiscrepancy[];
}
