import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Decimal from 'decimal.js';
import { USAGE_DIMENSIONS, type ReportRow, type UsageDimension } from '../usage/report';
import { amountText } from '../usage/money';
import { usageReport, type UsageReportFilter } from '../usage/usage-report';
import { USAGE_TYPES, USAGE_UNITS, VENDORS } from '../vendors/types';
import { csvStream } from './csv';
import { assertKnownParams, csvHeaders, enumListParam, failExport, listParam, requiredParam, type ExportRequest } from './route';

const FILTER_LISTS = ['connectionIds', 'organisationIds', 'accountIds', 'botIds', 'channels'] as const;
const PARAMS = ['from', 'to', 'groupBy', 'vendors', 'types', 'units', 'timeZone', ...FILTER_LISTS];
const DEFAULT_GROUP_BY: UsageDimension[] = ['MONTH', 'VENDOR', 'UNIT'];

/** The CSV column of each grouped dimension (ids are the vendors' own, which is what a spreadsheet joins on). */
const COLUMN: Record<UsageDimension, { name: string; value: (row: ReportRow) => string | null }> = {
  MONTH: { name: 'month', value: (r) => r.month },
  VENDOR: { name: 'vendor', value: (r) => r.vendor },
  CONNECTION: { name: 'connection', value: (r) => r.connection },
  ORGANISATION: { name: 'organisation_id', value: (r) => r.organisationExternalId },
  ACCOUNT: { name: 'account_id', value: (r) => r.accountExternalId },
  BOT: { name: 'bot_id', value: (r) => r.botExternalId },
  CHANNEL: { name: 'channel', value: (r) => r.channel },
  TYPE: { name: 'type', value: (r) => r.type },
  UNIT: { name: 'unit', value: (r) => r.unit },
  PRODUCT: { name: 'product_id', value: (r) => r.productId },
  DIRECTION: { name: 'direction', value: (r) => r.direction },
  CURRENCY: { name: 'currency', value: (r) => r.currency },
};

/**
 * GET /export/usage.csv: the usage report (the same use case GraphQL's `usage`
 * answers from) as a spreadsheet. It is computed whole before the first byte, so
 * a failed or stale vendor source is named in `X-Usagegraph-Incomplete` rather
 * than silently missing. Columns: the grouped dimensions (unit and currency always,
 * as they always split rows), then quantity and amount (plain decimals, the
 * currency's minor units; empty when no money is known), then the month-end
 * projection of a row that includes the month in progress (empty otherwise).
 */
export async function usageCsv({ ctx, params, res }: ExportRequest): Promise<void> {
  try {
    assertKnownParams(params, PARAMS);
    const groupBy = enumListParam(params, 'groupBy', USAGE_DIMENSIONS) ?? DEFAULT_GROUP_BY;
    const filter: UsageReportFilter = {
      from: requiredParam(params, 'from'),
      to: requiredParam(params, 'to'),
      vendors: enumListParam(params, 'vendors', VENDORS),
      types: enumListParam(params, 'types', USAGE_TYPES),
      units: enumListParam(params, 'units', USAGE_UNITS),
      timeZone: params.get('timeZone'),
      ...Object.fromEntries(FILTER_LISTS.map((name) => [name, listParam(params, name)])),
    };
    const report = await usageReport(ctx, filter, groupBy, '');
    const dimensions = USAGE_DIMENSIONS.filter((d) => groupBy.includes(d) || d === 'UNIT' || d === 'CURRENCY');
    const incomplete = report.sources.filter((s) => s.state !== 'OK').map((s) => s.connection);
    res.writeHead(200, {
      ...csvHeaders(`usage-${filter.from}-to-${filter.to}.csv`),
      ...(incomplete.length ? { 'x-usagegraph-incomplete': incomplete.join(',') } : {}),
    });
    const columns = [...dimensions.map((d) => COLUMN[d].name), 'quantity', 'amount', 'projected_quantity', 'projected_amount'];
    const money = (amount: string | null | undefined, currency: string | null) => (amount === null || amount === undefined ? '' : amountText(amount, currency));
    const rows = report.rows.map((row, i) => {
      const projection = report.projections.rows[i];
      return [
        ...dimensions.map((d) => COLUMN[d].value(row) ?? ''),
        row.quantity,
        money(row.amount, row.currency),
        projection ? new Decimal(projection.quantity).toDecimalPlaces(2).toString() : '',
        money(projection?.amount, row.currency),
      ];
    });
    await pipeline(Readable.from(rows), csvStream(columns), res);
  } catch (err) {
    failExport(res, ctx, err);
  }
}
