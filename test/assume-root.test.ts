import { describe, expect, it } from 'vitest';
import {
  ASSUME_ROOT_MAX_SESSION_SECONDS,
  assumeRootExpiresAt,
  assumeRootSessionEnd,
  assumeRootStoreKey,
  createMemoryAssumeRootStore,
  isAssumeRootCall,
  joinAssumeRoot,
  mayBePrivilegedSession,
  parseStsExpiration,
  privilegedRootSessionOf,
  privilegedSessionFacts,
  readAssumeRootCall,
  rootCredentialsRemovedAlert,
  type AssumeRootCall,
} from '../src/alert/assume-root.js';
import { isRootUsage } from '../src/alert/alert.js';
import { readCloudTrailEvent } from '../src/events/index.js';

// Records written after the shapes of IAM User Guide, "Track privileged tasks in AWS CloudTrail"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html), with this project's
// own accounts, keys and times: management account 111111111111, member account 222222222222.
const KEY = 'ASIAZ7EXAMPLEROOT001';

function assumeRootCallRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAZ7EXAMPLEADMIN01:kim.secops',
      arn: 'arn:aws:sts::111111111111:assumed-role/OrgRootOps/kim.secops',
      accountId: '111111111111',
      accessKeyId: 'ASIAZ7EXAMPLECALLER1',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAZ7EXAMPLEADMIN01',
          arn: 'arn:aws:iam::111111111111:role/OrgRootOps',
          accountId: '111111111111',
          userName: 'OrgRootOps',
        },
        webIdFederationData: {},
        attributes: { creationDate: '2026-11-30T23:58:02Z', mfaAuthenticated: 'false' },
        assumedRoot: 'true',
      },
    },
    eventTime: '2026-12-01T00:10:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoot',
    awsRegion: 'ap-northeast-2',
    sourceIPAddress: '203.0.113.24',
    requestParameters: {
      targetPrincipal: '222222222222',
      taskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' },
    },
    responseElements: {
      credentials: {
        accessKeyId: KEY,
        sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN',
        expiration: 'Dec 1, 2026, 12:25:00 AM',
      },
    },
    eventID: 'c0ffee00-0000-4000-8000-000000000001',
    eventType: 'AwsApiCall',
    recipientAccountId: '111111111111',
    ...overrides,
  };
}

function memberRootRecord(overrides: Record<string, unknown> = {}, identity: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'Root',
      principalId: '222222222222',
      arn: 'arn:aws:iam::222222222222:root',
      accountId: '222222222222',
      accessKeyId: KEY,
      sessionContext: { attributes: { creationDate: '2026-12-01T00:10:00Z', mfaAuthenticated: 'false' } },
      ...identity,
    },
    eventTime: '2026-12-01T00:12:30Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'DeleteLoginProfile',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.24',
    userAgent: 'aws-cli/2.22.0',
    requestParameters: null,
    responseElements: null,
    eventID: 'c0ffee00-0000-4000-8000-000000000002',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '222222222222',
    ...overrides,
  };
}

describe('parseStsExpiration', () => {
  it('reads the documented "Oct 25, 2024, 9:07:11 PM" form as UTC (900 s after its eventTime)', () => {
    expect(parseStsExpiration('Oct 25, 2024, 9:07:11 PM')?.toISOString()).toBe('2024-10-25T21:07:11.000Z');
    expect(
      parseStsExpiration('Oct 25, 2024, 9:07:11 PM')!.getTime() - Date.parse('2024-10-25T20:52:11Z'),
    ).toBe(900_000);
    expect(parseStsExpiration('Dec 1, 2026, 12:25:00 AM')?.toISOString()).toBe('2026-12-01T00:25:00.000Z');
    expect(parseStsExpiration('Dec 1, 2026, 12:05:00 PM')?.toISOString()).toBe('2026-12-01T12:05:00.000Z');
    expect(parseStsExpiration('2026-12-01T00:25:00Z')?.toISOString()).toBe('2026-12-01T00:25:00.000Z');
  });

  it('rejects other text', () => {
    for (const bad of [
      '',
      'soon',
      'Foo 1, 2026, 1:00:00 PM',
      'Feb 30, 2026, 1:00:00 PM',
      'Dec 1, 2026, 13:00:00 PM',
      42,
    ]) {
      expect(parseStsExpiration(bad)).toBeUndefined();
    }
  });
});

