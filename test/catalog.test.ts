import { describe, expect, it } from 'vitest';
import {
  bareEventName,
  CIS_MONITORING_CONTROLS,
  CIS_SUBJECTS_KO,
  CIS_WATCHED_EVENT_NAMES,
  isPipelineCall,
  PIPELINE_CALL_GROUPS,
  PIPELINE_CALL_KEYS,
} from '../src/catalog/index.js';
import { compileFilterPattern } from '../src/cloudwatch/index.js';
import { DEFAULT_SUBJECT_MAP, ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';

/** Whitespace outside quoted strings removed: how AWS pages differ in printing one pattern. */
function squeeze(pattern: string): string {
  return pattern.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (m) => (m.startsWith('"') ? m : ''));
}

/** The event names a pattern tests with `$.eventName = X` (quoted or not). */
function namesInPattern(pattern: string): string[] {
  return [...pattern.matchAll(/\$\.eventName\s*=\s*"?([A-Za-z0-9]+)"?/g)].map((m) => m[1]!);
}

const control = (id: string) => CIS_MONITORING_CONTROLS.find((c) => c.controlId === id)!;

/** A minimal CloudTrail record as CloudTrail writes it to CloudWatch Logs (compact JSON). */
function record(fields: Record<string, unknown>): string {
  return JSON.stringify({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', accountId: '111111111111' },
    eventTime: '2026-12-01T00:00:00Z',
    awsRegion: 'ap-northeast-2',
    sourceIPAddress: '198.51.100.7',
    eventType: 'AwsApiCall',
    ...fields,
  });
}

