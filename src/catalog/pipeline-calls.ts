/**
 * API calls that would blind or weaken this pipeline (CloudTrail → CloudWatch Logs metric filter → alarm →
 * SNS topic → Lambda → Dooray incoming webhook, plus the EventBridge fast path, the flush schedule, the hook-URL
 * parameter or secret, the dedupe table and the keys that encrypt them), grouped by the CloudTrail
 * `eventSource` that records them. Pure data and one matcher; no imports.
 *
 * `eventSource` values: each service's page in the EventBridge events reference,
 * `https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-<service>.html` ("To match events from this
 * service delivered by AWS CloudTrail … eventSource: …"); seen there for Lambda (`lambda.amazonaws.com`) and
 * EventBridge Scheduler (`scheduler.amazonaws.com`); the others are the names CloudTrail records in the
 * services' "Logging … API calls using AWS CloudTrail" pages linked per group.
 *
 * Event names are the API action names (each service's API Reference), except Lambda: its CloudTrail
 * `eventName` often carries the API version, e.g. `UpdateFunctionCode20150331v2` (AWS Lambda Developer Guide,
 * "Logging AWS Lambda API calls using AWS CloudTrail",
 * https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html, which lists "when the event name
 * differs from the API action name"). Use {@link isPipelineCall}, which accepts the bare and the suffixed forms.
 *
 * Calls marked `addition: true` are not in issue 9's list; their `reason` says why they belong.
 */

/** One API call that can blind or weaken the pipeline. */
export interface PipelineCall {
  /** The API action name (bare, without a Lambda version suffix). */
  readonly name: string;
  /** What it does to the pipeline, in a few words (English, for comments and logs). */
  readonly reason: string;
  /**
   * Lambda only: the `eventName` CloudTrail records, as the Lambda Developer Guide lists it; absent when the
   * guide lists no different name (then CloudTrail records the bare name).
   */
  readonly recordedAs?: string;
  /** True when this call is our addition to issue 9's list. */
  readonly addition?: true;
}

/** The calls of one service. */
export interface PipelineCallGroup {
  /** Service name, for people. */
  readonly service: string;
  /** CloudTrail `eventSource`. */
  readonly eventSource: string;
  readonly calls: readonly PipelineCall[];
  /** Pages the names and the event source come from. */
  readonly sources: readonly string[];
}

const EB_REF = 'https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-';

