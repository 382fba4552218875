import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { ConfigError } from '../errors';
import type { Logger } from '../logger';

/**
 * The trusted-document manifest (`persisted-documents.json`, written by
 * `npm run codegen` from operations/): sha256 of each document -> its text.
 * Loaded at start (a bad file then is a start-up error), and again whenever
 * the file changes on disk, so partners' new operations go live without a
 * restart; a bad new file keeps the previous manifest and the log says why.
 */
export interface TrustedDocuments {
  /** The document with this sha256 (hex, optionally written `sha256:<hex>`), or undefined. */
  get(hash: string): string | undefined;
  readonly size: number;
  close(): void;
}

/** How often the file's modification time is looked at; polling also sees editors that replace the file. */
const POLL_MS = 500;

export function loadTrustedDocuments(path: string, logger: Logger): TrustedDocuments {
  let documents: ReadonlyMap<string, string>;
  try {
    documents = readManifest(path);
  } catch (err) {
    throw new ConfigError(`persistedQueries.manifest: ${(err as Error).message}`);
  }
  logger.info('trusted documents loaded', { manifest: path, documents: documents.size });
  const reload = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
    try {
      documents = readManifest(path);
      logger.info('trusted documents reloaded', { manifest: path, documents: documents.size });
    } catch (err) {
      logger.error('trusted documents: the changed manifest is not usable, keeping the previous one', { manifest: path, reason: (err as Error).message });
    }
  };
  watchFile(path, { interval: POLL_MS, persistent: false }, reload);
  return {
    get: (hash) => documents.get(hash.startsWith('sha256:') ? hash.slice('sha256:'.length) : hash),
    get size() {
      return documents.size;
    },
    close: () => unwatchFile(path, reload),
  };
}

/** Reads and checks the manifest: a JSON object of lower-case sha256 hex -> the document whose hash it is. */
export function readManifest(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path} must be a JSON object of sha256 -> document`);
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`${path}: key "${hash.slice(0, 80)}" is not a sha256 in lower-case hex`);
    if (typeof document !== 'string' || document.length === 0) throw new Error(`${path}: the document of ${hash} is not a non-empty string`);
    if (createHash('sha256').update(document).digest('hex') !== hash) throw new Error(`${path}: the document under ${hash} has another sha256; regenerate the file with npm run codegen`);
    documents.set(hash, document);
  }
  return documents;
}
