import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';

export const ReconciliationRule = { CONVERSATION_STARTED_15_MINUTES: 'CONVERSATION_STARTED_15_MINUTES', ONE_SESSION_PER_ALERT_DELIVERY: 'ONE_SESSION_PER_ALERT_DELIVERY' } as const;
registerEnumType(ReconciliationRule, {
  name: 'ReconciliationRule',
  description: "Kore.ai's billing rules (seed 004): one session per started 15 minutes of conversation; one session per delivered alert.",
});

@ObjectType({ description: "A conversation or alert delivery billed differently from the vendor's rule." })
export class SessionDiscrepancy {
  @Field({ description: 'The conversation or alert delivery (conversationSessionId).' })
  conversationId!: string;

  @Field(() => Int, { description: 'Sessions the vendor billed.' })
  billed!: number;

  @Field(() => Int, { description: 'Sessions the rule gives.' })
  expected!: number;

  @Field(() => GraphQLDateTime, { description: "Start of the measured span: the earliest start over all the conversation's records." })
  start!: Date;

  @Field(() => GraphQLDateTime, { description: "End of the measured span: the latest end over all the conversation's records." })
  end!: Date;

  @Field(() => Int, { description: 'Length of the measured span in seconds.' })
  durationSeconds!: number;

  @Field(() => ReconciliationRule, { description: 'The rule the billed count was checked against.' })
  rule!: keyof typeof ReconciliationRule;

  @Field({ description: 'Why they differ, in words.' })
  reason!: string;
}

@ObjectType({ description: "Billed sessions checked against the vendor's rule: one session per started 15 minutes of conversation, one per alert." })
export class Reconciliation {
  @Field(() => Int, { description: 'Conversations that started in the period.' })
  conversations!: number;

  @Field(() => Int, { description: 'Alert deliveries (one conversationSessionId each) in the period.' })
  alertDeliveries!: number;

  @Field(() => Int, { description: 'Sessions billed for them, plus alert sessions.' })
  billedSessions!: number;

  @Field(() => Int, { description: 'Sessions the rule gives for them, plus one per alert delivery.' })
  expectedSessions!: number;

  @Field(() => [SessionDiscrepancy], { description: 'Conversations and alert deliveries whose billed count differs from the rule.' })
  discrepancies!: SessionDiscrepancy[];
}
