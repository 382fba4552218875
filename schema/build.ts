import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { AccountResolver, CustomerResolver } from '../resolvers/account.resolver';
import { BillingSessionResolver, BotResolver } from '../resolvers/bot.resolver';
import { ConnectionResolver } from '../resolvers/connection.resolver';
import { FocusResolver } from '../resolvers/focus.resolver';
import { NodeResolver } from '../resolvers/node.resolver';
import { OrganisationResolver } from '../resolvers/organisation.resolver';
import { MonthlyUsageResolver, SourceStatusResolver, UsageResolver, UsageRowResolver } from '../resolvers/usage.resolver';

let built: GraphQLSchema | undefined;

/** The schema, built once per process from the type-graphql classes (type-graphql's metadata is global). */
export function usageSchema(): GraphQLSchema {
  built ??= buildSchemaSync({
    resolvers: [
      ConnectionResolver, OrganisationResolver, AccountResolver, CustomerResolver, BotResolver, BillingSessionResolver,
      UsageResolver, UsageRowResolver, MonthlyUsageResolver, SourceStatusResolver, NodeResolver,
      FocusResolver,
    ],
    // Inputs are validated by hand where they are read (errors name the field); no class-validator pass.
    validate: false,
  });
  return built;
}

/** The SDL as committed in schema/schema.graphql: sorted, so the file diffs cleanly. */
export function printUsageSchema(): string {
  return printSchema(lexicographicSortSchema(usageSchema())) + '\n';
}
