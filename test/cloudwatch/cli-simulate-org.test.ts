/**
 * `simulate` over an organization trail's tree (`AWSLogs/o-…/<account>/CloudTrail/<region>/YYYY/MM/DD/…`,
 * gzip-compressed JSON as CloudTrail writes it): the member accounts are found from the paths, and every
 * message names the member account(s) its events came from. The tree is this test's own, in a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const ORG = 'o-a1b2c3d4e5';
const t = (minute: number): string => `2026-11-02T03:${String(minute).padStart(2, '0')}:00Z`;

function record(account: string, time: string, region: string, root: boolean, id: string) {
  return {
    eventVersion: '1.09',
    userIdentity: root
      ? { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account }
      : {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLE',
          arn: `arn:aws:iam::${account}:user/ops`,
          accountId: account,
        },
    eventTime: time,
    eventSource: root ? 'signin.amazonaws.com' : 'ec2.amazonaws.com',
    eventName: root ? 'ConsoleLogin' : 'DescribeInstances',
    awsRegion: region,
    sourceIPAddress: '203.0.113.9',
    userAgent: 'test-agent',
    eventID: id,
    eventType: root ? 'AwsConsoleSignIn' : 'AwsApiCall',
    recipientAccountId: account,
    ...(root ? { responseElements: { ConsoleLogin: 'Success' } } : {}),
  };
}

/** One gzip log file of an organization trail for `account` in `region`. */
function trailFile(root: string, account: string, region: string, records: object[]): void {
  const dir = join(root, 'AWSLogs', ORG, account, 'CloudTrail', region, '2026', '11', '02');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${account}_CloudTrail_${region}_20261102T0330Z_org.json.gz`),
    gzipSync(JSON.stringify({ Records: records })),
  );
}

let dir: string;
let tree: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simulate-org-'));
  tree = join(dir, 'org-trail');
  trailFile(tree, '222222222222', 'us-east-1', [record('222222222222', t(5), 'us-east-1', true, 'root-2')]);
  trailFile(tree, '333333333333', 'us-east-1', [record('333333333333', t(6), 'us-east-1', true, 'root-3')]);
  trailFile(
    tree,
    '444444444444',
    'ap-northeast-2',
    Array.from({ length: 20 }, (_, i) => record('444444444444', t(i), 'ap-northeast-2', false, `ops-${i}`)),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Message {
  text: string;
  attachments?: { title?: string; text?: string }[];
}
/** What the embedded receiver took: the Dooray message with when and what it checked. */
interface Taken {
  message: Message;
}

describe('simulate over an organization trail tree', () => {
  it('finds the member accounts and names them in the alarm message', async () => {
    const r = await cli('simulate', tree, '--output', 'json');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out) as { matched: number; messages: Taken[] };
    expect(run.matched).toBe(2);
    const alarms = run.messages
      .map((m) => m.message)
      .filter((m) => m.text === 'root 계정 경보 발생하였습니다');
    expect(alarms.length).toBeGreaterThan(0);
    for (const message of alarms) {
      const facts = message.attachments?.[0]?.text ?? '';
      expect(facts).toContain('이벤트 계정: 222222222222');
      expect(facts).toContain('이벤트 계정: 333333333333');
      // The IAM user's account had no matching event: not named.
      expect(JSON.stringify(message)).not.toContain('444444444444');
    }
    const text = await cli('simulate', tree, '--quiet');
    expect(text.out).toContain(
      `organization trail ${ORG}: member accounts 222222222222, 333333333333, 444444444444\n`,
    );
  });

  it('with --fast-path, every message names the member account of its event', async () => {
    const r = await cli('simulate', tree, '--fast-path', '--output', 'json');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.out) as { messages: Taken[] };
    const events = run.messages
      .map((m) => m.message)
      .filter((m) => m.text === 'root 계정 사용이 감지되었습니다');
    expect(events).toHaveLength(2);
    expect(events[0]?.attachments?.[0]?.text).toContain('계정: 222222222222');
    expect(events[1]?.attachments?.[0]?.text).toContain('계정: 333333333333');
    for (const message of run.messages) expect(JSON.stringify(message)).toMatch(/222222222222|333333333333/);
  });
});
