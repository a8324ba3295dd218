import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'test-pattern-'));
const logs = join(dir, 'events.log');
writeFileSync(
  logs,
  [
    '[ERROR] 400 BAD REQUEST',
    '[INFO] 200 OK',
    '',
    '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /favicon.ico HTTP/1.1" 404 308',
  ].join('\n') + '\n',
);

describe('secu-alert test-pattern', () => {
  it('prints a table of events, matches and extracted values (blank lines are not events)', async () => {
    const r = await cli('test-pattern', '[ip, id, user, timestamp, request, status_code = 4*, size]', logs);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'EVENT  MATCH  EXTRACTED VALUES',
      '1      no',
      '2      no',
      '3      yes    $ip=127.0.0.1 $id=- $user=- $timestamp="24/Sep/2013:11:50:51 -0700" ' +
        '$request="GET /favicon.ico HTTP/1.1" $status_code=404 $size=308',
      '1 of 3 events matched.',
      '',
    ]);
  });

  it('--output json prints the TestMetricFilter response; 0 matches still exits 0', async () => {
    const r = await cli('test-pattern', 'ERROR', logs, logs, '--output', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      matches: [
        { eventNumber: 1, eventMessage: '[ERROR] 400 BAD REQUEST', extractedValues: {} },
        { eventNumber: 4, eventMessage: '[ERROR] 400 BAD REQUEST', extractedValues: {} },
      ],
    });
    const none = await cli('test-pattern', 'FATAL', logs, '--output', 'json');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toEqual({ matches: [] });
  });

  it('an invalid pattern exits 2 with the message and a caret under the column', async () => {
    const r = await cli('test-pattern', '{ $.a = }', logs);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      "secu-alert: invalid filter pattern: Expected a value after '=', found '}' (column 9)\n" +
        '  { $.a = }\n' +
        '          ^\n',
    );
  });

  it('an unreadable file exits 1; a bad --output is a usage error', async () => {
    const missing = await cli('test-pattern', 'ERROR', join(dir, 'missing.log'));
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(/cannot read .*missing\.log/);
    expect((await cli('test-pattern', 'ERROR', logs, '--output', 'xml')).code).toBe(2);
  });

  it('reads stdin when no file is given', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'test-pattern', '?WARN ?ERROR'],
      {
        input: 'INFO a\nWARN b\n',
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2      yes');
    expect(r.stdout).toContain('1 of 2 events matched.');
  });
});
