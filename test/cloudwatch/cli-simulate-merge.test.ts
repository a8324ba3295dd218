/**
 * `simulate` reads inputs as CloudWatch Logs sees them: merged by eventTime across files, Regions and
 * arguments; a matching record it cannot apply is an error; `--output json` for scripts; the fast path models
 * only the forwarded Regions. The trees are this test's own, written to a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const ACCOUNT = '111122223333';
const t = (minute: number, second = 0): string =>
  `2026-11-02T03:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}Z`;

function record(time: string, region: string, root: boolean, id: string): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: root
      ? { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT }
      : {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLE',
          arn: `arn:aws:iam::${ACCOUNT}:user/ops`,
          accountId: ACCOUNT,
        },
    eventTime: time,
    eventSource: root ? 'signin.amazonaws.com' : 'ec2.amazonaws.com',
    eventName: root ? 'ConsoleLogin' : 'DescribeInstances',
    awsRegion: region,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'test-agent',
    eventID: id,
    eventType: root ? 'AwsConsoleSignIn' : 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    ...(root ? { responseElements: { ConsoleLogin: 'Success' } } : {}),
  };
}

function trailFile(root: string, region: string, stamp: string, records: Record<string, unknown>[]): void {
  const dir = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', region, '2026', '11', '02');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${ACCOUNT}_CloudTrail_${region}_${stamp}_test.json`),
    JSON.stringify({ Records: records }),
  );
}

let dir: string;
let tree: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simulate-merge-'));
  tree = join(dir, 'tree');
  // ap-northeast-2: 40 minutes of API calls by an IAM user; the us-east-1 file (sorts last by path) holds
  // the root console sign-in at 03:05, 35 minutes before the last ap-northeast-2 record.
  trailFile(
    tree,
    'ap-northeast-2',
    '20261102T0340Z',
    Array.from({ length: 80 }, (_, i) =>
      record(t(Math.floor(i / 2), (i % 2) * 30), 'ap-northeast-2', false, `apne2-${i}`),
    ),
  );
  trailFile(tree, 'eu-west-1', '20261102T0320Z', [record(t(20), 'eu-west-1', false, 'euw1-0')]);
  trailFile(tree, 'us-east-1', '20261102T0310Z', [record(t(5), 'us-east-1', true, 'root-signin-1')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate merges inputs by eventTime', () => {
  it('applies the root sign-in of a Region whose file sorts last, and alarms', async () => {
    const r = await cli('simulate', tree, '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  matched the pattern  1\n');
    expect(r.out).toContain('OK → ALARM');
    expect(r.out).toContain('  late records         0: ');
  });

  it('merges several arguments too (the us-east-1 folder given after the rest)', async () => {
    const east = join(tree, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1');
    const apne2 = join(tree, 'AWSLogs', ACCOUNT, 'CloudTrail', 'ap-northeast-2');
    const r = await cli('simulate', apne2, east, '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  matched the pattern  1\n');
  });

  it('a matching record dropped as late is an error with the count (exit 1)', async () => {
    const file = join(dir, 'late.jsonl');
    const lines = [
      ...Array.from({ length: 40 }, (_, i) => record(t(i), 'ap-northeast-2', false, `x-${i}`)),
      record(t(2), 'us-east-1', true, 'late-root'),
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = await cli('simulate', file, '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toContain('1 matching record(s) came more than the reorder window (15 min) behind');
    const wide = await cli('simulate', file, '--quiet', '--reorder-window', '60');
    expect(wide.code).toBe(0);
    expect(wide.out).toContain('  matched the pattern  1\n');
  });
});

describe('simulate --output json and --forwarded-regions', () => {
  it('prints the run as JSON: transitions, messages, per-event first-named time', async () => {
    const r = await cli('simulate', tree, '--fast-path', '--output', 'json');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out) as {
      matched: number;
      alarmTransitions: { newState: string }[];
      messages: unknown[];
      rootEvents: {
        eventId: string;
        forwarded: boolean;
        fastPathNamedAt: string | null;
        firstNamedAt: string | null;
      }[];
    };
    expect(run.matched).toBe(1);
    expect(run.alarmTransitions.map((c) => c.newState)).toContain('ALARM');
    expect(run.messages.length).toBeGreaterThan(0);
    expect(run.rootEvents).toHaveLength(1);
    expect(run.rootEvents[0]).toMatchObject({ eventId: 'root-signin-1', forwarded: true });
    expect(run.rootEvents[0]?.fastPathNamedAt).toBe('2026-11-02T03:05:10Z');
    expect(run.rootEvents[0]?.firstNamedAt).toBe('2026-11-02T03:05:10Z');
  });

  it('events of Regions not forwarded reach the room only by the alarm path', async () => {
    const r = await cli(
      'simulate',
      tree,
      '--fast-path',
      '--output',
      'json',
      '--forwarded-regions',
      'ap-northeast-2',
    );
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out) as {
      rootEvents: { forwarded: boolean; fastPathNamedAt: string | null; alarmNamedAt: string | null }[];
    };
    expect(run.rootEvents[0]).toMatchObject({ forwarded: false, fastPathNamedAt: null });
    expect(run.rootEvents[0]?.alarmNamedAt).not.toBeNull();
    const text = await cli(
      'simulate',
      tree,
      '--fast-path',
      '--quiet',
      '--forwarded-regions',
      'ap-northeast-2',
    );
    expect(text.out).toContain('fast path not forwarded (us-east-1)');
    expect((await cli('simulate', tree, '--forwarded-regions', 'nowhere')).code).toBe(2);
  });
});
