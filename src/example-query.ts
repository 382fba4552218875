/**
 * The query the demo log and GraphiQL open with: a monthly cross-vendor report,
 * laid out narrow enough to fit GraphiQL's editor on a laptop screen.
 */
export function exampleReportQuery(from: string, to: string): string {
  return `# Usage and cost per month and vendor
{
  usage(
    filter: { from: "${from}", to: "${to}" }
    groupBy: [MONTH, VENDOR, UNIT, CURRENCY]
  ) {
    rows {
      month vendor unit
      quantity currency amount
    }
    totals { unit quantity currency amount }
    incomplete
    sources { connection { name } state code }
  }
}`;
}
