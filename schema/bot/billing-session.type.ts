import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { encodeId } from '../../src/ids';
import type { BillingSessionRecord, BillingSessionType as SessionType } from '../../src/model';
import { BillingSessionType } from '../common/enums';
import { Node } from '../common/node.interface';
import { relayConnection } from '../common/connection.factory';

@ObjectType({ implements: Node, description: 'One Kore.ai billing session.' })
export class BillingSession extends Node {
  @Field({ description: "The vendor's billingSessionId." })
  externalId!: string;

  @Field({ description: 'Channel code, lower-case (rtm, ivr, msteams, ...).' })
  channel!: string;

  @Field(() => BillingSessionType, { description: 'Conversation or alert session.' })
  type!: SessionType;

  @Field(() => String, { nullable: true, description: 'Kore.ai user id.' })
  userId!: string | null;

  @Field(() => String, { nullable: true, description: "The user's id on the channel." })
  channelUserId!: string | null;

  @Field(() => String, { nullable: true, description: 'The conversation this session bills.' })
  conversationId!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the conversation started (UTC).' })
  conversationStart!: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the conversation ended (UTC).' })
  conversationEnd!: Date | null;

  @Field(() => GraphQLDateTime, { description: 'When the billing session started (UTC).' })
  start!: Date;

  @Field(() => GraphQLDateTime, { description: 'When the billing session ended (UTC).' })
  end!: Date;

  @Field(() => Int, { description: 'Length of the billing session in whole seconds.' })
  durationSeconds!: number;

  connectionName!: string;
  botExternalId!: string;

  static of(record: BillingSessionRecord): BillingSession {
    return Object.assign(new BillingSession(), {
      id: encodeId({ kind: 'BillingSession', connection: record.connection, externalId: record.externalId, botExternalId: record.botExternalId }),
      externalId: record.externalId,
      channel: record.channel,
      type: record.type,
      userId: record.userId,
      channelUserId: record.channelUserId,
      conversationId: record.conversationId,
      conversationStart: record.conversationStart,
      conversationEnd: record.conversationEnd,
      start: record.start,
      end: record.end,
      durationSeconds: Math.max(0, Math.round((record.end.getTime() - record.start.getTime()) / 1000)),
      connectionName: record.connection,
      botExternalId: record.botExternalId,
    });
  }
}

export const BillingSessionConnection = relayConnection(BillingSession, 'BillingSession');
