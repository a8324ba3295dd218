import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT_USAGE_FILTER_PATTERN } from '../../src/defaults.js';
import { acknowledgments, only, selfTestSchedule, synth, type Synthesized } from './synth.js';

/** Joins an `Fn::Join` value, writing each non-string part as `<Ref>` / `<Logical.Attr>`. */
function joined(value: unknown): string {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      if (ref !== undefined) return `<${ref}>`;
      const getAtt = (part as { 'Fn::GetAtt': string[] })['Fn::GetAtt'];
      return `<${getAtt.join('.')}>`;
    })
    .join(join[0]);
}

/** The failure queue (the other queue is the EventBridge dead-letter queue). */
function failureQueue(s: Synthesized): { id: string; properties: Record<string, unknown> } {
  const queues = Object.entries(s.template.findResources('AWS::SQS::Queue')).filter(
    ([, queue]) => queue.Properties.QueueName === 'secu-alert-dooray-failures',
  );
  if (queues.length !== 1) throw new Error(`expected one failure queue, found ${queues.length}`);
  const [id, queue] = queues[0] as [string, { Properties: Record<string, unknown> }];
  return { id, properties: queue.Properties };
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Statements of the IAM policies attached to the role whose logical id starts with `rolePrefix`. */
function roleStatements(s: Synthesized, rolePrefix: string): Statement[] {
  return Object.values(s.template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

describe('SecuAlertDoorayStack, default props (new trail, SSM parameter)', () => {
  let s: Synthesized;
  let topicId: string;
  let opsTopicId: string;
  let functionId: string;
  let trailLogGroupId: string;
  beforeAll(() => {
    s = synth();
    const topics = s.template.findResources('AWS::SNS::Topic');
    topicId = Object.keys(topics).find((id) => topics[id]?.Properties.TopicName === 'root-alert') ?? '';
    opsTopicId = Object.keys(topics).find((id) => id !== topicId) ?? '';
    functionId = only(s.template, 'AWS::Lambda::Function').id;
    trailLogGroupId = (
      only(s.template, 'AWS::CloudTrail::Trail').properties.CloudWatchLogsLogGroupArn as {
        'Fn::GetAtt': string[];
      }
    )['Fn::GetAtt'][0] as string;
  });

  describe('CloudTrail source', () => {
    it('creates a multi-region trail of all management events with log file validation', () => {
      s.template.hasResourceProperties('AWS::CloudTrail::Trail', {
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        IsLogging: true,
        EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
        CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [trailLogGroupId, 'Arn'] },
        CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      });
    });

    it('delivers to a private, encrypted, versioned bucket with a lifecycle, kept on stack deletion', () => {
      s.template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          LifecycleConfiguration: {
            Rules: [
              {
                Status: 'Enabled',
                ExpirationInDays: 365,
                NoncurrentVersionExpiration: { NoncurrentDays: 30 },
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
              },
            ],
          },
        },
      });
    });

    it('denies non-TLS access to the bucket and lets CloudTrail write to it', () => {
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:GetBucketAcl',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:PutObject',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
            }),
          ]),
        },
      });
    });

    it('gives the trail log group a 365-day retention and keeps it on stack deletion', () => {
      expect(s.template.toJSON().Resources[trailLogGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        DeletionPolicy: 'Retain',
        Properties: { RetentionInDays: 365 },
      });
    });

    it('lets the CloudTrail role only write log streams of that log group', () => {
      s.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'cloudtrail.amazonaws.com' } })],
        },
      });
      const trailRoleId = (
        only(s.template, 'AWS::CloudTrail::Trail').properties.CloudWatchLogsRoleArn as {
          'Fn::GetAtt': string[];
        }
      )['Fn::GetAtt'][0] as string;
      expect(roleStatements(s, trailRoleId)).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
          Resource: { 'Fn::GetAtt': [trailLogGroupId, 'Arn'] },
        },
      ]);
    });
  });

  describe('metric filter and alarm', () => {
    it('uses the exact CIS pattern string on the trail log group', () => {
      const filter = only(s.template, 'AWS::Logs::MetricFilter').properties;
      expect(filter.FilterPattern).toBe(
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      );
      expect(filter.FilterPattern).toBe(ROOT_USAGE_FILTER_PATTERN);
      expect(filter.LogGroupName).toEqual({ Ref: trailLogGroupId });
      expect(filter.MetricTransformations).toEqual([
        { MetricNamespace: 'CloudTrailMetrics', MetricName: 'RootAccountUsageCount', MetricValue: '1' },
      ]);
    });

    it('alarms root-alert on Sum ≥ 1 over one 300 s period, missing data not breaching, to the topic only', () => {
      const alarm = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).find(
        (resource) => resource.Properties.AlarmName === 'root-alert',
      );
      expect(alarm?.Properties).toEqual({
        AlarmName: 'root-alert',
        AlarmDescription: expect.any(String),
        Namespace: 'CloudTrailMetrics',
        MetricName: 'RootAccountUsageCount',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
      });
    });
  });

  describe('SNS topic root-alert', () => {
    it('is a standard topic without the AWS-managed key', () => {
      expect(s.template.toJSON().Resources[topicId].Properties).toEqual({ TopicName: 'root-alert' });
    });

    it('lets only CloudWatch alarms of this account and region publish, and denies non-TLS publishing', () => {
      const policy = Object.values(s.template.findResources('AWS::SNS::TopicPolicy')).find(
        (resource) => resource.Properties.Topics[0].Ref === topicId,
      );
      expect(policy?.Properties.PolicyDocument.Statement).toEqual([
        {
          Sid: 'AllowPublishThroughSSLOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: { Ref: topicId },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'AllowCloudWatchAlarmsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: topicId },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': expect.anything() },
          },
        },
      ]);
      const sourceArn = policy?.Properties.PolicyDocument.Statement[1].Condition.ArnLike['aws:SourceArn'];
      expect(joined(sourceArn)).toBe(
        'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
      );
    });
  });

  describe('Lambda secu-alert-dooray', () => {
    it('runs the bundle on the newest Node.js runtime of aws-cdk-lib, arm64, 256 MB, 60 s, concurrency 1', () => {
      const newestNode = Object.values(lambda.Runtime)
        .filter((runtime): runtime is lambda.Runtime => runtime instanceof lambda.Runtime)
        .map((runtime) => /^nodejs(\d+)\.x$/.exec(runtime.name))
        .filter((match) => match !== null)
        .map((match) => Number(match[1]))
        .reduce((a, b) => Math.max(a, b));
      expect(newestNode).toBeGreaterThanOrEqual(22);
      s.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'secu-alert-dooray',
        Runtime: `nodejs${newestNode}.x`,
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 60,
        Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
      });
    });

    it('reserves no concurrency (an account with the new-account quota of 10 can deploy it)', () => {
      expect(s.json).not.toContain('ReservedConcurrentExecutions');
    });

    it('configures the handler with the SSM parameter and the guide defaults', () => {
      expect(only(s.template, 'AWS::Lambda::Function').properties.Environment).toEqual({
        Variables: {
          DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url',
          DEFAULT_BOT_NAME: 'AlarmBot',
          NOTIFY_STATES: 'ALARM',
          DEDUPE_TABLE_NAME: { Ref: only(s.template, 'AWS::DynamoDB::Table').id },
          SELF_TEST_ALARM_NAME: 'root-alert-self-test',
          TEST_MARK_KEY_SECRET_ARN: { Ref: only(s.template, 'AWS::SecretsManager::Secret').id },
        },
      });
    });

    it('logs to its own log group kept 90 days', () => {
      const logGroupRef = only(s.template, 'AWS::Lambda::Function').properties.LoggingConfig as {
        LogGroup: { Ref: string };
      };
      expect(s.template.toJSON().Resources[logGroupRef.LogGroup.Ref]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 90 },
      });
    });

    it('retries twice, then sends the event to an encrypted failure queue that keeps it 14 days', () => {
      const queueId = failureQueue(s).id;
      expect(only(s.template, 'AWS::Lambda::EventInvokeConfig').properties).toEqual({
        FunctionName: { Ref: functionId },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      expect(failureQueue(s).properties).toEqual({
        QueueName: 'secu-alert-dooray-failures',
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      });
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ],
        },
      });
    });
  });

  describe('least privilege of the execution role', () => {
    it('is assumed by Lambda only and has no managed policies', () => {
      const roleId = (
        only(s.template, 'AWS::Lambda::Function').properties.Role as { 'Fn::GetAtt': string[] }
      )['Fn::GetAtt'][0] as string;
      const role = s.template.toJSON().Resources[roleId].Properties;
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    });

    it('may write its log group, find the metric filter, search the trail log group, get and put dedupe items, read the account alias, send to its queue and read the one parameter, nothing else', () => {
      const roleId = (
        only(s.template, 'AWS::Lambda::Function').properties.Role as { 'Fn::GetAtt': string[] }
      )['Fn::GetAtt'][0] as string;
      const logGroupId = (
        only(s.template, 'AWS::Lambda::Function').properties.LoggingConfig as { LogGroup: { Ref: string } }
      ).LogGroup.Ref;
      const queueId = failureQueue(s).id;
      const statements = roleStatements(s, roleId);
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
        {
          Sid: 'FindMetricFilter',
          Effect: 'Allow',
          Action: 'logs:DescribeMetricFilters',
          Resource: expect.anything(),
        },
        {
          Sid: 'SearchTrailLogGroup',
          Effect: 'Allow',
          Action: 'logs:FilterLogEvents',
          Resource: expect.anything(),
        },
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:Scan',
          ],
          Resource: [{ 'Fn::GetAtt': [only(s.template, 'AWS::DynamoDB::Table').id, 'Arn'] }],
        },
        { Sid: 'ReadAccountAlias', Effect: 'Allow', Action: 'iam:ListAccountAliases', Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
        },
        {
          Sid: 'ReadHookUrlParameter',
          Effect: 'Allow',
          Action: 'ssm:GetParameter',
          Resource: expect.anything(),
        },
        {
          Sid: 'ReadTestMarkKey',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: { Ref: only(s.template, 'AWS::SecretsManager::Secret').id },
        },
      ]);
      expect(joined(statements[6]?.Resource)).toBe(
        'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/secu-alert-dooray/hook-url',
      );
      expect(joined(statements[1]?.Resource)).toBe(
        'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*',
      );
      const trailLogGroupId = only(s.template, 'AWS::CloudTrail::Trail').properties
        .CloudWatchLogsLogGroupArn as {
        'Fn::GetAtt': string[];
      };
      // The log group's `Arn` attribute ends in `:*`, the form IAM matches for FilterLogEvents.
      expect(statements[2]?.Resource).toEqual({ 'Fn::GetAtt': [trailLogGroupId['Fn::GetAtt'][0], 'Arn'] });
    });

    it('has no wildcard action or resource in any IAM policy of the stack but the acknowledged log-group:* of DescribeMetricFilters and * of ListAccountAliases', () => {
      const statements = Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
      );
      expect(statements.length).toBeGreaterThan(0);
      // The flush schedule's role: Function.grantInvoke names the function and its versions (`:*`), acknowledged.
      const acknowledged = ['logs:DescribeMetricFilters', 'iam:ListAccountAliases', 'lambda:InvokeFunction'];
      for (const statement of statements.filter((st) => !acknowledged.includes(String(st.Action)))) {
        expect([statement.Action].flat().some((action) => action.includes('*'))).toBe(false);
        expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|:\*"/);
      }
    });
  });

  describe('topic → function', () => {
    it('subscribes the function to the topic', () => {
      expect(only(s.template, 'AWS::SNS::Subscription').properties).toEqual({
        Protocol: 'lambda',
        TopicArn: { Ref: topicId },
        Endpoint: { 'Fn::GetAtt': [functionId, 'Arn'] },
      });
    });

    it('lets only this topic of this account invoke the function', () => {
      const permissions = Object.values(s.template.findResources('AWS::Lambda::Permission')).map(
        (r) => r.Properties as Record<string, unknown>,
      );
      expect(permissions.filter((p) => p['Principal'] === 'sns.amazonaws.com')).toHaveLength(1);
      expect(permissions.find((p) => p['Principal'] === 'sns.amazonaws.com')).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: topicId },
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
    });
  });

  describe('failure path', () => {
    it('alarms on visible messages of the failure queue, to the operations topic', () => {
      const queueId = failureQueue(s).id;
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'secu-alert-dooray-failed-deliveries',
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: opsTopicId }],
      });
    });

    it("alarms on the function's errors, to the operations topic", () => {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'secu-alert-dooray-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
        Statistic: 'Sum',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: opsTopicId }],
      });
    });

    it('keeps the operations topic apart from root-alert, which nothing but the root alarm and its self-test alarm notify', () => {
      expect(opsTopicId).not.toBe('');
      expect(s.template.toJSON().Resources[opsTopicId].Properties).toEqual({
        TopicName: 'secu-alert-dooray-ops',
      });
      const notifyingTopic = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).filter(
        (alarm) => JSON.stringify(alarm.Properties).includes(`"${topicId}"`),
      );
      expect(notifyingTopic.map((alarm) => alarm.Properties.AlarmName).sort()).toEqual([
        'root-alert',
        'root-alert-self-test',
      ]);
      s.template.resourceCountIs('AWS::SNS::Subscription', 1);
    });
  });

  describe('periodic self-test', () => {
    const lambdaEnvironment = () =>
      (
        only(s.template, 'AWS::Lambda::Function').properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    it('sets the self-test alarm to ALARM monthly, in Seoul time, through the universal target', () => {
      s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 10 1 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Seoul',
        State: 'ENABLED',
        Target: {
          Arn: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:cloudwatch:setAlarmState'],
            ],
          },
        },
      });
      const target = selfTestSchedule(s.template).properties.Target as { Input: string };
      expect(JSON.parse(target.Input)).toEqual({
        AlarmName: 'root-alert-self-test',
        StateValue: 'ALARM',
        StateReason: expect.stringMatching(/^\[정기 테스트\] /),
      });
    });

    it('the self-test alarm: same action as root-alert, a metric nothing writes, missing data not breaching', () => {
      const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map(
        (a) => a.Properties,
      );
      const root = alarms.find((a) => a.AlarmName === 'root-alert');
      const selfTest = alarms.find((a) => a.AlarmName === 'root-alert-self-test');
      expect(selfTest).toMatchObject({
        Namespace: 'SecuAlertDooray',
        MetricName: 'SelfTestNeverWritten',
        TreatMissingData: 'notBreaching',
        AlarmActions: root?.AlarmActions,
      });
      expect(selfTest?.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(lambdaEnvironment()['SELF_TEST_ALARM_NAME']).toBe('root-alert-self-test');
    });

    it('the test-mark key: a generated secret of 48 characters the function may read', () => {
      const { id, properties } = only(s.template, 'AWS::SecretsManager::Secret');
      expect(properties['GenerateSecretString']).toEqual({ PasswordLength: 48, ExcludePunctuation: true });
      expect(lambdaEnvironment()['TEST_MARK_KEY_SECRET_ARN']).toEqual({ Ref: id });
    });

    it('uses a role that only the scheduler of this account assumes and that may only publish to the topic', () => {
      const roleArn = (selfTestSchedule(s.template).properties.Target as { RoleArn: unknown }).RoleArn as {
        'Fn::GetAtt': string[];
      };
      const roleId = roleArn['Fn::GetAtt'][0] as string;
      expect(s.template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
      // Set the self-test alarm's state, and send what Scheduler cannot deliver to the events dead-letter queue.
      expect(roleStatements(s, roleId)).toEqual([
        {
          Effect: 'Allow',
          Action: 'cloudwatch:SetAlarmState',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SelfTestAlarm/), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EventsDeadLetterQueue/), 'Arn'] },
        },
      ]);
    });
  });

  describe('checks', () => {
    it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
      expect(s.nag.violations).toEqual([]);
      expect(s.nag.success).toBe(true);
    });

    it('suppresses only these findings, each with a reason', () => {
      const acks = acknowledgments(s.stack);
      expect(acks.map(({ path, id }) => `${path} ${id}`)).toEqual([
        'Topic Annotation::AwsSolutions-SNS2',
        'FailurePath/OpsTopic Annotation::AwsSolutions-SNS2',
        'FailurePath/FailureQueue Annotation::AwsSolutions-SQS3',
        'FailurePath/EventsDeadLetterQueue Annotation::AwsSolutions-SQS3',
        'Trail/Bucket Annotation::AwsSolutions-S1',
        'TestMarkKey Annotation::AwsSolutions-SMG4',
        'AlertFunction/FunctionRole Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
        'AlertFunction/FunctionRole Annotation::AwsSolutions-IAM5[Resource::*]',
        'AlertFunction/DedupeTable Annotation::AwsSolutions-DDB3',
        'Flush/Role Annotation::AwsSolutions-IAM5[Resource::<Function76856677.Arn>:*]',
      ]);
      for (const { reason } of acks) expect(reason.length).toBeGreaterThan(60);
    });

    it('synthesizes without warnings or errors', () => {
      expect(s.annotations.findWarning('*', Match.anyValue())).toEqual([]);
      expect(s.annotations.findError('*', Match.anyValue())).toEqual([]);
    });

    it('outputs the names the CLI and operators need', () => {
      expect(Object.keys(s.template.toJSON().Outputs).sort()).toEqual([
        'FailureQueueUrl',
        'FunctionName',
        'OpsTopicArn',
        'TopicArn',
      ]);
    });
  });
});