/** The groups, one per CloudTrail event source. */
export const PIPELINE_CALL_GROUPS: readonly PipelineCallGroup[] = [
  {
    service: 'AWS CloudTrail',
    eventSource: 'cloudtrail.amazonaws.com',
    calls: [
      { name: 'StopLogging', reason: 'the trail stops recording: nothing reaches the log group' },
      { name: 'DeleteTrail', reason: 'the trail is gone' },
      {
        name: 'UpdateTrail',
        reason: 'can remove the CloudWatch Logs delivery or make the trail single-Region',
      },
      { name: 'PutEventSelectors', reason: 'can exclude management events' },
      {
        name: 'PutAdvancedEventSelectors',
        reason: 'the advanced form of PutEventSelectors: can exclude management events',
        addition: true,
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Operations.html',
      `${EB_REF}cloudtrail.html`,
    ],
  },
  {
    service: 'Amazon CloudWatch Logs',
    eventSource: 'logs.amazonaws.com',
    calls: [
      { name: 'DeleteMetricFilter', reason: 'the root-usage metric filter is gone' },
      { name: 'PutMetricFilter', reason: 'can replace the filter pattern or the metric it publishes to' },
      { name: 'DeleteLogGroup', reason: 'the trail log group is gone' },
      { name: 'PutRetentionPolicy', reason: 'shortens retention of the evidence' },
      {
        name: 'PutDataProtectionPolicy',
        reason: 'masking can hide fields of the log events the filter and the enrichment read',
        addition: true,
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_Operations.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls_cwl.html',
    ],
  },
  {
    service: 'Amazon CloudWatch',
    eventSource: 'monitoring.amazonaws.com',
    calls: [
      { name: 'DeleteAlarms', reason: 'the root-alert alarm is gone' },
      { name: 'DisableAlarmActions', reason: 'the alarm no longer notifies the topic' },
      { name: 'PutMetricAlarm', reason: 'can change the threshold, metric or actions of the alarm' },
      {
        name: 'SetAlarmState',
        reason: 'can move the alarm to ALARM or OK by hand, masking a real transition',
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Operations.html',
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/logging_cw_api_calls.html',
    ],
  },
  {
    service: 'Amazon SNS',
    eventSource: 'sns.amazonaws.com',
    calls: [
      { name: 'Unsubscribe', reason: 'the function no longer receives alarm notifications' },
      { name: 'DeleteTopic', reason: 'the topic is gone' },
      { name: 'SetTopicAttributes', reason: 'can change the topic policy or its encryption key' },
      { name: 'RemovePermission', reason: 'can stop CloudWatch from publishing to the topic' },
      {
        name: 'SetSubscriptionAttributes',
        reason: 'a filter policy on the subscription can drop alarm notifications',
        addition: true,
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/sns/latest/api/API_Operations.html',
      'https://docs.aws.amazon.com/sns/latest/dg/sns-logging-using-cloudtrail.html',
    ],
  },
  {
    service: 'AWS Lambda',
    eventSource: 'lambda.amazonaws.com',
    calls: [
      { name: 'DeleteFunction', reason: 'the function is gone', recordedAs: 'DeleteFunction20150331' },
      {
        name: 'UpdateFunctionCode',
        reason: 'the function can be replaced by code that posts nothing',
        recordedAs: 'UpdateFunctionCode20150331v2',
      },
      {
        name: 'UpdateFunctionConfiguration',
        reason: 'can change the hook URL source, timeouts or environment',
        recordedAs: 'UpdateFunctionConfiguration20150331v2',
      },
      {
        name: 'PutFunctionConcurrency',
        reason: 'reserved concurrency 0 throttles every invocation',
        recordedAs: 'PutFunctionConcurrency20171031',
      },
      {
        name: 'RemovePermission',
        reason: 'SNS or EventBridge can no longer invoke the function',
        recordedAs: 'RemovePermission20150331v2',
      },
      { name: 'PutFunctionEventInvokeConfig', reason: 'can cut retries and remove the failure destination' },
      {
        name: 'UpdateFunctionEventInvokeConfig',
        reason: 'same effect as PutFunctionEventInvokeConfig',
        addition: true,
      },
      {
        name: 'DeleteFunctionEventInvokeConfig',
        reason: 'removes the failure destination',
        addition: true,
      },
      {
        name: 'UpdateAlias',
        reason: 'can point the alias the triggers invoke at another version',
        recordedAs: 'UpdateAlias20150331',
        addition: true,
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html',
      `${EB_REF}lambda.html`,
    ],
  },
  {
    service: 'Amazon EventBridge',
    eventSource: 'events.amazonaws.com',
    calls: [
      { name: 'DisableRule', reason: 'the fast-path rule stops matching' },
      { name: 'DeleteRule', reason: 'the fast-path rule is gone' },
      { name: 'RemoveTargets', reason: 'the rule no longer invokes the function or forwards to the bus' },
      { name: 'PutRule', reason: 'can change the event pattern or disable the rule' },
      { name: 'PutTargets', reason: 'can replace the target or its retry policy and dead-letter queue' },
      {
        name: 'RemovePermission',
        reason: 'organization mode: members can no longer put events on the central bus',
        addition: true,
      },
      {
        name: 'PutPermission',
        reason: 'organization mode: can change who may put events on the central bus',
        addition: true,
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html',
      `${EB_REF}events.html`,
    ],
  },
  {
    service: 'Amazon EventBridge Scheduler',
    eventSource: 'scheduler.amazonaws.com',
    calls: [
      { name: 'DeleteSchedule', reason: 'the digest flush schedule is gone' },
      { name: 'UpdateSchedule', reason: 'can disable the flush schedule or change its target' },
      { name: 'DeleteScheduleGroup', reason: 'deletes every schedule in the group' },
    ],
    sources: [
      'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Operations.html',
      'https://docs.aws.amazon.com/scheduler/latest/UserGuide/logging-using-cloudtrail.html',
      `${EB_REF}scheduler.html`,
    ],
  },
  {
    service: 'AWS Systems Manager Parameter Store',
    eventSource: 'ssm.amazonaws.com',
    calls: [
      { name: 'PutParameter', reason: 'can replace the webhook URL (alerts go to another room)' },
      { name: 'DeleteParameter', reason: 'the webhook URL is gone' },
      { name: 'DeleteParameters', reason: 'the batch form of DeleteParameter', addition: true },
    ],
    sources: [
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Operations.html',
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html',
    ],
  },
  {
    service: 'AWS Secrets Manager',
    eventSource: 'secretsmanager.amazonaws.com',
    calls: [
      { name: 'PutSecretValue', reason: 'can replace the webhook URL' },
      { name: 'UpdateSecret', reason: 'can replace the webhook URL or its key' },
      { name: 'DeleteSecret', reason: 'schedules the webhook URL for deletion' },
      {
        name: 'UpdateSecretVersionStage',
        reason: 'can move AWSCURRENT to another version (another URL)',
        addition: true,
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Operations.html',
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-cloudtrail.html',
    ],
  },
  {
    service: 'Amazon DynamoDB',
    eventSource: 'dynamodb.amazonaws.com',
    calls: [
      { name: 'DeleteTable', reason: 'the dedupe and session table is gone: held events are lost' },
      { name: 'UpdateTimeToLive', reason: 'can change expiry of held events and dedupe keys' },
    ],
    sources: [
      'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html',
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/logging-using-cloudtrail.html',
    ],
  },
  {
    service: 'AWS KMS',
    eventSource: 'kms.amazonaws.com',
    calls: [
      {
        name: 'DisableKey',
        reason: 'what the key encrypts (topic, table, parameter, logs) becomes unreadable',
      },
      { name: 'ScheduleKeyDeletion', reason: 'the same, for good after the waiting period' },
      { name: 'PutKeyPolicy', reason: 'can take the services’ use of the key away' },
    ],
    sources: [
      'https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html',
      'https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html',
    ],
  },
  {
    service: 'AWS Organizations',
    eventSource: 'organizations.amazonaws.com',
    calls: [
      // The CIS AWS Foundations Benchmark v1.4.0 recommendation 4.15 ("Ensure a log metric filter and alarm
      // exists for AWS Organizations changes") names these; AWS Security Hub has no control for it, and its
      // exact pattern was seen only in third-party copies, not on an AWS page (unverified against the CIS PDF).
      { name: 'AcceptHandshake', reason: 'organization change (CIS 4.15)' },
      { name: 'AttachPolicy', reason: 'an SCP can deny the pipeline its calls (CIS 4.15)' },
      { name: 'CreateAccount', reason: 'organization change (CIS 4.15)' },
      { name: 'CreateOrganizationalUnit', reason: 'organization change (CIS 4.15)' },
      { name: 'CreatePolicy', reason: 'organization change (CIS 4.15)' },
      { name: 'DeclineHandshake', reason: 'organization change (CIS 4.15)' },
      {
        name: 'DeleteOrganization',
        reason: 'the organization trail and StackSets lose their scope (CIS 4.15)',
      },
      { name: 'DeleteOrganizationalUnit', reason: 'organization change (CIS 4.15)' },
      { name: 'DeletePolicy', reason: 'organization change (CIS 4.15)' },
      { name: 'DetachPolicy', reason: 'organization change (CIS 4.15)' },
      { name: 'DisablePolicyType', reason: 'organization change (CIS 4.15)' },
      { name: 'EnablePolicyType', reason: 'organization change (CIS 4.15)' },
      { name: 'InviteAccountToOrganization', reason: 'organization change (CIS 4.15)' },
      { name: 'LeaveOrganization', reason: 'the account leaves the organization trail and the forwarders' },
      { name: 'MoveAccount', reason: 'changes the SCPs and StackSet targets that apply (CIS 4.15)' },
      {
        name: 'RemoveAccountFromOrganization',
        reason: 'the account leaves the organization trail (CIS 4.15)',
      },
      { name: 'UpdatePolicy', reason: 'an SCP can deny the pipeline its calls (CIS 4.15)' },
      { name: 'UpdateOrganizationalUnit', reason: 'organization change (CIS 4.15)' },
      {
        name: 'DisableAWSServiceAccess',
        reason:
          'disabling trusted access for CloudTrail or CloudFormation StackSets stops the organization trail or the forwarders',
        addition: true,
      },
      {
        name: 'DeregisterDelegatedAdministrator',
        reason: 'the security account loses delegated administration of the trail or StackSets',
        addition: true,
      },
    ],
    sources: [
      'https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html',
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_cloudtrail-integration.html',
    ],
  },
];

/** `eventSource` → the bare API names of its pipeline calls. */
const BY_SOURCE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  PIPELINE_CALL_GROUPS.map((g) => [g.eventSource, new Set(g.calls.map((c) => c.name))]),
);

/**
 * Lambda's CloudTrail `eventName` suffix: the API version date, optionally a `v` revision
 * (`20150331`, `20150331v2`, `20171031`), as the Lambda Developer Guide lists them.
 */
const LAMBDA_VERSION_SUFFIX = /^(.+?)(\d{8}(?:v\d+)?)$/;

/**
 * The bare API action name of a CloudTrail `eventName`: for `lambda.amazonaws.com` the version suffix is
 * removed (`UpdateFunctionCode20150331v2` → `UpdateFunctionCode`); any other name is returned unchanged.
 */
export function bareEventName(eventSource: string, eventName: string): string {
  if (eventSource !== 'lambda.amazonaws.com') return eventName;
  const m = LAMBDA_VERSION_SUFFIX.exec(eventName);
  return m?.[1] ?? eventName;
}

/**
 * True when a CloudTrail event (its `eventSource` and `eventName`) is a call that can blind or weaken the
 * pipeline ({@link PIPELINE_CALL_GROUPS}). Lambda event names match with or without their version suffix.
 * Pure: whether the call targets *this* pipeline's resources is not checked here.
 */
export function isPipelineCall(eventSource: string, eventName: string): boolean {
  const names = BY_SOURCE.get(eventSource);
  return names !== undefined && names.has(bareEventName(eventSource, eventName));
}

/** Every (eventSource, bare name) pair, as `eventSource:name` strings, e.g. for documentation tables. */
export const PIPELINE_CALL_KEYS: readonly string[] = PIPELINE_CALL_GROUPS.flatMap((g) =>
  g.calls.map((c) => `${g.eventSource}:${c.name}`),
);
