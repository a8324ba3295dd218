/**
 * A mocked AWS account for the operator commands: `healthyAccount()` answers every read the audit makes with
 * the shapes of the AWS API references (CloudTrail, CloudWatch Logs, CloudWatch, SNS, Lambda, EC2, IAM) for a
 * deployment that passes every check; tests then override one answer to break one check.
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ROOT_USAGE_FILTER_PATTERN } from '../../src/defaults.js';

export const ACCOUNT = '111122223333';
export const REGION = 'ap-northeast-2';
export const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/management-trail`;
export const LOG_GROUP = `aws-cloudtrail-logs-${ACCOUNT}`;
export const ALARM_ARN = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:root-alert`;
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:root-alert`;
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:secu-alert-dooray`;
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:secu-alert-dooray-failures`;
export const DAY_MS = 86_400_000;

/** The mocks of every client the operator commands use. */
export const aws = {
  cloudtrail: mockClient(CloudTrailClient),
  cloudwatch: mockClient(CloudWatchClient),
  logs: mockClient(CloudWatchLogsClient),
  ec2: mockClient(EC2Client),
  iam: mockClient(IAMClient),
  lambda: mockClient(LambdaClient),
  sns: mockClient(SNSClient),
  sqs: mockClient(SQSClient),
  sts: mockClient(STSClient),
};

/** An AWS SDK v3 service exception as the SDK throws it (`name` is the error code). */
export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** The `root-alert` alarm as DescribeAlarms / DescribeAlarmsForMetric return it (healthy). */
export function rootAlarm(overrides: Partial<MetricAlarm> = {}): MetricAlarm {
  return {
    AlarmName: 'root-alert',
    AlarmArn: ALARM_ARN,
    AlarmDescription: 'Root account usage',
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [TOPIC_ARN],
    InsufficientDataActions: [],
    StateValue: 'OK',
    StateReason:
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    StateUpdatedTimestamp: new Date(Date.now() - 20 * DAY_MS),
    StateTransitionedTimestamp: new Date(Date.now() - 20 * DAY_MS),
    MetricName: 'RootAccountUsageCount',
    Namespace: 'CloudTrailMetrics',
    Statistic: 'Sum',
    Dimensions: [],
    Period: 300,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    ...overrides,
  };
}

/** The guide's invoke permission (7-1) as GetPolicy returns it: the policy document as a JSON string. */
export function invokePolicy(
  condition: Record<string, unknown> | null = {
    ArnLike: { 'AWS:SourceArn': TOPIC_ARN },
  },
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: [
      {
        Sid: 'sns-root-alert',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: FUNCTION_ARN,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
}

/** Resets every mock and answers as a fully passing account. */
export function healthyAccount(): void {
  for (const mock of Object.values(aws)) mock.reset();
  aws.cloudtrail.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 'management-trail',
        S3BucketName: `aws-cloudtrail-logs-${ACCOUNT}-1a2b3c4d`,
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
        HomeRegion: REGION,
        TrailARN: TRAIL_ARN,
        LogFileValidationEnabled: true,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrailRoleForCloudWatchLogs`,
        HasCustomEventSelectors: false,
        HasInsightSelectors: false,
        IsOrganizationTrail: false,
      },
    ],
  });
  aws.cloudtrail.on(GetTrailStatusCommand).resolves({
    IsLogging: true,
    LatestDeliveryTime: new Date(Date.now() - 600_000),
    LatestCloudWatchLogsDeliveryTime: new Date(Date.now() - 300_000),
    StartLoggingTime: new Date('2026-01-05T02:00:00Z'),
  });
  aws.cloudtrail.on(GetEventSelectorsCommand).resolves({
    TrailARN: TRAIL_ARN,
    EventSelectors: [
      {
        ReadWriteType: 'All',
        IncludeManagementEvents: true,
        DataResources: [],
        ExcludeManagementEventSources: [],
      },
    ],
  });
  aws.logs.on(DescribeMetricFiltersCommand).resolves({
    metricFilters: [
      {
        filterName: 'RootAccountUsage',
        filterPattern: ROOT_USAGE_FILTER_PATTERN,
        metricTransformations: [
          { metricName: 'RootAccountUsageCount', metricNamespace: 'CloudTrailMetrics', metricValue: '1' },
        ],
        creationTime: Date.parse('2026-01-05T02:10:00Z'),
        logGroupName: LOG_GROUP,
      },
    ],
  });
  aws.logs.on(FilterLogEventsCommand).resolves({ events: [], searchedLogStreams: [] });
  aws.cloudwatch.on(DescribeAlarmsForMetricCommand).resolves({ MetricAlarms: [rootAlarm()] });
  aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [rootAlarm()], CompositeAlarms: [] });
  aws.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  aws.cloudtrail.on(LookupEventsCommand).resolves({
    Events: [
      {
        EventId: '5c1b7f0e-1d2a-4f4e-9e61-0a2b9b8a7c11',
        EventName: 'SetAlarmState',
        ReadOnly: 'false',
        AccessKeyId: 'ASIAEXAMPLEKEY123456',
        EventTime: new Date(Date.now() - 25 * DAY_MS),
        EventSource: 'monitoring.amazonaws.com',
        Username: 'ops-admin',
        Resources: [{ ResourceType: 'AWS::CloudWatch::Alarm', ResourceName: 'root-alert' }],
        CloudTrailEvent: JSON.stringify({
          eventVersion: '1.09',
          eventSource: 'monitoring.amazonaws.com',
          eventName: 'SetAlarmState',
          requestParameters: {
            alarmName: 'root-alert',
            stateValue: 'ALARM',
            stateReason: '[테스트] fired by ops-admin',
          },
        }),
      },
    ],
  });
  aws.sns.on(ListSubscriptionsByTopicCommand).resolves({
    Subscriptions: [
      {
        SubscriptionArn: `${TOPIC_ARN}:0b1f6a52-3c0d-4d4c-9a1c-7e2f5d3c9b10`,
        Owner: ACCOUNT,
        Protocol: 'lambda',
        Endpoint: FUNCTION_ARN,
        TopicArn: TOPIC_ARN,
      },
    ],
  });
  aws.lambda
    .on(GetPolicyCommand)
    .resolves({ Policy: invokePolicy(), RevisionId: 'a1b2c3d4-0000-4000-8000-000000000001' });
  aws.lambda.on(GetFunctionConfigurationCommand).resolves({
    FunctionName: 'secu-alert-dooray',
    FunctionArn: FUNCTION_ARN,
    Runtime: 'nodejs24.x',
    Role: `arn:aws:iam::${ACCOUNT}:role/secu-alert-dooray-role`,
    Handler: 'index.handler',
    Timeout: 60,
    MemorySize: 256,
    Environment: {
      Variables: { DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url', DEFAULT_BOT_NAME: 'AlarmBot' },
    },
    State: 'Active',
    PackageType: 'Zip',
    Architectures: ['arm64'],
  });
  aws.lambda.on(GetFunctionEventInvokeConfigCommand).resolves({
    FunctionArn: `${FUNCTION_ARN}:$LATEST`,
    MaximumRetryAttempts: 2,
    MaximumEventAgeInSeconds: 3600,
    LastModified: new Date('2026-01-05T02:20:00Z'),
    DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: QUEUE_ARN } },
  });
  aws.iam.on(GetAccountSummaryCommand).resolves({
    SummaryMap: {
      AccountMFAEnabled: 1,
      AccountAccessKeysPresent: 0,
      AccountSigningCertificatesPresent: 0,
      Users: 4,
      Roles: 31,
      Policies: 12,
    },
  });
}
