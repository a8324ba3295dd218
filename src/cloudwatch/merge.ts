/**
 * Merges CloudTrail records from many inputs by eventTime, as CloudWatch Logs receives them: a trail's
 * log files for several Regions and accounts (an S3 `AWSLogs/` tree) cover the same hours, and read in path
 * order the us-east-1 files (global events such as console sign-ins) would come hours after the others.
 *
 * Each file is assumed to be roughly in time order inside (CloudTrail writes a file every ~5 minutes; what is
 * out of order inside one is put in order by the simulation's reorder window). Files are opened in the order
 * of their first record and only while they overlap the merge position, so the memory held is one record per
 * file being read, not the input.
 */
import { expandPaths, readRecordTexts, type RecordText } from './cloudtrail-reader.js';

/** One record and, when it has one, its eventTime (ms since the epoch) and parsed value. */
export interface TimedRecord {
  text: string;
  source: string;
  /** The parsed record (`JSON.parse`), or undefined when the text is not JSON. */
  record: unknown;
  /** eventTime in ms; `'not-record'` for JSON that is not a record, `'no-time'` for a missing or bad eventTime. */
  time: number | 'not-record' | 'no-time';
}

/** Parses one record text once: its value and eventTime (see {@link TimedRecord}). */
export function timedRecord({ text, source }: RecordText): TimedRecord {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return { text, source, record: undefined, time: 'not-record' };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { text, source, record, time: 'not-record' };
  }
  if (!('eventTime' in record) && !('eventVersion' in record))
    return { text, source, record, time: 'not-record' };
  const eventTime = (record as { eventTime?: unknown }).eventTime;
  const time = typeof eventTime === 'string' ? Date.parse(eventTime) : Number.NaN;
  return { text, source, record, time: Number.isNaN(time) ? 'no-time' : time };
}

/** A source of records: a local file (re-opened after its first record was peeked), or any other stream. */
export type RecordSource =
  { kind: 'file'; path: string } | { kind: 'stream'; open: () => AsyncIterable<RecordText> };

interface Cursor {
  iterator: AsyncIterator<RecordText>;
  head: TimedRecord;
  /** Sort key of the head: its time, or the last time of this cursor for records without one. */
  key: number;
  order: number;
}

async function firstOf(iterator: AsyncIterator<RecordText>): Promise<RecordText | undefined> {
  const next = await iterator.next();
  return next.done === true ? undefined : next.value;
}

/**
 * The local files of `paths` (folders expanded, see expandPaths) and the other inputs, each as a
 * {@link RecordSource}; `s3://` and `-` are given to `openOther`.
 */
export async function recordSources(
  paths: readonly string[],
  openOther: (path: string) => AsyncIterable<RecordText>,
): Promise<RecordSource[]> {
  const sources: RecordSource[] = [];
  for (const path of paths) {
    if (path === '-' || path.startsWith('s3://'))
      sources.push({ kind: 'stream', open: () => openOther(path) });
    else for await (const file of expandPaths([path])) sources.push({ kind: 'file', path: file });
  }
  return sources;
}

/**
 * Yields the records of every source merged by eventTime (ties: source order). Records without a time come
 * out with the record before them in their source. Local files are peeked for their first record, then
 * opened again when the merge reaches that time.
 * @throws CloudTrailInputError for a file that cannot be read or is not JSON.
 */
export async function* mergeByEventTime(sources: readonly RecordSource[]): AsyncGenerator<TimedRecord> {
  // Start key of each source: the time of its first timed record (files: peeked and closed again).
  const pending: { source: RecordSource; start: number; order: number; open?: AsyncIterator<RecordText> }[] =
    [];
  for (const [order, source] of sources.entries()) {
    if (source.kind === 'file') {
      let start = -Infinity;
      for await (const text of readRecordTexts([source.path])) {
        const t = timedRecord(text).time;
        if (typeof t === 'number') {
          start = t;
          break;
        }
      }
      pending.push({ source, start, order });
    } else {
      pending.push({ source, start: -Infinity, order, open: source.open()[Symbol.asyncIterator]() });
    }
  }
  pending.sort((a, b) => a.start - b.start || a.order - b.order);

  const active: Cursor[] = [];
  const advance = async (cursor: Cursor): Promise<boolean> => {
    const next = await firstOf(cursor.iterator);
    if (next === undefined) return false;
    cursor.head = timedRecord(next);
    if (typeof cursor.head.time === 'number') cursor.key = Math.max(cursor.key, cursor.head.time);
    return true;
  };
  let p = 0;
  for (;;) {
    // Open every source whose first record is not after the merge position (any, when none is open).
    for (let item = pending[p]; item !== undefined; item = pending[p]) {
      const low = active.reduce((m, c) => Math.min(m, c.key), Infinity);
      if (item.start > low) break;
      p++;
      const iterator =
        item.open ?? readRecordTexts([(item.source as { path: string }).path])[Symbol.asyncIterator]();
      const cursor = { iterator, key: item.start, order: item.order } as Cursor;
      if (await advance(cursor)) active.push(cursor);
    }
    if (active.length === 0) return;
    let best = 0;
    for (let i = 1; i < active.length; i++) {
      const a = active[i] as Cursor;
      const b = active[best] as Cursor;
      if (a.key < b.key || (a.key === b.key && a.order < b.order)) best = i;
    }
    const cursor = active[best] as Cursor;
    yield cursor.head;
    if (!(await advance(cursor))) active.splice(best, 1);
  }
}
