import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from '../src/cloudwatch/index.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';

interface Envelope {
  'detail-type': string;
  account: string;
  detail: {
    eventName: string;
    eventSource: string;
    userIdentity: { type: string; accountId: string; accessKeyId?: string };
    requestParameters?: { targetPrincipal?: string; taskPolicyArn?: { arn: string } } | null;
    responseElements?: { credentials?: { accessKeyId: string; expiration: string } } | null;
    recipientAccountId: string;
    sourceIPAddress: string;
  };
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'org');
const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Envelope;
const cis = compileFilterPattern(ROOT_USAGE_FILTER_PATTERN);

describe('fixtures/org (centralized root access)', () => {
  const assumeRoot = load('assumeroot-management-account.json');
  const member = load('assumeroot-member-deletebucketpolicy.json');

  it('the AssumeRoot event in the management account names the member, the task policy and the session key', () => {
    expect(assumeRoot['detail-type']).toBe('AWS API Call via CloudTrail');
    expect(assumeRoot.detail.eventSource).toBe('sts.amazonaws.com');
    expect(assumeRoot.detail.eventName).toBe('AssumeRoot');
    expect(assumeRoot.account).toBe('111111111111');
    expect(assumeRoot.detail.requestParameters?.targetPrincipal).toBe('222222222222');
    expect(assumeRoot.detail.requestParameters?.taskPolicyArn?.arn).toBe(
      'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
    );
    // The page prints the expiration in this human form, not ISO 8601.
    expect(assumeRoot.detail.responseElements?.credentials?.expiration).toMatch(
      /^[A-Z][a-z]{2} \d{1,2}, \d{4}, /,
    );
  });

  it('member-account events of the session join on the issued access key, not the caller key', () => {
    const issued = assumeRoot.detail.responseElements!.credentials!.accessKeyId;
    expect(member.detail.userIdentity.type).toBe('Root');
    expect(member.detail.userIdentity.accessKeyId).toBe(issued);
    expect(assumeRoot.detail.userIdentity.accessKeyId).not.toBe(issued);
    expect(member.detail.recipientAccountId).toBe(assumeRoot.detail.requestParameters!.targetPrincipal);
    expect(member.detail.sourceIPAddress).toBe(assumeRoot.detail.sourceIPAddress);
  });

  it('the CIS root-usage pattern counts the member events and not AssumeRoot itself', () => {
    const text = (e: Envelope) => JSON.stringify(e.detail);
    expect(cis.matches(text(member))).toBe(true);
    expect(cis.matches(text(load('root-consolelogin-member.json')))).toBe(true);
    expect(cis.matches(text(load('root-passwordrecoveryrequested-member.json')))).toBe(true);
    expect(cis.matches(text(assumeRoot))).toBe(false);
  });

  it('sign-in fixtures carry the sign-in detail-type and event source', () => {
    for (const file of ['root-consolelogin-member.json', 'root-passwordrecoveryrequested-member.json']) {
      const e = load(file);
      expect(e['detail-type']).toBe('AWS Console Sign In via CloudTrail');
      expect(e.detail.eventSource).toBe('signin.amazonaws.com');
      expect(e.account).toBe('222222222222');
    }
  });
});
