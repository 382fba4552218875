import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import { FOCUS_COLUMNS, type FocusRow, type UnpricedUsage } from '../usage/focus';
import { focusExport } from '../usage/focus-export';
import type { UsageReportFilter } from '../usage/usage-report';
import { USAGE_TYPES, USAGE_UNITS, VENDORS } from '../vendors/types';
import { csvStream } from './csv';

/**
 * GET /export/focus.csv and /export/focus.jsonl: the FOCUS dataset of a usage
 * filter given as query parameters (`from`, `to`, and lists as repeated or
 * comma-separated `vendors`, `connectionIds`, `organisationIds`, `accountIds`,
 * `botIds`, `channels`, `types`, `units`). Rows are streamed with back-pressure.
 * What the rows cannot show is named in headers before the first byte:
 * `X-Usagegraph-Incomplete` (connections that failed or were stale) and
 * `X-Usagegraph-Unpriced` (usage left out for having no money).
 */

export type FocusFormat = 'csv' | 'jsonl';

const LIST_PARAMETERS = ['vendors', 'connectionIds', 'organisationIds', 'accountIds', 'botIds', 'channels', 'types', 'units'] as const;
const KNOWN_PARAMETERS = new Set<string>(['from', 'to', ...LIST_PARAMETERS]);

export async function focusExportRoute(ctx: Context, params: URLSearchParams, res: ServerResponse, format: FocusFormat): Promise<void> {
  let filter: UsageReportFilter;
  let result: Awaited<ReturnType<typeof focusExport>>;
  try {
    filter = focusFilterOf(params);
    result = await focusExport(ctx, filter, '');
  } catch (err) {
    if (err instanceof BadUserInputError) {
      const { field } = err;
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { code: err.code, field, message: err.message } }));
    }
    throw err;
  }

  const headers: Record<string, string> = {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8',
    'content-disposition': `attachment; filename="focus-${filter.from}-${filter.to}.${format}"`,
    'cache-control': 'no-store',
    'x-usagegraph-focus-version': '1.2',
  };
  const failed = result.sources.filter((s) => s.state !== 'OK').map((s) => `${headerText(s.connection)} ${s.state}${s.code ? ` ${s.code}` : ''}`);
  if (failed.length > 0) headers['x-usagegraph-incomplete'] = failed.join(', ');
  if (result.unpriced.length > 0) headers['x-usagegraph-unpriced'] = unpricedHeader(result.unpriced);
  res.writeHead(200, headers);

  const lines = format === 'csv' ? Readable.from(result.rows.map(csvRecord)).pipe(csvStream([...FOCUS_COLUMNS])) : Readable.from(jsonLines(result.rows));
  try {
    await pipeline(lines, res);
  } catch (err) {
    // The client went away mid-download: nothing left to answer.
    if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  }
}

/** Query parameters -> the usage filter; anything unknown or malformed is a 400 naming the parameter. */
export function focusFilterOf(params: URLSearchParams): UsageReportFilter {
  for (const name of params.keys()) {
    if (!KNOWN_PARAMETERS.has(name)) throw new BadUserInputError(`unknown parameter "${name}"; expected one of ${[...KNOWN_PARAMETERS].join(', ')}`, name);
  }
  const single = (name: string): string => {
    const values = params.getAll(name);
    if (values.length !== 1 || values[0] === '') throw new BadUserInputError(`${name} is required once, as a month YYYY-MM`, name);
    return values[0];
  };
  const list = (name: (typeof LIST_PARAMETERS)[number]): string[] | null => {
    if (!params.has(name)) return null;
    const values = params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) throw new BadUserInputError(`${name} is empty; leave it out to select everything`, name);
    return values;
  };
  const oneOf = <T extends string>(name: (typeof LIST_PARAMETERS)[number], allowed: readonly T[]): T[] | null => {
    const values = list(name);
    values?.forEach((v, i) => {
      if (!allowed.includes(v as T)) throw new BadUserInputError(`${name}[${i}] must be one of ${allowed.join(', ')}, received "${v}"`, name);
    });
    return values as T[] | null;
  };
  return {
    from: single('from'),
    to: single('to'),
    vendors: oneOf('vendors', VENDORS),
    connectionIds: list('connectionIds'),
    organisationIds: list('organisationIds'),
    accountIds: list('accountIds'),
    botIds: list('botIds'),
    channels: list('channels'),
    types: oneOf('types', USAGE_TYPES),
    units: oneOf('units', USAGE_UNITS),
  };
}

/** A CSV record: Tags as its JSON text, nulls as empty cells. */
function csvRecord(row: FocusRow): Record<string, string | null> {
  return { ...row, Tags: row.Tags === null ? null : JSON.stringify(row.Tags) };
}

function* jsonLines(rows: readonly FocusRow[]): Generator<string> {
  for (const row of rows) yield `${JSON.stringify(row)}\n`;
}

/** `cognigy-demo CONVERSATIONS 210424 (24 records)`, one entry per connection and unit. */
function unpricedHeader(unpriced: readonly UnpricedUsage[]): string {
  return unpriced.map((u) => `${headerText(u.connection)} ${u.unit} ${u.quantity} (${u.records} records)`).join(', ');
}

/** Connection names are configuration text; a header carries only visible ASCII, so anything else is percent-encoded. */
function headerText(value: string): string {
  return /^[\x21-\x7e]+$/.test(value) && !value.includes(',') && !value.includes('%') ? value : encodeURIComponent(value);
}
