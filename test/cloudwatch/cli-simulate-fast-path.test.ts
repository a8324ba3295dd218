import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/simulate/fast-path-model.js';
import { cli } from '../helpers/cli.js';
import { SAMPLES_DIR, describeWithSamples } from '../helpers/samples.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cloudtrail', import.meta.url));

/** The text of each message the embedded receiver printed, in order: the lines of each `┌─ … └─` box. */
function messages(out: string): string[] {
  return [...out.matchAll(/┌─[^\n]*\n((?:\s*│[^\n]*\n)*)\s*└─/g)].map((m) => m[1] ?? '');
}

describe('secu-alert simulate --fast-path', () => {
  it('the fixture tree: the sign-in announced by the fast path in seconds, listed as already reported by the later alarm', async () => {
    const r = await cli('simulate', '--fast-path', FIXTURES);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [signIn, listBuckets, alarm, ...rest] = messages(r.out);
    expect(rest).toEqual([]);
    expect(signIn).toContain('│ root 계정 사용이 감지되었습니다');
    expect(signIn).toContain('ConsoleLogin · signin.amazonaws.com');
    expect(listBuckets).toContain('ListBuckets · s3.amazonaws.com');
    expect(alarm).toContain('│ root 계정 경보 발생하였습니다');
    expect(alarm).toContain(
      '이미 보고됨: 2026-11-02 12:07:12 KST · ConsoleLogin (signin.amazonaws.com) · 18f135d2-5f55-4203-b018-50c5a38fd547',
    );
    expect(alarm).not.toContain('출발지 IP'); // not repeated in full
    expect(r.out).toContain(
      '2026-11-02T03:07:22Z  EventBridge ConsoleLogin → handler: delivered (HTTP 200)\n',
    );
    // The alarm path sees the records 5 minutes late: the ALARM comes at 03:13, not 03:08 as without the delay.
    expect(r.out).toContain('2026-11-02T03:13:00Z  OK → ALARM');
    const note = r.out.slice(r.out.indexOf('Time to alert (modelled)'));
    expect(note.split('\n')).toEqual([
      'Time to alert (modelled)',
      '  delays               CloudTrail → EventBridge → Lambda 10 s; CloudTrail → CloudWatch Logs 300 s, then the alarm emulation',
      '  root-usage events    2:',
      '    2026-11-02T03:07:12Z  ConsoleLogin  fast path 10 s; alarm path 5 min 48 s',
      '    2026-11-02T03:08:40Z  ListBuckets  fast path 10 s; alarm path no ALARM notification (the alarm was in ALARM already, or never)',
      '  fast path            at most 10 s (2 of 2 event(s))',
      '  alarm path           at most 5 min 48 s (1 of 2 event(s))',
      '',
    ]);
  });

  it('the delays are inputs of the emulation: a 1-minute logs delay gives an earlier ALARM', async () => {
    const r = await cli(
      'simulate',
      '--fast-path',
      '--quiet',
      '--logs-delay',
      '60',
      '--eventbridge-delay',
      '3',
      FIXTURES,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('    2026-11-02T03:07:12Z  ConsoleLogin  fast path 3 s; alarm path 1 min 48 s');
  });

  it('the fast path takes root usage by the CIS pattern whatever --pattern the alarm path uses', async () => {
    const r = await cli(
      'simulate',
      '--fast-path',
      '--quiet',
      '--pattern',
      '{ $.eventName = "ListBuckets" }',
      FIXTURES,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('  root-usage events    2:');
    expect(r.out).toContain('  matched the pattern  1');
  });

  it('without --fast-path nothing changes: no delay, no EventBridge lines, no closing note', async () => {
    const r = await cli('simulate', '--quiet', FIXTURES);
    expect(r.out).toContain('2026-11-02T03:08:00Z  OK → ALARM');
    expect(r.out).not.toContain('EventBridge');
    expect(r.out).not.toContain('Time to alert');
  });
});

/** A root CloudTrail record `offset` seconds after 2026-11-30T01:00:00Z, with an eventID ending in the offset. */
function rootRecord(eventName: string, offset: number, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'Root',
      principalId: '111122223333',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
    },
    eventTime: new Date(Date.UTC(2026, 10, 30, 1, 0, offset)).toISOString().replace('.000Z', 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'ap-northeast-2',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: {},
    responseElements: null,
    requestID: `request-${offset}`,
    eventID: `a0000000-0000-4000-8000-${String(offset).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    ...extra,
  };
}

describe('secu-alert simulate --fast-path: flood control delays, never drops (issue 9)', () => {
  it('a console sign-in then 13 RunInstances 20 s apart: all 14 events named in delivered messages within 5 min', async () => {
    const session = [
      rootRecord('ConsoleLogin', 0, {
        eventSource: 'signin.amazonaws.com',
        eventType: 'AwsConsoleSignIn',
        awsRegion: 'us-east-1',
        responseElements: { ConsoleLogin: 'Success' },
        additionalEventData: { MFAUsed: 'Yes' },
      }),
      ...Array.from({ length: 13 }, (_, i) => rootRecord('RunInstances', 20 * (i + 1))),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'secu-alert-session-')), 'session.json');
    writeFileSync(file, JSON.stringify({ Records: session }));
    const r = await cli('simulate', '--fast-path', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const delivered = messages(r.out).join('\n');
    for (const record of session) expect(delivered).toContain(record.eventID);
    // The held calls go out in the scheduled flush's digest, in modelled time.
    expect(r.out).toContain(
      '2026-11-30T01:05:00Z  scheduled flush → handler: delivered a digest (HTTP 200)\n',
    );
    expect(r.out).not.toContain('not named in a fast-path message');
    const worst = /\n {2}fast path {12}at most (\d+) min(?: (\d+) s)? \(14 of 14 event\(s\)\)\n/.exec(r.out);
    expect(worst).not.toBeNull();
    expect(Number(worst?.[1]) * 60 + Number(worst?.[2] ?? 0)).toBeLessThanOrEqual(300);
  });
});

describeWithSamples('secu-alert simulate --fast-path over one root sign-in record (the demo)', () => {
  it('one fast-path message, then the alarm message listing it as already reported', async () => {
    const r = await cli(
      'simulate',
      '--fast-path',
      `${SAMPLES_DIR}cloudtrail/root-consolelogin-success-nomfa-awsdocs.json`,
    );
    expect(r.code).toBe(0);
    const [fast, alarm, ...rest] = messages(r.out);
    expect(rest).toEqual([]);
    expect(fast).toContain('root 계정 사용이 감지되었습니다');
    expect(fast).toContain('MFA: 미사용');
    expect(alarm).toContain('root 계정 경보 발생하였습니다');
    expect(alarm).toContain('이미 보고됨: 2022-11-11 01:24:34 KST · ConsoleLogin (signin.amazonaws.com)');
    expect(r.out).toContain(
      '    2022-11-10T16:24:34Z  ConsoleLogin  fast path 10 s; alarm path 5 min 26 s\n',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [9_400, '9 s'],
    [60_000, '1 min'],
    [326_000, '5 min 26 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
