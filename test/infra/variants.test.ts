import { App, Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleTemplateStack, type ConsoleTemplateStackProps } from '../../infra/console-template.js';
import { SecuAlertDoorayStack } from '../../infra/stack.js';
import { acknowledgments, only, selfTestSchedule, synth, type Synthesized } from './synth.js';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:dooray/hook-AbCdEf';
const KEY_ARN = 'arn:aws:kms:ap-northeast-2:111122223333:key/0a1b2c3d-0000-1111-2222-333344445555';
const OLD_TOPIC_ARN = 'arn:aws:sns:ap-northeast-2:111122223333:root-alert';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

/** Statements of the function's execution role. */
function functionRoleStatements(s: Synthesized): Statement[] {
  const role = (only(s.template, 'AWS::Lambda::Function').properties.Role as { 'Fn::GetAtt': string[] })[
    'Fn::GetAtt'
  ][0];
  return Object.values(s.template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function topicIdNamed(s: Synthesized, name: string): string | undefined {
  const topics = s.template.findResources('AWS::SNS::Topic');
  return Object.keys(topics).find((id) => topics[id]?.Properties.TopicName === name);
}

describe('secret, customer-managed keys, recovery messages, existing trail log group', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      trailLogGroupName: 'aws-cloudtrail-logs-111122223333',
      hookUrl: { kind: 'secret', secretArn: SECRET_ARN, kmsKeyArn: KEY_ARN },
      encryptTopics: true,
      notifyStates: ['ALARM', 'OK'],
      opsEmail: 'secops@example.com',
      reservedConcurrency: 2,
      functionLogRetentionDays: logs.RetentionDays.SIX_MONTHS,
      maxEventAge: Duration.hours(1),
      botName: 'RootWatch',
      botIcon: 'https://example.com/icon.png',
      subjectMap: { 'other-alarm': '다른 경보' },
      locale: 'en',
      timezone: 'UTC',
      minIntervalMs: 1500,
      allowedHosts: ['nhn.dooray.com', 'hook.example.com'],
      selfTest: { expression: 'rate(7 days)', timeZone: 'UTC' },
    });
  });

  it('uses the existing log group and creates no trail, bucket or trail log group', () => {
    expect(only(s.template, 'AWS::Logs::MetricFilter').properties.LogGroupName).toBe(
      'aws-cloudtrail-logs-111122223333',
    );
    s.template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    s.template.resourceCountIs('AWS::S3::Bucket', 0);
    s.template.resourceCountIs('AWS::Logs::LogGroup', 1); // the function's
  });

  it('adds the OK action for recovery messages and tells the handler to send them', () => {
    const topicId = topicIdNamed(s, 'root-alert');
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'root-alert',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
      InsufficientDataActions: Match.absent(),
    });
  });

  it('sets every handler variable from its prop', () => {
    expect(only(s.template, 'AWS::Lambda::Function').properties.Environment).toEqual({
      Variables: {
        DOORAY_HOOK_URL_SECRET_ARN: SECRET_ARN,
        DEFAULT_BOT_NAME: 'RootWatch',
        DEFAULT_BOT_ICON: 'https://example.com/icon.png',
        NOTIFY_STATES: 'ALARM,OK',
        SUBJECT_MAP: '{"other-alarm":"다른 경보"}',
        ALERT_LOCALE: 'en',
        ALERT_TIMEZONE: 'UTC',
        DOORAY_MIN_INTERVAL_MS: '1500',
        DOORAY_ALLOWED_HOSTS: 'nhn.dooray.com,hook.example.com',
        DEDUPE_TABLE_NAME: { Ref: only(s.template, 'AWS::DynamoDB::Table').id },
        TEST_MARK_KEY_SECRET_ARN: { Ref: only(s.template, 'AWS::SecretsManager::Secret').id },
        SELF_TEST_ALARM_NAME: 'root-alert-self-test',
      },
    });
  });

  it('reads only the secret, and decrypts with its key only through Secrets Manager', () => {
    const statements = functionRoleStatements(s);
    expect(statements).toContainEqual({
      Sid: 'ReadHookUrlSecret',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: SECRET_ARN,
    });
    expect(statements).toContainEqual({
      Sid: 'DecryptHookUrl',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY_ARN,
      Condition: {
        StringEquals: {
          'kms:ViaService': [
            { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          ],
        },
      },
    });
    expect(JSON.stringify(statements)).not.toContain('ssm:');
    // + log group, metric filter, trail log group, table, alias, queue, the test-mark key
    expect(statements).toHaveLength(9);
  });

  it('reserves the concurrency asked for, with the given log retention and event age', () => {
    const fn = only(s.template, 'AWS::Lambda::Function').properties;
    expect(fn.ReservedConcurrentExecutions).toBe(2);
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 180 });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumEventAgeInSeconds: 3600 });
  });

  it('encrypts both topics with a rotating customer-managed key that CloudWatch may use', () => {
    const keyId = only(s.template, 'AWS::KMS::Key').id;
    const key = only(s.template, 'AWS::KMS::Key').properties;
    expect(key.EnableKeyRotation).toBe(true);
    expect((key.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsToUseTheKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
    const topics = Object.values(s.template.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(2);
    for (const topic of topics) {
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    expect(s.json).not.toContain('alias/aws/sns');
  });

  it('subscribes the operations email to the operations topic only', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
      TopicArn: { Ref: topicIdNamed(s, 'secu-alert-dooray-ops') },
    });
  });

  it('self-tests through the encrypted topic: CloudWatch publishes with the key, the schedule only sets the alarm', () => {
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(7 days)',
      ScheduleExpressionTimezone: 'UTC',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'root-alert-self-test',
      AlarmActions: [{ Ref: topicIdNamed(s, 'root-alert') }],
    });
    const roleId = (
      (
        selfTestSchedule(s.template).properties.Target as {
          RoleArn: { 'Fn::GetAtt': string[] };
        }
      ).RoleArn['Fn::GetAtt'][0] as string
    ).toString();
    const statements = Object.values(s.template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles[0].Ref === roleId)
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
    expect(JSON.stringify(statements)).not.toMatch(/kms:|sns:/);
  });

  it('has no unacknowledged cdk-nag finding, and suppresses only these', () => {
    expect(s.nag.violations).toEqual([]);
    expect(acknowledgments(s.stack).map(({ path, id }) => `${path} ${id}`)).toEqual([
      'FailurePath/FailureQueue Annotation::AwsSolutions-SQS3',
      'FailurePath/EventsDeadLetterQueue Annotation::AwsSolutions-SQS3',
      'TestMarkKey Annotation::AwsSolutions-SMG4',
      'AlertFunction/FunctionRole Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:aws-cloudtrail-logs-111122223333:*]',
      'AlertFunction/FunctionRole Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
      'AlertFunction/FunctionRole Annotation::AwsSolutions-IAM5[Resource::*]',
      'AlertFunction/DedupeTable Annotation::AwsSolutions-DDB3',
      'Flush/Role Annotation::AwsSolutions-IAM5[Resource::<Function76856677.Arn>:*]',
    ]);
  });
});