describe('CIS monitoring controls (Security Hub CloudWatch.1–14)', () => {
  it('lists CloudWatch.1 to CloudWatch.14 in order, each with its page anchor', () => {
    expect(CIS_MONITORING_CONTROLS.map((c) => c.controlId)).toEqual(
      Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`),
    );
    for (const c of CIS_MONITORING_CONTROLS) {
      expect(c.sourceUrl).toBe(
        `https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-${c.controlId.split('.')[1]}`,
      );
      expect(['critical', 'high', 'medium']).toContain(c.severity);
    }
  });

  it('CloudWatch.1 is the project root-usage pattern, whitespace aside, and the guide subject', () => {
    const c = control('CloudWatch.1');
    expect(c.filterPattern).not.toBe(ROOT_USAGE_FILTER_PATTERN); // AWS prints it with fewer spaces
    expect(squeeze(c.filterPattern)).toBe(squeeze(ROOT_USAGE_FILTER_PATTERN));
    expect(c.subjectKo).toBe(DEFAULT_SUBJECT_MAP['root-alert']);
  });

  it.each(CIS_MONITORING_CONTROLS.map((c) => [c.controlId, c] as const))(
    '%s: the pattern parses and names exactly the listed events',
    (_id, c) => {
      expect(() => compileFilterPattern(c.filterPattern)).not.toThrow();
      expect(namesInPattern(c.filterPattern).sort()).toEqual([...c.eventNames].sort());
      if (c.patternEventSource !== null) {
        expect(c.filterPattern).toContain(`($.eventSource=${c.patternEventSource})`);
      }
      if (c.cisGuidancePattern !== undefined) {
        // The CIS form is the current pattern without its event-source test.
        expect(() => compileFilterPattern(c.cisGuidancePattern!)).not.toThrow();
        expect(namesInPattern(c.cisGuidancePattern).sort()).toEqual([...c.eventNames].sort());
        expect(c.filterPattern).toBe(
          `{($.eventSource=${c.patternEventSource}) && (${c.cisGuidancePattern.slice(1, -1)})}`,
        );
      }
    },
  );

  it('only CloudWatch.4 and .13 print a pattern other than the CIS one', () => {
    expect(
      CIS_MONITORING_CONTROLS.filter((c) => c.cisGuidancePattern !== undefined).map((c) => c.controlId),
    ).toEqual(['CloudWatch.4', 'CloudWatch.13']);
  });

  const byName = CIS_MONITORING_CONTROLS.filter(
    (c) => c.eventNames.length > 0 && c.controlId !== 'CloudWatch.3',
  )
    .filter((c) => c.controlId !== 'CloudWatch.6')
    .flatMap((c) => c.eventNames.map((name) => [c.controlId, name, c] as const));

  it.each(byName)('%s matches a %s record and not a record of another name or source', (_id, name, c) => {
    const compiled = compileFilterPattern(c.filterPattern);
    expect(compiled.matches(record({ eventSource: c.recordedEventSource, eventName: name }))).toBe(true);
    expect(compiled.matches(record({ eventSource: c.recordedEventSource, eventName: `${name}X` }))).toBe(
      false,
    );
    if (c.patternEventSource !== null) {
      expect(compiled.matches(record({ eventSource: 'sts.amazonaws.com', eventName: name }))).toBe(false);
    }
    if (c.cisGuidancePattern !== undefined) {
      const cis = compileFilterPattern(c.cisGuidancePattern);
      expect(cis.matches(record({ eventSource: c.recordedEventSource, eventName: name }))).toBe(true);
      expect(cis.matches(record({ eventSource: 'sts.amazonaws.com', eventName: name }))).toBe(true);
    }
  });

  it('CloudWatch.1 matches root use, not root use by a service or an AWS service event', () => {
    const cis = compileFilterPattern(control('CloudWatch.1').filterPattern);
    const root = { type: 'Root', accountId: '222222222222', arn: 'arn:aws:iam::222222222222:root' };
    expect(cis.matches(record({ userIdentity: root, eventName: 'ListBuckets' }))).toBe(true);
    expect(
      cis.matches(
        record({
          userIdentity: { ...root, invokedBy: 'cloudformation.amazonaws.com' },
          eventName: 'CreateBucket',
        }),
      ),
    ).toBe(false);
    expect(cis.matches(record({ userIdentity: root, eventType: 'AwsServiceEvent', eventName: 'X' }))).toBe(
      false,
    );
    expect(cis.matches(record({ eventName: 'ListBuckets' }))).toBe(false);
  });

  it('CloudWatch.2 matches failed calls by error code only', () => {
    const c = compileFilterPattern(control('CloudWatch.2').filterPattern);
    expect(c.matches(record({ eventName: 'GetObject', errorCode: 'AccessDenied' }))).toBe(true);
    expect(c.matches(record({ eventName: 'RunInstances', errorCode: 'Client.UnauthorizedOperation' }))).toBe(
      true,
    );
    expect(c.matches(record({ eventName: 'RunInstances', errorCode: 'InvalidParameter' }))).toBe(false);
    expect(c.matches(record({ eventName: 'RunInstances' }))).toBe(false);
  });

  it('CloudWatch.3 matches a successful IAM user sign-in without MFA only', () => {
    const c = compileFilterPattern(control('CloudWatch.3').filterPattern);
    const signIn = (mfa: string, type: string, result: string) =>
      record({
        eventType: 'AwsConsoleSignIn',
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        userIdentity: { type, accountId: '222222222222' },
        additionalEventData: { MFAUsed: mfa },
        responseElements: { ConsoleLogin: result },
      });
    expect(c.matches(signIn('No', 'IAMUser', 'Success'))).toBe(true);
    expect(c.matches(signIn('Yes', 'IAMUser', 'Success'))).toBe(false);
    expect(c.matches(signIn('No', 'Root', 'Success'))).toBe(false);
    expect(c.matches(signIn('No', 'IAMUser', 'Failure'))).toBe(false);
  });

  it('CloudWatch.6 matches a failed console sign-in', () => {
    const c = compileFilterPattern(control('CloudWatch.6').filterPattern);
    const signIn = (errorMessage?: string) =>
      record({
        eventType: 'AwsConsoleSignIn',
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        ...(errorMessage === undefined ? {} : { errorMessage }),
      });
    expect(c.matches(signIn('Failed authentication'))).toBe(true);
    expect(c.matches(signIn())).toBe(false);
  });

  it('exports every watched event name, and the pack subjects by metric name', () => {
    const all = CIS_MONITORING_CONTROLS.flatMap((c) => c.eventNames);
    expect([...CIS_WATCHED_EVENT_NAMES].sort()).toEqual([...new Set(all)].sort());
    expect(CIS_WATCHED_EVENT_NAMES.has('ConsoleLogin')).toBe(true);
    expect(CIS_WATCHED_EVENT_NAMES.has('PutBucketPolicy')).toBe(true);
    expect(Object.keys(CIS_SUBJECTS_KO)).toHaveLength(14);
    expect(CIS_SUBJECTS_KO['IAMPolicyChanges']).toBe('IAM 정책 변경');
    expect(new Set(Object.values(CIS_SUBJECTS_KO)).size).toBe(14);
  });
});

describe('pipeline calls', () => {
  it('covers every call of issue 9 item 3(a)', () => {
    const expected: Record<string, string[]> = {
      'cloudtrail.amazonaws.com': ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'],
      'logs.amazonaws.com': ['DeleteMetricFilter', 'PutMetricFilter', 'DeleteLogGroup', 'PutRetentionPolicy'],
      'monitoring.amazonaws.com': ['DeleteAlarms', 'DisableAlarmActions', 'PutMetricAlarm', 'SetAlarmState'],
      'sns.amazonaws.com': ['Unsubscribe', 'DeleteTopic', 'SetTopicAttributes', 'RemovePermission'],
      'lambda.amazonaws.com': [
        'DeleteFunction',
        'UpdateFunctionCode',
        'UpdateFunctionConfiguration',
        'PutFunctionConcurrency',
        'RemovePermission',
        'PutFunctionEventInvokeConfig',
      ],
      'events.amazonaws.com': ['DisableRule', 'DeleteRule', 'RemoveTargets', 'PutRule', 'PutTargets'],
      'scheduler.amazonaws.com': ['DeleteSchedule', 'UpdateSchedule'],
      'ssm.amazonaws.com': ['PutParameter', 'DeleteParameter'],
      'secretsmanager.amazonaws.com': ['PutSecretValue', 'UpdateSecret', 'DeleteSecret'],
      'dynamodb.amazonaws.com': ['DeleteTable', 'UpdateTimeToLive'],
      'kms.amazonaws.com': ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'],
      'organizations.amazonaws.com': ['LeaveOrganization', 'RemoveAccountFromOrganization', 'AttachPolicy'],
    };
    for (const [source, names] of Object.entries(expected)) {
      for (const name of names) expect(isPipelineCall(source, name), `${source} ${name}`).toBe(true);
    }
    expect(PIPELINE_CALL_GROUPS.map((g) => g.eventSource).sort()).toEqual(Object.keys(expected).sort());
    expect(new Set(PIPELINE_CALL_KEYS).size).toBe(PIPELINE_CALL_KEYS.length);
  });

  it('accepts the Lambda event names CloudTrail records, with their version suffixes', () => {
    for (const name of [
      'UpdateFunctionCode20150331v2',
      'UpdateFunctionConfiguration20150331v2',
      'PutFunctionConcurrency20171031',
      'RemovePermission20150331v2',
      'DeleteFunction20150331',
      'UpdateAlias20150331',
    ]) {
      expect(isPipelineCall('lambda.amazonaws.com', name), name).toBe(true);
    }
    const lambda = PIPELINE_CALL_GROUPS.find((g) => g.eventSource === 'lambda.amazonaws.com')!;
    for (const call of lambda.calls) {
      if (call.recordedAs !== undefined) {
        expect(bareEventName('lambda.amazonaws.com', call.recordedAs)).toBe(call.name);
      }
    }
    expect(bareEventName('lambda.amazonaws.com', 'Invoke')).toBe('Invoke');
    expect(isPipelineCall('lambda.amazonaws.com', 'GetFunction20150331v2')).toBe(false);
    expect(isPipelineCall('lambda.amazonaws.com', 'AddPermission20150331v2')).toBe(false);
  });

  it('strips version suffixes for Lambda only, and needs the right event source', () => {
    expect(isPipelineCall('sns.amazonaws.com', 'RemovePermission20150331v2')).toBe(false);
    expect(isPipelineCall('iam.amazonaws.com', 'DeleteTrail')).toBe(false);
    expect(isPipelineCall('cloudtrail.amazonaws.com', 'LookupEvents')).toBe(false);
    expect(isPipelineCall('ssm.amazonaws.com', 'GetParameter')).toBe(false);
  });
});
