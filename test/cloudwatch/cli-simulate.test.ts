import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startReceiver } from '../../src/dooray/receiver.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cloudtrail', import.meta.url));

describe('secu-alert simulate', () => {
  it('replays the fixture AWSLogs tree with the guide defaults: one ALARM delivered through the handler', async () => {
    const r = await cli('simulate', FIXTURES);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '2026-11-02T03:08:00Z  OK → ALARM: Threshold Crossed: 1 datapoint [1.0 (02/11/26 03:03:00)] was greater than or equal to the threshold (1.0).\n',
    );
    expect(r.out).toContain('│ root 계정 경보 발생하였습니다');
    expect(r.out).toContain(
      'SNS arn:aws:sns:ap-northeast-2:111122223333:root-alert → handler: delivered (HTTP 200)',
    );
    const summary = r.out.slice(r.out.indexOf('Summary'));
    expect(summary.split('\n')).toEqual([
      'Summary',
      '  records read         18 (2026-11-02T03:00:05Z … 2026-11-02T03:52:31Z); skipped 1 JSON object(s) that are not CloudTrail records',
      '  matched the pattern  2',
      '  metric datapoints    2 value(s) published in 2 minute(s)',
      '  alarm state changes  3:',
      '    2026-11-02T03:00:00Z  INSUFFICIENT_DATA → OK',
      '    2026-11-02T03:08:00Z  OK → ALARM',
      '    2026-11-02T03:24:00Z  ALARM → OK',
      '  final alarm state    OK',
      '  notifications        1 published; 1 delivered, 0 skipped by the handler, 0 failed',
      '  held for reordering  at most 11 record(s) at a time (window 15 min)',
      '  late records         1 (0 matched): more than the window behind newer ones; not applied',
      '',
    ]);
  });

  it('flags override the alarm: 1-minute periods with missing data end in INSUFFICIENT_DATA', async () => {
    const r = await cli('simulate', FIXTURES, '--period', '60', '--treat-missing-data', 'missing', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('┌─');
    expect(r.out).toContain('  final alarm state    INSUFFICIENT_DATA');
    expect(r.out).toContain('2026-11-02T03:08:00Z  INSUFFICIENT_DATA → ALARM');
  });

  it('--hook-url sends to that webhook, marked [테스트], instead of the embedded receiver (here a loopback one)', async () => {
    const room = await startReceiver();
    try {
      const r = await cli('simulate', FIXTURES, '--hook-url', room.url, '--region', 'us-east-1');
      expect(r.code).toBe(0);
      expect(r.out).toContain('a REAL Dooray room');
      expect(room.messages).toHaveLength(1);
      // A simulated alarm in a real room is marked as a test.
      expect(room.messages[0]?.message?.text).toBe('[테스트] root 계정 경보 발생하였습니다');
    } finally {
      await room.close();
    }
  });

  it('usage errors exit 2: invalid pattern (with caret), invalid period, unknown region', async () => {
    const bad = await cli('simulate', FIXTURES, '--pattern', '{ $.a = }');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('          ^');
    expect((await cli('simulate', FIXTURES, '--period', '90')).err).toMatch(
      /period must be a multiple of 60/,
    );
    expect((await cli('simulate', FIXTURES, '--period', 'ten')).code).toBe(2);
    expect((await cli('simulate', FIXTURES, '--region', 'xx-nowhere-1')).code).toBe(2);
    const topic = await cli('simulate', FIXTURES, '--topic-arn', 'root-alert');
    expect(topic.code).toBe(2);
    expect(topic.err).toMatch(/--topic-arn must be an SNS topic ARN/);
  });

  it('a missing input exits 1 with the path', async () => {
    const r = await cli('simulate', `${FIXTURES}/nope`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read .*nope/);
  });
});