describe('SSM parameter with a customer-managed key, insufficient-data messages', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      hookUrl: { kind: 'parameter', parameterName: '/team/dooray', kmsKeyArn: KEY_ARN },
      notifyStates: ['ALARM', 'INSUFFICIENT_DATA'],
      selfTest: false,
    });
  });

  it('reads the named parameter and decrypts only through SSM', () => {
    const statements = functionRoleStatements(s);
    expect(JSON.stringify(statements)).toContain(':parameter/team/dooray"');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: KEY_ARN,
        Condition: {
          StringEquals: {
            'kms:ViaService': [{ 'Fn::Join': ['', ['ssm.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }],
          },
        },
      }),
    );
    expect(only(s.template, 'AWS::Lambda::Function').properties.Environment).toMatchObject({
      Variables: { DOORAY_HOOK_URL_PARAMETER: '/team/dooray', NOTIFY_STATES: 'ALARM,INSUFFICIENT_DATA' },
    });
  });

  it('adds the insufficient-data action but no OK action', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'root-alert',
      InsufficientDataActions: [{ Ref: topicIdNamed(s, 'root-alert') }],
      OKActions: Match.absent(),
    });
  });

  it('creates no schedule when the self-test is off', () => {
    expect(() => selfTestSchedule(s.template)).toThrow(/found 0/);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag.violations).toEqual([]);
  });
});

