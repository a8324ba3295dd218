/**
 * Streams CloudTrail records out of log files as CloudTrail writes them to S3 (`{"Records":[…]}`, gzip or not,
 * in `AWSLogs/…` trees), JSON Lines, single records, or JSON arrays of records, without holding a whole file in
 * memory: one record at a time (source: CloudTrail User Guide, "CloudTrail log file examples",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Thrown when an input cannot be read or is not JSON; `source` names the file. */
export class CloudTrailInputError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(message);
    this.name = 'CloudTrailInputError';
  }
}

const STRING_STOP = /["\\]/g;

/**
 * Splits a stream of JSON text into the values that may be CloudTrail records: each top-level object, except
 * that the elements of a top-level object's `Records` array, and of a top-level array, come out one by one
 * (and the wrapper does not). Feed text with {@link push}; values come out of the `emit` callback as text.
 */
export class RecordScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private topKind: '{' | '[' | null = null;
  /** Depth of the array whose object elements are emitted (0: none). */
  private elementsDepth = 0;
  private keyTracking = false;
  private keyBuffer = '';
  private lastString = '';
  private pendingKey: string | null = null;
  private captureDepth = -1;
  private captureParts: string[] = [];
  private offset = 0;

  constructor(private readonly emit: (text: string) => void) {}

  /** Scans one chunk of text. @throws SyntaxError at a character that cannot start a JSON value. */
  push(chunk: string): void {
    let from = this.captureDepth >= 0 ? 0 : -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
          continue;
        }
        // Jump to the next quote or backslash.
        STRING_STOP.lastIndex = i;
        const m = STRING_STOP.exec(chunk);
        const stop = m === null ? n : m.index;
        if (this.keyTracking && this.keyBuffer.length < 16)
          this.keyBuffer += chunk.slice(i, Math.min(stop, i + 16));
        i = stop;
        if (m === null) break;
        if (m[0] === '\\') this.escape = true;
        else {
          this.inString = false;
          if (this.keyTracking) this.lastString = this.keyBuffer;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      switch (c) {
        case 0x22: // "
          if (this.depth === 0) this.notJson(chunk, i);
          this.inString = true;
          this.keyTracking = this.depth === 1 && this.topKind === '{' && this.elementsDepth === 0;
          this.keyBuffer = '';
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (this.depth === 0) {
            this.topKind = c === 0x7b ? '{' : '[';
            if (c === 0x7b) {
              this.captureDepth = 0;
              from = i;
            } else {
              this.elementsDepth = 1;
            }
          } else if (this.depth === this.elementsDepth && c === 0x7b && this.captureDepth < 0) {
            this.captureDepth = this.depth;
            from = i;
          } else if (
            this.depth === 1 &&
            this.topKind === '{' &&
            c === 0x5b &&
            this.pendingKey === 'Records'
          ) {
            this.elementsDepth = 2;
            this.captureDepth = -1;
            this.captureParts = [];
            from = -1;
          }
          this.depth++;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          if (this.depth === 0) this.notJson(chunk, i);
          this.depth--;
          if (this.captureDepth === this.depth) {
            this.captureParts.push(chunk.slice(from, i + 1));
            this.emit(this.captureParts.join(''));
            this.captureParts = [];
            this.captureDepth = -1;
            from = -1;
          }
          if (this.depth < this.elementsDepth) this.elementsDepth = 0;
          if (this.depth === 0) {
            this.topKind = null;
            this.pendingKey = null;
          }
          break;
        case 0x3a: // :
          if (this.depth === 1) this.pendingKey = this.lastString;
          break;
        case 0x2c: // ,
          if (this.depth === 1) this.pendingKey = null;
          break;
        case 0x20:
        case 0x0a:
        case 0x0d:
        case 0x09:
        case 0xfeff: // byte-order mark
          break;
        default:
          if (this.depth === 0) this.notJson(chunk, i);
      }
    }
    if (this.captureDepth >= 0 && from >= 0) this.captureParts.push(chunk.slice(from));
    this.offset += chunk.length;
  }

  /** Ends the input. @throws SyntaxError when a value is still open. */
  end(): void {
    if (this.depth !== 0 || this.inString) throw new SyntaxError('unexpected end of JSON input');
  }

  private notJson(chunk: string, i: number): never {
    throw new SyntaxError(`not JSON at character ${this.offset + i + 1} ('${chunk[i] ?? ''}')`);
  }
}

