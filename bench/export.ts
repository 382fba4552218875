import 'reflect-metadata';
import { join } from 'node:path';
import { request } from 'undici';
import { configSchema, type KoreAiConnectionConfig } from '../src/config/schema';
import { encodeId } from '../src/ids';
import { silentLogger } from '../src/logger';
import { startServer } from '../src/server';
import { ChildProcessClient } from './ipc';
import { BULK_BOT, type BulkCommand } from './kore-bulk-vendor';

/**
 * npm run bench:export: a bot's 1,000,000 billing sessions exported as CSV
 * through /export/sessions.csv, streamed from a Kore.ai vendor in another
 * process. Prints rows, rows per second and the server process's RSS growth
 * (peak during the export over the settled baseline); the target is < 50 MB.
 */
const SESSIONS = Number(process.env.SESSIONS ?? 1_000_000);
const DAYS = 365;
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const vendor = new ChildProcessClient<BulkCommand>(join(__dirname, 'kore-bulk-vendor.js'), 'kore-bulk', []);
  const connection = await vendor.send<KoreAiConnectionConfig>({ cmd: 'start', sessions: SESSIONS, days: DAYS });
  const config = configSchema.parse({ server: { port: 0 }, connections: [connection] });
  const server = await startServer(config, silentLogger);
  const bot = encodeId({ kind: 'Bot', connection: 'kore-bulk', externalId: BULK_BOT });
  const url = `${server.url}/export/sessions.csv?bot=${bot}&from=2025-01-01&to=2026-01-01`;
  try {
    // Warm up (code paths, pools), then settle the heap for the baseline.
    await consume(`${server.url}/export/sessions.csv?bot=${bot}&from=2025-01-01&to=2025-01-03`);
    global.gc?.();
    await new Promise((r) => setTimeout(r, 500));
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = process.hrtime.bigint();
    const { rows, bytes } = await consume(url);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growth = (peak - baseline) / MB;
    console.log(`sessions.csv export of ${rows.toLocaleString('en')} rows (${(bytes / MB).toFixed(1)} MB of CSV) in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds).toLocaleString('en')} rows/s`);
    console.log(`server process RSS: baseline ${(baseline / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, growth ${growth.toFixed(1)} MB (target < 50 MB): ${growth < 50 ? 'met' : 'MISSED'}`);
    if (rows !== SESSIONS) throw new Error(`expected ${SESSIONS} rows, received ${rows}`);
  } finally {
    await server.close();
    await vendor.close();
  }
}

/** Reads the CSV as it arrives, counting lines (the header excluded) and bytes, keeping nothing. */
async function consume(url: string): Promise<{ rows: number; bytes: number }> {
  const res = await request(url);
  if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}: ${await res.body.text()}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) lines++;
  }
  return { rows: lines - 1, bytes };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
