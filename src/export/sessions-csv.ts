import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { BadUserInputError } from '../errors';
import { decodeId } from '../ids';
import type { BillingSessionRecord } from '../vendors/types';
import { csvStream } from './csv';
import { assertKnownParams, csvHeaders, failExport, requiredParam, type ExportRequest } from './route';

const COLUMNS = [
  'billing_session_id', 'bot_id', 'type', 'channel', 'start', 'end', 'duration_seconds',
  'conversation_id', 'conversation_start', 'conversation_end', 'user_id', 'channel_user_id',
];

const row = (s: BillingSessionRecord): string[] => [
  s.externalId, s.botExternalId, s.type, s.channel, s.start.toISOString(), s.end.toISOString(),
  String(Math.round((s.end.getTime() - s.start.getTime()) / 1000)),
  s.conversationId ?? '', s.conversationStart?.toISOString() ?? '', s.conversationEnd?.toISOString() ?? '', s.userId ?? '', s.channelUserId ?? '',
];

/**
 * GET /export/sessions.csv?bot=<Bot id>&from=&to=: a bot's billing sessions that
 * started in [from, to), streamed page by page as Kore.ai serves them (at most two
 * pages in memory, writes wait for the client). The first page is fetched before
 * any byte is sent, so a vendor that fails at once is a proper error status; a
 * failure after that aborts the response, which a client sees as a broken
 * download, never as a complete file.
 */
export async function sessionsCsv({ ctx, params, res, connectors }: ExportRequest): Promise<void> {
  try {
    assertKnownParams(params, ['bot', 'from', 'to']);
    const botParam = requiredParam(params, 'bot');
    const bot = decodeId(botParam);
    if (bot?.kind !== 'Bot') throw new BadUserInputError(`bot must be a Bot id (Bot.id in GraphQL), received "${botParam}"`, 'bot');
    const from = instantParam(params, 'from');
    const to = instantParam(params, 'to');
    if (to <= from) throw new BadUserInputError(`to (${to.toISOString()}) must be after from (${from.toISOString()})`, 'to');
    const connector = ctx.connections.some((c) => c.name === bot.connection) ? connectors.get(bot.connection) : undefined;
    if (!connector) throw new BadUserInputError(`bot names no connection you can see`, 'bot');
    if (!connector.billingSessionPages) throw new BadUserInputError(`bot must be a Kore.ai bot: only Kore.ai reports billing sessions`, 'bot');

    const pages = connector.billingSessionPages({ botIds: [bot.externalId], from, to })[Symbol.asyncIterator]();
    const first = await pages.next();
    res.writeHead(200, csvHeaders(`sessions-${bot.externalId}-${params.get('from')}-to-${params.get('to')}.csv`));
    async function* rows() {
      if (first.done) return;
      for (const s of first.value) yield row(s);
      for (let page = await pages.next(); !page.done; page = await pages.next()) for (const s of page.value) yield row(s);
    }
    await pipeline(Readable.from(rows()), csvStream(COLUMNS), res);
  } catch (err) {
    failExport(res, ctx, err);
  }
}

/** An ISO 8601 date (midnight UTC) or instant; anything else is a 400 naming the parameter. */
function instantParam(params: URLSearchParams, name: string): Date {
  const text = requiredParam(params, name);
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text);
  const at = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (!iso || Number.isNaN(at.getTime())) throw new BadUserInputError(`${name} must be an ISO 8601 date or instant such as 2025-01-01 or 2025-01-01T00:00:00Z, received "${text}"`, name);
  return at;
}