describe('reading AssumeRoot calls', () => {
  it('recognises the call and reads caller, target, task policy, key and expiry', () => {
    const record = assumeRootCallRecord();
    expect(isAssumeRootCall(record)).toBe(true);
    expect(isAssumeRootCall(memberRootRecord())).toBe(false);
    expect(readAssumeRootCall(record)).toEqual({
      accessKeyId: KEY,
      targetPrincipal: '222222222222',
      targetAccountId: '222222222222',
      taskPolicyArn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials',
      taskPolicyName: 'IAMDeleteRootUserCredentials',
      expiration: new Date('2026-12-01T00:25:00Z'),
      eventTime: new Date('2026-12-01T00:10:00Z'),
      eventId: 'c0ffee00-0000-4000-8000-000000000001',
      awsRegion: 'ap-northeast-2',
      sourceIp: '203.0.113.24',
      callerArn: 'arn:aws:sts::111111111111:assumed-role/OrgRootOps/kim.secops',
      callerType: 'AssumedRole',
      callerAccountId: '111111111111',
      callerRoleArn: 'arn:aws:iam::111111111111:role/OrgRootOps',
    });
  });

  it('is not a root-usage event itself (the caller is an AssumedRole)', () => {
    expect(isRootUsage(assumeRootCallRecord())).toBe(false);
  });

  it('takes the account of a principal-ARN target, and ignores failed or keyless calls', () => {
    const arnTarget = assumeRootCallRecord({
      requestParameters: { targetPrincipal: 'arn:aws:iam::333333333333:root', taskPolicyArn: {} },
    });
    expect(readAssumeRootCall(arnTarget)).toMatchObject({ targetAccountId: '333333333333' });
    expect(readAssumeRootCall(arnTarget)?.taskPolicyArn).toBeUndefined();
    expect(
      readAssumeRootCall(assumeRootCallRecord({ errorCode: 'AccessDenied', responseElements: null })),
    ).toBeUndefined();
    expect(readAssumeRootCall(assumeRootCallRecord({ responseElements: {} }))).toBeUndefined();
    expect(readAssumeRootCall({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole' })).toBeUndefined();
    expect(readAssumeRootCall('AssumeRoot')).toBeUndefined();
  });

  it('bounds the session at 900 s, whatever the call says', () => {
    expect(ASSUME_ROOT_MAX_SESSION_SECONDS).toBe(900);
    const call = readAssumeRootCall(assumeRootCallRecord())!;
    expect(assumeRootSessionEnd(call)).toBe(Date.parse('2026-12-01T00:25:00Z'));
    const short: AssumeRootCall = { ...call, expiration: undefined, durationSeconds: 120 } as AssumeRootCall;
    delete short.expiration;
    expect(assumeRootSessionEnd(short)).toBe(Date.parse('2026-12-01T00:12:00Z'));
    const lying = { ...call, expiration: new Date('2026-12-01T05:00:00Z') };
    expect(assumeRootSessionEnd(lying)).toBe(Date.parse('2026-12-01T00:25:00Z'));
  });
});

describe('joinAssumeRoot and privilegedRootSessionOf', () => {
  const call = readAssumeRootCall(assumeRootCallRecord())!;
  const other: AssumeRootCall = { ...call, accessKeyId: 'ASIAZ7EXAMPLEOTHER01' };

  it('joins a member-account root record to its call on the access key id', () => {
    const record = memberRootRecord();
    expect(joinAssumeRoot(record, [other, call])).toBe(call);
    const session = privilegedRootSessionOf(record, call);
    expect(session).toEqual({
      accessKeyId: KEY,
      accountId: '222222222222',
      evidence: 'joined',
      call,
      taskPolicyArn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials',
      taskPolicyName: 'IAMDeleteRootUserCredentials',
      sessionStart: new Date('2026-12-01T00:10:00Z'),
      sessionEnd: new Date('2026-12-01T00:25:00Z'),
      sourceIp: '203.0.113.24',
      showMfa: false,
    });
  });

  it('the documented member record is root usage and today reads mfaUsed false: the flag says not to show it', () => {
    const record = memberRootRecord();
    expect(isRootUsage(record)).toBe(true);
    const event = readCloudTrailEvent(record)!;
    expect(event.mfaUsed).toBe(false);
    expect(mayBePrivilegedSession(event)).toBe(true);
    expect(privilegedRootSessionOf(record, call)?.showMfa).toBe(false);
  });

  it('does not join across accounts, outside the session, or without a key', () => {
    expect(joinAssumeRoot(memberRootRecord({}, { accountId: '333333333333' }), [call])).toBeUndefined();
    expect(joinAssumeRoot(memberRootRecord({ eventTime: '2026-12-01T00:27:00Z' }), [call])).toBeUndefined();
    expect(joinAssumeRoot(memberRootRecord({ eventTime: '2026-12-01T00:08:00Z' }), [call])).toBeUndefined();
    expect(joinAssumeRoot(memberRootRecord({ eventTime: '2026-12-01T00:25:30Z' }), [call])).toBe(call); // skew
    expect(joinAssumeRoot(memberRootRecord({}, { accessKeyId: '' }), [call])).toBeUndefined();
    expect(joinAssumeRoot(memberRootRecord({}, { type: 'IAMUser' }), [call])).toBeUndefined();
  });

  it('an ordinary root record (no join, no flag) is no privileged session', () => {
    const consoleRoot = memberRootRecord({}, { accessKeyId: 'ASIAZ7EXAMPLECONSOLE' });
    expect(privilegedRootSessionOf(consoleRoot, call)).toBeUndefined();
    expect(privilegedRootSessionOf(consoleRoot)).toBeUndefined();
    expect(mayBePrivilegedSession(readCloudTrailEvent(memberRootRecord({}, { accessKeyId: '' }))!)).toBe(
      false,
    );
  });

  it('without a remembered call, sessionContext.assumedRoot "true" alone marks the session (inferred)', () => {
    const flagged = memberRootRecord(
      {},
      {
        sessionContext: {
          attributes: { creationDate: '2026-12-01T00:10:00Z', mfaAuthenticated: 'false' },
          assumedRoot: 'true',
        },
      },
    );
    expect(privilegedRootSessionOf(flagged)).toEqual({
      accessKeyId: KEY,
      accountId: '222222222222',
      evidence: 'assumed-root-flag',
      sessionStart: new Date('2026-12-01T00:10:00Z'),
      sourceIp: '203.0.113.24',
      showMfa: false,
    });
  });

  it('message facts: session, caller, task policy, source IPs; never an MFA line', () => {
    const session = privilegedRootSessionOf(memberRootRecord({ sourceIPAddress: '198.51.100.7' }), call)!;
    const facts = privilegedSessionFacts(session);
    expect(facts).toEqual([
      { label: 'AssumeRoot 세션', value: KEY },
      {
        label: 'AssumeRoot 호출자',
        value: 'arn:aws:sts::111111111111:assumed-role/OrgRootOps/kim.secops (111111111111)',
      },
      { label: '작업 정책', value: 'IAMDeleteRootUserCredentials' },
      { label: '출발지 IP', value: '203.0.113.24, 198.51.100.7' },
    ]);
    expect(JSON.stringify(facts)).not.toMatch(/MFA/i);
    const flagged = privilegedRootSessionOf(
      memberRootRecord({}, { sessionContext: { assumedRoot: 'true' } }),
    )!;
    expect(privilegedSessionFacts(flagged, 'en')).toEqual([
      { label: 'AssumeRoot session', value: `${KEY} (call not found)` },
      { label: 'source IP', value: '203.0.113.24' },
    ]);
  });
});

describe('AssumeRoot call store', () => {
  const call = readAssumeRootCall(assumeRootCallRecord())!;

  it('keys and expiry for the DynamoDB table', () => {
    expect(assumeRootStoreKey(KEY)).toBe(`assume-root|${KEY}`);
    expect(assumeRootExpiresAt(call, 0)).toBe(Date.parse('2026-12-01T00:25:00Z') + 15 * 60_000);
    expect(assumeRootExpiresAt(call, 0, 0)).toBe(Date.parse('2026-12-01T00:25:00Z'));
    const timeless: AssumeRootCall = { accessKeyId: KEY, targetPrincipal: '222222222222' };
    expect(assumeRootExpiresAt(timeless, 1_000, 0)).toBe(1_000 + 900_000);
  });

  it('remembers a call until its session end plus grace, then forgets it', async () => {
    let now = Date.parse('2026-12-01T00:10:01Z');
    const store = createMemoryAssumeRootStore({ clock: () => now, graceMs: 60_000 });
    await store.put(call);
    expect(await store.get(KEY)).toBe(call);
    expect(await store.get('ASIAZ7EXAMPLEOTHER01')).toBeUndefined();
    now = Date.parse('2026-12-01T00:25:59Z');
    expect(await store.get(KEY)).toBe(call);
    now = Date.parse('2026-12-01T00:26:00Z');
    expect(await store.get(KEY)).toBeUndefined();
  });

  it('the whole flow: store the call from the management account, join the member event to it', async () => {
    const store = createMemoryAssumeRootStore({ clock: () => Date.parse('2026-12-01T00:12:31Z') });
    const management = assumeRootCallRecord();
    if (isAssumeRootCall(management)) await store.put(readAssumeRootCall(management)!);
    const member = memberRootRecord();
    const remembered = await store.get(readCloudTrailEvent(member)!.accessKeyId!);
    expect(privilegedRootSessionOf(member, remembered)?.call?.callerArn).toBe(
      'arn:aws:sts::111111111111:assumed-role/OrgRootOps/kim.secops',
    );
  });
});

describe('rootCredentialsRemovedAlert', () => {
  const removed = { rootCredentialsRemoved: true };
  const signIn = (result: string) => ({
    eventVersion: '1.08',
    userIdentity: {
      type: 'Root',
      principalId: '222222222222',
      arn: 'arn:aws:iam::222222222222:root',
      accountId: '222222222222',
      accessKeyId: '',
    },
    eventTime: '2026-12-01T01:00:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    requestParameters: null,
    responseElements: { ConsoleLogin: result },
    additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/console/home' },
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: '222222222222',
    ...(result === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
  });

  it('a root sign-in in an account without root credentials is the most urgent alert', () => {
    expect(rootCredentialsRemovedAlert(signIn('Success'), removed)).toEqual({
      mostUrgent: true,
      trigger: 'root-sign-in',
      succeeded: true,
      label: {
        ko: '루트 자격 증명이 제거된 계정에서 root 사용',
        en: 'root used in an account whose root credentials were removed',
      },
    });
    expect(rootCredentialsRemovedAlert(signIn('Failure'), removed)).toMatchObject({
      trigger: 'root-sign-in',
      succeeded: false,
    });
  });

  it('password recovery and a root CreateLoginProfile are flagged too', () => {
    const recovery = {
      ...signIn('Success'),
      eventName: 'PasswordRecoveryRequested',
      responseElements: { PasswordRecoveryRequested: 'Success' },
    };
    expect(rootCredentialsRemovedAlert(recovery, removed)?.trigger).toBe('password-recovery');
    const session = privilegedRootSessionOf(memberRootRecord(), readAssumeRootCall(assumeRootCallRecord())!)!;
    const createLoginProfile = memberRootRecord({ eventName: 'CreateLoginProfile', requestParameters: {} });
    expect(rootCredentialsRemovedAlert(createLoginProfile, removed, session)).toMatchObject({
      trigger: 'create-login-profile',
      succeeded: true,
      session: { evidence: 'joined' },
    });
  });

  it('not flagged: unknown or present root credentials, IAM users, other events', () => {
    expect(rootCredentialsRemovedAlert(signIn('Success'), {})).toBeUndefined();
    expect(rootCredentialsRemovedAlert(signIn('Success'), { rootCredentialsRemoved: false })).toBeUndefined();
    const forIamUser = memberRootRecord(
      {
        eventName: 'CreateLoginProfile',
        requestParameters: { userName: 'alice', passwordResetRequired: true },
      },
      { type: 'IAMUser', arn: 'arn:aws:iam::222222222222:user/admin' },
    );
    expect(rootCredentialsRemovedAlert(forIamUser, removed)).toBeUndefined();
    const iamUserSignIn = {
      ...signIn('Success'),
      userIdentity: { type: 'IAMUser', accountId: '222222222222' },
    };
    expect(rootCredentialsRemovedAlert(iamUserSignIn, removed)).toBeUndefined();
    expect(rootCredentialsRemovedAlert(memberRootRecord(), removed)).toBeUndefined();
    expect(rootCredentialsRemovedAlert(null, removed)).toBeUndefined();
  });
});
