import { readFileSync } from 'node:fs';
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, settingsFromContext } from '../../infra/context.js';

const read = (context: Record<string, unknown>) => settingsFromContext((key) => context[key]);

describe('settingsFromContext', () => {
  it('leaves every prop to the stack defaults when no context is given', () => {
    const { stackName, props } = read({});
    expect(stackName).toBe('SecuAlertDooray');
    expect(Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined))).toEqual({
      selfTest: { expression: undefined, timeZone: undefined },
    });
  });

  it('types command-line strings into props', () => {
    const { stackName, props } = read({
      stackName: 'RootAlerts',
      trailLogGroupName: 'ct-logs',
      trailLogRetentionDays: '400',
      trailBucketExpirationDays: '730',
      alarmName: 'root-alert-v2',
      topicName: 'root-alert-v2',
      functionName: 'secu-alert-dooray-v2',
      existingTopicArn: 'arn:aws:sns:ap-northeast-2:111122223333:root-alert',
      createAlarm: 'false',
      encryptTopics: 'true',
      hookUrlSecretArn: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:x-AbCdEf',
      hookUrlKmsKeyArn: 'arn:aws:kms:ap-northeast-2:111122223333:key/k',
      reservedConcurrency: '1',
      functionLogRetentionDays: 30,
      maxEventAgeSeconds: '3600',
      botName: 'RootWatch',
      botIcon: 'https://example.com/i.png',
      notifyStates: 'ALARM, OK',
      subjectMap: '{"a":"b"}',
      locale: 'en',
      timezone: 'UTC',
      minIntervalMs: '1200',
      allowedHosts: 'a.example.com,b.example.com',
      opsEmail: 'ops@example.com',
      selfTestSchedule: 'rate(30 days)',
      selfTestTimeZone: 'UTC',
    });
    expect(stackName).toBe('RootAlerts');
    expect(props).toEqual({
      trailLogGroupName: 'ct-logs',
      trailLogRetentionDays: 400,
      trailBucketExpirationDays: 730,
      alarmName: 'root-alert-v2',
      topicName: 'root-alert-v2',
      functionName: 'secu-alert-dooray-v2',
      existingTopicArn: 'arn:aws:sns:ap-northeast-2:111122223333:root-alert',
      createAlarm: false,
      encryptTopics: true,
      hookUrl: {
        kind: 'secret',
        secretArn: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:x-AbCdEf',
        kmsKeyArn: 'arn:aws:kms:ap-northeast-2:111122223333:key/k',
      },
      reservedConcurrency: 1,
      functionLogRetentionDays: 30,
      maxEventAge: Duration.seconds(3600),
      botName: 'RootWatch',
      botIcon: 'https://example.com/i.png',
      notifyStates: ['ALARM', 'OK'],
      subjectMap: { a: 'b' },
      locale: 'en',
      timezone: 'UTC',
      minIntervalMs: 1200,
      allowedHosts: ['a.example.com', 'b.example.com'],
      opsEmail: 'ops@example.com',
      selfTest: { expression: 'rate(30 days)', timeZone: 'UTC' },
    });
  });

  it.each([
    [{ hookUrlParameter: '/x' }, { kind: 'parameter', parameterName: '/x', kmsKeyArn: undefined }],
    [
      { hookUrlKmsKeyArn: 'k' },
      { kind: 'parameter', parameterName: '/secu-alert-dooray/hook-url', kmsKeyArn: 'k' },
    ],
    [{ plainHookUrl: true }, { kind: 'plain' }],
  ])('chooses the URL source from %j', (context, hookUrl) => {
    expect(read(context).props.hookUrl).toEqual(hookUrl);
  });

  it('turns the self-test off', () => {
    expect(read({ selfTest: 'false' }).props.selfTest).toBe(false);
  });

  it.each([
    [{ hookUrl: 'https://hook.dooray.com/services/1/2/t' }, /must not be recorded/],
    [{ hookUrlParameter: '/x', plainHookUrl: 'true' }, /at most one/],
    [{ hookUrlParameter: '/x', hookUrlSecretArn: 'arn:aws:secretsmanager:r:1:secret:s' }, /at most one/],
    [{ plainHookUrl: 'true', hookUrlKmsKeyArn: 'k' }, /does not apply/],
    [{ trailLogRetentionDays: '100' }, /does not offer a retention of 100 days/],
    [{ functionLogRetentionDays: 'ninety' }, /must be an integer/],
    [{ maxEventAgeSeconds: '30' }, /from 60 to 21600/],
    [{ reservedConcurrency: 'no' }, /integer from 1 to 1000/],
    [{ notifyStates: 'ALARM,RECOVERED' }, /unknown alarm state RECOVERED/],
    [{ subjectMap: '["root-alert"]' }, /JSON object of strings/],
    [{ locale: 'ja' }, /ko or en/],
    [{ botName: 42 }, /must be a string/],
    [{ opsEmail: 'secops' }, /not an email address/],
    [{ trailLogGroupName: 'arn:aws:logs:ap-northeast-2:111122223333:log-group:ct' }, /not a log group name/],
  ])('rejects %j', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});

describe('docs/deploy.md', () => {
  const doc = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
  const [korean, english] = doc.split('\n## English\n');

  it.each(Object.keys(CONTEXT_KEYS))('documents the context key %s in Korean and in English', (key) => {
    expect(korean).toContain(`\`${key}\``);
    expect(english).toContain(`\`${key}\``);
  });
});
