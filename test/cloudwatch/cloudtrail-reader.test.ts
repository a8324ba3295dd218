import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CloudTrailInputError,
  compactJson,
  readRecordTexts,
  RecordScanner,
  recordsFromStream,
} from '../../src/cloudwatch/index.js';

function scan(chunks: string[]): string[] {
  const out: string[] = [];
  const scanner = new RecordScanner((t) => out.push(t));
  for (const c of chunks) scanner.push(c);
  scanner.end();
  return out;
}

/** Splits `text` into chunks of `size` characters. */
function chunked(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const r1 = {
  eventTime: '2026-11-02T03:00:00Z',
  eventName: 'A',
  requestParameters: { s: 'x}]"{[', path: 'C:\\dir\\', q: '\\"' },
};
const r2 = { eventTime: '2026-11-02T03:01:00Z', eventName: 'B', nested: [{ Records: [1] }] };

async function collect(source: AsyncIterable<{ text: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of source) out.push(r.text);
  return out;
}

describe('RecordScanner', () => {
  const wrapped = JSON.stringify({ Records: [r1, r2] });

  it.each([1, 2, 7, 1000])('splits {"Records":[…]} into records, in chunks of %i characters', (size) => {
    expect(scan(chunked(wrapped, size)).map((t) => JSON.parse(t) as unknown)).toEqual([r1, r2]);
  });

  it('finds Records after other keys, with escaped quotes and brackets inside strings', () => {
    const text = `{"note":"a \\"Records\\": [x]","Records" : [ ${JSON.stringify(r1)} , ${JSON.stringify(r2)} ],"x":{}}`;
    expect(scan(chunked(text, 3)).map((t) => JSON.parse(t) as unknown)).toEqual([r1, r2]);
  });

  it('JSON Lines, a pretty-printed single record, a top-level array', () => {
    expect(scan([`${JSON.stringify(r1)}\n${JSON.stringify(r2)}\n`]).length).toBe(2);
    expect(scan([JSON.stringify(r1, null, 2)]).map((t) => JSON.parse(t) as unknown)).toEqual([r1]);
    expect(scan([JSON.stringify([r1, r2])]).map((t) => JSON.parse(t) as unknown)).toEqual([r1, r2]);
  });

  it('rejects text that is not JSON, and an unfinished value', () => {
    expect(() => scan(['{"a":1}\nnot json'])).toThrow(/not JSON at character 9/);
    expect(() => scan(['{"Records":[{"a":1}'])).toThrow(/unexpected end/);
  });
});

describe('readRecordTexts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudtrail-'));
  const day = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'ap-northeast-2', '2026', '11', '02');
  mkdirSync(day, { recursive: true });
  writeFileSync(join(day, 'b_CloudTrail.json.gz'), gzipSync(JSON.stringify({ Records: [r2] })));
  writeFileSync(join(day, 'a_CloudTrail.json.gz'), gzipSync(JSON.stringify({ Records: [r1] })));
  writeFileSync(join(day, 'notes.txt'), 'not a log file');
  writeFileSync(join(dir, 'lines.jsonl'), `${JSON.stringify(r2)}\n`);
  // A gzip file without the .gz name is recognised by its magic bytes.
  writeFileSync(join(dir, 'plain-name.json'), gzipSync(JSON.stringify(r1)));

  it('walks folders in path order, reads gzip and plain files, ignores other files', async () => {
    const texts = await collect(readRecordTexts([dir]));
    expect(texts.map((t) => (JSON.parse(t) as { eventName: string }).eventName)).toEqual([
      'A',
      'B',
      'B',
      'A',
    ]);
  });

  it('names the file that is missing or not JSON', async () => {
    await expect(collect(readRecordTexts([join(dir, 'missing')]))).rejects.toThrow(CloudTrailInputError);
    writeFileSync(join(dir, 'bad.json'), 'oops');
    await expect(collect(readRecordTexts([join(dir, 'bad.json')]))).rejects.toThrow(/bad\.json: not JSON/);
  });

  it('reads a stream (stdin) in small chunks', async () => {
    const text = JSON.stringify({ Records: [r1, r2] });
    const texts = await collect(recordsFromStream(Readable.from(chunked(text, 5)), 'stdin'));
    expect(texts).toHaveLength(2);
  });
});

describe('compactJson', () => {
  it('drops whitespace outside strings, keeps strings and number texts', () => {
    expect(compactJson('{\n  "a b": "c  d",\n  "n": 12.0,\n  "e": "\\" x"\n}')).toBe(
      '{"a b":"c  d","n":12.0,"e":"\\" x"}',
    );
  });
});