describe("the guide's plain DOORAY_HOOK_URL", () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ hookUrl: { kind: 'plain' } });
  });

  it('takes the URL as a NoEcho parameter without a default', () => {
    expect(s.template.toJSON().Parameters.DoorayHookUrl).toEqual({
      Type: 'String',
      NoEcho: true,
      Description: expect.stringContaining('Visible'),
    });
    expect(only(s.template, 'AWS::Lambda::Function').properties.Environment).toMatchObject({
      Variables: { DOORAY_HOOK_URL: { Ref: 'DoorayHookUrl' } },
    });
  });

  it("warns at synth that the URL will be visible in the function's configuration", () => {
    const warnings = s.annotations.findWarning('*', Match.stringLikeRegexp('visible in the configuration'));
    expect(warnings).toHaveLength(1);
  });

  it('grants no parameter or secret access but the test-mark key', () => {
    const statements = functionRoleStatements(s).filter((st) => st.Sid !== 'ReadTestMarkKey');
    expect(JSON.stringify(statements)).not.toMatch(/ssm:|secretsmanager:|kms:/);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag.violations).toEqual([]);
  });
});

describe('migration from the guide: existing topic and alarm', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ existingTopicArn: OLD_TOPIC_ARN, createAlarm: false, functionName: 'secu-alert-dooray-v2' });
  });

  it('creates no trail, metric filter, root alarm or alarm topic', () => {
    s.template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    s.template.resourceCountIs('AWS::Logs::MetricFilter', 0);
    expect(topicIdNamed(s, 'root-alert')).toBeUndefined();
    const alarmNames = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmName,
    );
    expect(alarmNames.sort()).toEqual([
      'root-alert-self-test',
      'secu-alert-dooray-v2-errors',
      'secu-alert-dooray-v2-events-undelivered',
      'secu-alert-dooray-v2-failed-deliveries',
      'secu-alert-dooray-v2-fast-path-failed-invocations',
    ]);
    // Only the operations topic gets a policy: the existing topic's is left alone.
    s.template.resourceCountIs('AWS::SNS::TopicPolicy', 1);
  });

  it('subscribes the new function to the existing topic, which alone may invoke it', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: OLD_TOPIC_ARN,
    });
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      SourceArn: OLD_TOPIC_ARN,
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'secu-alert-dooray-v2' });
  });

  it("self-tests through the existing topic, with an alarm named after the existing alarm's", () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'root-alert-self-test',
      AlarmActions: [OLD_TOPIC_ARN],
    });
    const target = selfTestSchedule(s.template).properties.Target as { Input: string };
    expect(JSON.parse(target.Input)).toMatchObject({
      AlarmName: 'root-alert-self-test',
      StateValue: 'ALARM',
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag.violations).toEqual([]);
  });
});

describe('deploying beside the guide under other names', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      alarmName: 'root-alert-v2',
      topicName: 'root-alert-v2',
      functionName: 'secu-alert-dooray-v2',
      trailLogRetentionDays: logs.RetentionDays.FIVE_YEARS,
      trailBucketExpirationDays: 2000,
    });
  });

  it('names the alarm, the topic, the function and the failure resources after the props', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'root-alert-v2',
      AlarmActions: [{ Ref: topicIdNamed(s, 'root-alert-v2') }],
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'secu-alert-dooray-v2' });
    s.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'secu-alert-dooray-v2-failures' });
    expect(topicIdNamed(s, 'secu-alert-dooray-v2-ops')).toBeDefined();
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag.violations).toEqual([]);
  });

  it("keeps the new trail's logs as long as asked", () => {
    const trail = only(s.template, 'AWS::CloudTrail::Trail').properties;
    const logGroupId = (trail.CloudWatchLogsLogGroupArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ?? '';
    expect(s.template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(1827);
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 2000 })] },
    });
  });

  it("maps the renamed alarm to the guide's subject", () => {
    expect(only(s.template, 'AWS::Lambda::Function').properties.Environment).toMatchObject({
      Variables: { SUBJECT_MAP: '{"root-alert-v2":"root 계정"}' },
    });
  });
});

describe('invalid props', () => {
  it.each([
    [{ createAlarm: false }, /needs existingTopicArn/],
    [{ hookUrl: { kind: 'parameter', parameterName: 'no-slash' } } as const, /must start with "\/"/],
    [{ hookUrl: { kind: 'secret', secretArn: 'my-secret' } } as const, /secret ARN/],
  ])('rejects %j', (props, message) => {
    expect(() => new SecuAlertDoorayStack(new App(), 'Invalid', props)).toThrow(message);
  });

  it.each([
    [{ opsEmail: 'a@example.com', botName: 'x' }, /leave opsEmail, botName unset/],
    [{ createAlarm: false }, /always creates the alarm/],
  ])('rejects %j in the console template', (props, message) => {
    // The props type leaves them out; a JavaScript caller may still pass them.
    const given = props as ConsoleTemplateStackProps;
    expect(() => new ConsoleTemplateStack(new App(), 'Invalid', given)).toThrow(message);
  });
});
