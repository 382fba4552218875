import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../src/context';
import { focusExport } from '../src/usage/focus-export';
import { FocusDataset, FocusRow, UnpricedUsage } from '../schema/usage/focus.type';
import { UsageFilter } from '../schema/usage/usage-filter.input';
import { SourceStatus } from '../schema/usage/usage-report.type';

@Resolver(() => FocusDataset)
export class FocusResolver {
  @Query(() => FocusDataset, {
    description: 'The FOCUS 1.2 (FinOps Open Cost and Usage Specification) rows of a usage filter: what GET /export/focus.csv and /export/focus.jsonl download. Periods are UTC calendar months.',
  })
  async focus(@Arg('filter', () => UsageFilter) filter: UsageFilter, @Ctx() ctx: Context): Promise<FocusDataset> {
    const dataset = await focusExport(ctx, filter);
    return Object.assign(new FocusDataset(), {
      rows: dataset.rows.map(FocusRow.of),
      unpriced: dataset.unpriced.map(UnpricedUsage.of),
      incomplete: dataset.incomplete,
      sources: dataset.sources.map(SourceStatus.of),
    });
  }
}
