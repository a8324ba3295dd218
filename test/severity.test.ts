import { describe, expect, it } from 'vitest';
import {
  SENSITIVE_EVENTS,
  SEVERITY_COLORS,
  SEVERITY_LABELS,
  SeverityConfigError,
  factsFromCloudTrailEvent,
  maxSeverity,
  parseSeverityOverrides,
  severityOf,
  type SeverityFacts,
  type SeverityResult,
} from '../src/alert/severity.js';
import { readCloudTrailEvent } from '../src/events/cloudtrail.js';

const root = { root: true } as const;
const pipeline = (source: string, name: string): boolean =>
  (source === 'cloudtrail.amazonaws.com' && name === 'StopLogging') ||
  (source === 'logs.amazonaws.com' && name === 'DeleteMetricFilter');

describe('severityOf: the rules table', () => {
  const table: [string, SeverityFacts, Pick<SeverityResult, 'severity' | 'rule'>][] = [
    [
      'root console sign-in without MFA',
      {
        ...root,
        eventName: 'ConsoleLogin',
        eventSource: 'signin.amazonaws.com',
        consoleSignIn: true,
        mfaUsed: false,
        signInResult: 'Success',
      },
      { severity: 'critical', rule: 'root-sign-in-without-mfa' },
    ],
    [
      'root console sign-in, MFA unknown',
      { ...root, eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', consoleSignIn: true },
      { severity: 'critical', rule: 'root-sign-in-without-mfa' },
    ],
    [
      'root console sign-in with MFA',
      {
        ...root,
        eventName: 'ConsoleLogin',
        eventSource: 'signin.amazonaws.com',
        consoleSignIn: true,
        mfaUsed: true,
        signInResult: 'Success',
      },
      { severity: 'high', rule: 'sign-in' },
    ],
    [
      'failed root sign-in',
      {
        ...root,
        eventName: 'ConsoleLogin',
        eventSource: 'signin.amazonaws.com',
        consoleSignIn: true,
        mfaUsed: false,
        signInResult: 'Failure',
      },
      { severity: 'medium', rule: 'failed' },
    ],
    [
      'access key created',
      { ...root, eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', readOnly: false },
      { severity: 'critical', rule: 'credential-change' },
    ],
    [
      'MFA deactivated',
      { ...root, eventName: 'DeactivateMFADevice', eventSource: 'iam.amazonaws.com', readOnly: false },
      { severity: 'critical', rule: 'mfa-change' },
    ],
    [
      'role created',
      { eventName: 'CreateRole', eventSource: 'iam.amazonaws.com', readOnly: false },
      { severity: 'critical', rule: 'iam-change' },
    ],
    [
      'CIS CloudWatch.4 policy change',
      { eventName: 'AttachUserPolicy', eventSource: 'iam.amazonaws.com', readOnly: false },
      { severity: 'critical', rule: 'policy-change' },
    ],
    [
      'SCP change (Organizations)',
      { eventName: 'AttachPolicy', eventSource: 'organizations.amazonaws.com' },
      { severity: 'critical', rule: 'policy-change' },
    ],
    [
      'root password changed',
      { ...root, eventName: 'PasswordUpdated', eventSource: 'signin.amazonaws.com' },
      { severity: 'critical', rule: 'credential-change' },
    ],
    [
      'change to this pipeline',
      { ...root, eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', readOnly: false },
      { severity: 'critical', rule: 'pipeline-change' },
    ],
    [
      'root use where root credentials were removed, even a read',
      {
        ...root,
        eventName: 'ListBuckets',
        eventSource: 's3.amazonaws.com',
        readOnly: true,
        rootCredentialsRemoved: true,
      },
      { severity: 'critical', rule: 'root-credentials-removed' },
    ],
    [
      'root use where root credentials were removed, even failed',
      {
        ...root,
        eventName: 'ConsoleLogin',
        eventSource: 'signin.amazonaws.com',
        signInResult: 'Failure',
        rootCredentialsRemoved: true,
      },
      { severity: 'critical', rule: 'root-credentials-removed' },
    ],
    [
      'other write',
      { ...root, eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', readOnly: false },
      { severity: 'high', rule: 'write' },
    ],
    [
      'read',
      { ...root, eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', readOnly: true },
      { severity: 'medium', rule: 'read' },
    ],
    [
      'read by verb when readOnly is absent',
      { ...root, eventName: 'GetBucketPolicy', eventSource: 's3.amazonaws.com' },
      { severity: 'medium', rule: 'read' },
    ],
    [
      'write by verb when readOnly is absent',
      { ...root, eventName: 'PutObject', eventSource: 's3.amazonaws.com' },
      { severity: 'high', rule: 'write' },
    ],
    [
      'failed sensitive call',
      { ...root, eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', errorCode: 'AccessDenied' },
      { severity: 'medium', rule: 'failed' },
    ],
    [
      'a test, however sensitive',
      { ...root, eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', test: true },
      { severity: 'info', rule: 'test' },
    ],
    [
      'alarm without events',
      { alarmName: 'root-alert', alarmState: 'ALARM' },
      { severity: 'high', rule: 'alarm-without-events' },
    ],
    [
      'alarm back to OK',
      { alarmName: 'root-alert', alarmState: 'OK' },
      { severity: 'info', rule: 'alarm-ok' },
    ],
    [
      'alarm with insufficient data',
      { alarmName: 'root-alert', alarmState: 'INSUFFICIENT_DATA' },
      { severity: 'medium', rule: 'alarm-insufficient-data' },
    ],
    [
      'an event name that is a sensitive IAM name under another source',
      { eventName: 'CreateUser', eventSource: 'transfer.amazonaws.com', readOnly: false },
      { severity: 'high', rule: 'write' },
    ],
    [
      'an Object.prototype name as event name',
      { eventName: 'constructor', eventSource: 'iam.amazonaws.com', readOnly: false },
      { severity: 'high', rule: 'write' },
    ],
  ];
  it.each(table)('%s', (_, facts, expected) => {
    expect(severityOf(facts, { isPipelineCall: pipeline })).toMatchObject(expected);
  });

  it('without a pipeline predicate, a pipeline change is judged as any other write', () => {
    expect(
      severityOf({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', readOnly: false }),
    ).toMatchObject({ severity: 'high', rule: 'write' });
  });

  it('lists the sixteen CIS CloudWatch.4 IAM policy event names as policy changes', () => {
    const cis =
      'DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy PutGroupPolicy PutRolePolicy PutUserPolicy CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion AttachRolePolicy DetachRolePolicy AttachUserPolicy DetachUserPolicy AttachGroupPolicy DetachGroupPolicy'.split(
        ' ',
      );
    expect(cis).toHaveLength(16);
    for (const name of cis) expect(SENSITIVE_EVENTS['iam.amazonaws.com']?.[name]).toBe('policy');
  });
});

describe('severity overrides', () => {
  const overrides = parseSeverityOverrides(
    JSON.stringify({
      alarms: { 'cis-unauthorized-api-calls': 'medium', 'root-alert': 'critical' },
      events: { ConsoleLogin: 'info' },
    }),
  );

  it('an event-name override wins over the alarm-name override and the rules', () => {
    expect(
      severityOf(
        {
          ...root,
          alarmName: 'root-alert',
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          consoleSignIn: true,
          mfaUsed: false,
        },
        { overrides },
      ),
    ).toMatchObject({ severity: 'info', rule: 'override-event' });
  });

  it('an alarm-name override applies when no event override does', () => {
    expect(severityOf({ alarmName: 'root-alert', alarmState: 'ALARM' }, { overrides })).toMatchObject({
      severity: 'critical',
      rule: 'override-alarm',
    });
    expect(
      severityOf(
        {
          alarmName: 'cis-unauthorized-api-calls',
          eventName: 'RunInstances',
          eventSource: 'ec2.amazonaws.com',
        },
        { overrides },
      ),
    ).toMatchObject({ severity: 'medium', rule: 'override-alarm' });
  });

  it('a test stays info whatever the overrides say', () => {
    expect(severityOf({ alarmName: 'root-alert', test: true }, { overrides })).toMatchObject({
      severity: 'info',
      rule: 'test',
    });
  });

  it('absent or blank text means no overrides', () => {
    expect(parseSeverityOverrides(undefined)).toEqual({ alarms: {}, events: {} });
    expect(parseSeverityOverrides('  ')).toEqual({ alarms: {}, events: {} });
  });

  it.each([
    ['not json', 'SEVERITY_OVERRIDES is not valid JSON'],
    ['{"events": {"ConsoleLogin": "urgent"}}', 'SEVERITY_OVERRIDES: events.ConsoleLogin:'],
    ['{"alarm": {}}', 'SEVERITY_OVERRIDES: (top level):'],
    ['[]', 'SEVERITY_OVERRIDES: (top level):'],
  ])('refuses %s, naming the variable and the key', (text, message) => {
    expect(() => parseSeverityOverrides(text)).toThrow(SeverityConfigError);
    expect(() => parseSeverityOverrides(text)).toThrow(message);
  });
});

describe('facts from a CloudTrail event', () => {
  it('reads a root console sign-in without MFA as critical', () => {
    const event = readCloudTrailEvent({
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      eventType: 'AwsConsoleSignIn',
      userIdentity: { type: 'Root', accountId: '111122223333' },
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: 'No' },
    })!;
    const facts = factsFromCloudTrailEvent(event, { alarmName: 'root-alert' });
    expect(facts).toMatchObject({
      root: true,
      consoleSignIn: true,
      mfaUsed: false,
      signInResult: 'Success',
      alarmName: 'root-alert',
    });
    expect(severityOf(facts).severity).toBe('critical');
  });

  it('reads a failed call as medium', () => {
    const event = readCloudTrailEvent({
      eventName: 'DeleteTrail',
      eventSource: 'cloudtrail.amazonaws.com',
      readOnly: false,
      errorCode: 'AccessDenied',
      userIdentity: { type: 'Root' },
    })!;
    expect(severityOf(factsFromCloudTrailEvent(event), { isPipelineCall: () => true })).toMatchObject({
      severity: 'medium',
      rule: 'failed',
    });
  });
});

describe('labels, colours and order', () => {
  it('has Korean and English labels and a colour for every severity', () => {
    expect(SEVERITY_LABELS.ko).toEqual({ critical: '심각', high: '높음', medium: '보통', info: '정보' });
    expect(SEVERITY_LABELS.en.critical).toBe('Critical');
    expect(SEVERITY_COLORS.critical).toBe('red');
    for (const c of Object.values(SEVERITY_COLORS)) expect(c).toMatch(/^(red|#[0-9A-F]{6})$/);
  });

  it('maxSeverity picks the most urgent, info for none', () => {
    expect(maxSeverity(['medium', 'critical', 'high'])).toBe('critical');
    expect(maxSeverity(['medium', 'info'])).toBe('medium');
    expect(maxSeverity([])).toBe('info');
  });
});
