import { BadUserInputError } from '../errors';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A period of instants (`billingSessions`, `reconciliation`) no longer than
 * `maxSpanDays`: a vendor answers a long period one capped range at a time,
 * so a century costs hundreds of calls before anything is returned.
 */
export function assertSpanWithin(from: Date, to: Date, maxSpanDays: number, field = 'to'): void {
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (days > maxSpanDays) {
    throw new BadUserInputError(`${field} is ${Math.ceil(days)} days after from; at most ${maxSpanDays} days are allowed (server.limits.maxSpanDays)`, field);
  }
}

/** An id list no longer than `maxIds`: every id can cost a vendor call of its own. */
export function assertIdListWithin(ids: readonly unknown[] | null | undefined, maxIds: number, field: string): void {
  if (ids && ids.length > maxIds) {
    throw new BadUserInputError(`${field} has ${ids.length} ids; at most ${maxIds} are allowed (server.limits.maxIdsPerList)`, field);
  }
}
