/** The query the README, the demo log and GraphiQL open with: a monthly cross-vendor report. */
export function exampleReportQuery(from: string, to: string): string {
  return `{
  usage(filter: { from: "${from}", to: "${to}" }, groupBy: [MONTH, VENDOR, UNIT, CURRENCY]) {
    rows { month vendor unit quantity currency amount }
    totals { unit quantity currency amount }
    incomplete
    sources { connection { name } state code }
  }
}`;
}