/** One candidate record: its JSON text and the file it came from. */
export interface RecordText {
  text: string;
  source: string;
}

/** Names of log files: `.json`, `.jsonl`, `.ndjson`, each optionally gzip-compressed (`.gz`). */
export const LOG_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

/**
 * The files of `paths`, in order: a file as given; a folder's log files (`.json`, `.jsonl`, `.ndjson`, each
 * optionally `.gz`) found recursively, sorted by path (CloudTrail's key layout sorts by date within a region).
 * @throws CloudTrailInputError for a path that does not exist.
 */
export async function* expandPaths(paths: readonly string[]): AsyncGenerator<string> {
  for (const path of paths) {
    if (path === '-') {
      yield path;
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new CloudTrailInputError(`cannot read ${path}: ${(error as Error).message}`, path);
    }
    if (!info.isDirectory()) {
      yield path;
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) yield* expandPaths([child]);
      else if (entry.isFile() && LOG_FILE.test(entry.name)) yield child;
    }
  }
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Streams candidate records from `stream` (gzip is detected by its magic bytes when `gzip` is undefined).
 * @throws CloudTrailInputError naming `source` when the content is not JSON or cannot be read.
 */
export async function* recordsFromStream(
  stream: Readable,
  source: string,
  gzip = false,
): AsyncGenerator<RecordText> {
  const queue: string[] = [];
  const scanner = new RecordScanner((text) => queue.push(text));
  const input = gzip ? stream.pipe(createGunzip()) : stream;
  if (gzip) stream.once('error', (error) => input.destroy(error));
  input.setEncoding('utf8');
  try {
    for await (const chunk of input) {
      scanner.push(chunk as string);
      while (queue.length > 0) yield { text: queue.shift() as string, source };
    }
    scanner.end();
  } catch (error) {
    throw new CloudTrailInputError(`${source}: ${(error as Error).message}`, source);
  }
}

/**
 * Streams candidate records from files and folders (see {@link expandPaths}); `-` reads stdin.
 * @throws CloudTrailInputError for a missing path, an unreadable file or content that is not JSON.
 */
export async function* readRecordTexts(paths: readonly string[]): AsyncGenerator<RecordText> {
  for await (const path of expandPaths(paths)) {
    if (path === '-') {
      yield* recordsFromStream(process.stdin, 'stdin');
      continue;
    }
    let gzip: boolean;
    try {
      gzip = await isGzip(path);
    } catch (error) {
      throw new CloudTrailInputError(`cannot read ${path}: ${(error as Error).message}`, path);
    }
    yield* recordsFromStream(createReadStream(path), path, gzip);
  }
}

/** Removes insignificant whitespace from JSON text (strings and number texts are kept as they are). */
export function compactJson(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (m) => (m.startsWith('"') ? m : ''));
}

/**
 * The eventTime of a CloudTrail record's JSON text, in ms since the epoch; `'not-record'` for JSON that is not
 * a record object (no eventTime and no eventVersion, e.g. a digest file), `'no-time'` for a record whose
 * eventTime is missing or not a date (redacted records have `"redacted"`).
 */
export function recordEventTime(text: string): number | 'not-record' | 'no-time' {
  let record: unknown;
  try {
    // The native parser is faster here than a selective parse that keeps number texts.
    record = JSON.parse(text);
  } catch {
    return 'not-record';
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not-record';
  if (!('eventTime' in record) && !('eventVersion' in record)) return 'not-record';
  const eventTime = (record as { eventTime?: unknown }).eventTime;
  const time = typeof eventTime === 'string' ? Date.parse(eventTime) : Number.NaN;
  return Number.isNaN(time) ? 'no-time' : time;
}
