import { fileURLToPath } from 'node:url';
import {
  Annotations,
  ArnFormat,
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  CfnResource,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import {
  ALARM_EVALUATION_PERIODS,
  ALARM_NAME,
  ALARM_PERIOD_SECONDS,
  ALARM_THRESHOLD,
  DEDUPE_KEY_ATTRIBUTE,
  DEDUPE_TTL_ATTRIBUTE,
  DEFAULT_BOT_NAME,
  DEFAULT_NOTIFY_STATES,
  DEFAULT_SUBJECT_MAP,
  ENV,
  FUNCTION_NAME,
  HOOK_URL_PARAMETER_NAME,
  LAMBDA_MEMORY_MB,
  LAMBDA_TIMEOUT_SECONDS,
  METRIC_NAME,
  METRIC_NAMESPACE,
  METRIC_VALUE,
  ROOT_USAGE_FILTER_PATTERN,
  TOPIC_NAME,
  type AlarmState,
} from '../src/defaults.js';
import { FastPath } from './constructs/fast-path.js';
import { SelfTestSchedule } from './constructs/self-test.js';
import { NewTrail } from './constructs/trail-source.js';
import {
  HOOK_URL_CFN_PARAMETER,
  hookUrlAccess,
  kmsDecryptStatement,
  readParameterStatement,
  readSecretStatement,
  validateHookUrlSource,
  type HookUrlSource,
} from './hook-url.js';

/** A CloudWatch alarm state (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html). */
export type { AlarmState };

/** Directory of the handler's esbuild bundle (`npm run build` writes `dist/lambda/index.mjs`). */
export const LAMBDA_BUNDLE_DIR = fileURLToPath(new URL('../dist/lambda', import.meta.url));

/** Default retention of the trail's log group when the stack creates the trail, in days. */
export const DEFAULT_TRAIL_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/** Default retention of the function's log group, in days. */
export const DEFAULT_FUNCTION_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
/** Default maximum age of an asynchronous invocation event before it goes to the failure queue. */
export const DEFAULT_MAX_EVENT_AGE = Duration.hours(6);
/** Lambda retries of a failed asynchronous invocation (the maximum Lambda allows). */
export const ASYNC_RETRY_ATTEMPTS = 2;
/** How long the failure queue keeps a message (the SQS maximum). */
export const FAILURE_QUEUE_RETENTION = Duration.days(14);

/**
 * Properties of {@link SecuAlertDoorayStack}. Names and defaults are the guide's (`src/defaults.ts`); every
 * handler setting of DESIGN.md's configuration table has a prop here.
 */
export interface SecuAlertDoorayStackProps extends StackProps {
  /**
   * An existing CloudWatch Logs log group that a CloudTrail trail already delivers to. When omitted, the
   * stack creates a multi-region trail, its S3 bucket and a log group (see `NewTrail`).
   * Source: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
   * @default - a new trail
   */
  readonly trailLogGroupName?: string;
  /**
   * Retention of the new trail's log group, in days (a value CloudWatch Logs accepts,
   * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
   * @default 365
   */
  readonly trailLogRetentionDays?: logs.RetentionDays;
  /**
   * Days after which the new trail's log files expire in S3.
   * @default 365
   */
  readonly trailBucketExpirationDays?: number;

  /** Name of the metric-filter alarm. @default 'root-alert' */
  readonly alarmName?: string;
  /** Name of the SNS topic the alarm notifies. @default 'root-alert' */
  readonly topicName?: string;
  /** Name of the Lambda function. @default 'secu-alert-dooray' */
  readonly functionName?: string;
  /**
   * Migration: subscribe the function to this existing topic (e.g. the guide's `root-alert`) instead of
   * creating one. The stack then leaves the topic's policy and encryption alone.
   * @default - a new topic
   */
  readonly existingTopicArn?: string;
  /**
   * Migration: `false` when an existing alarm (the guide's `root-alert`, named by `alarmName`) already
   * notifies `existingTopicArn`; the stack then creates no trail, metric filter or alarm.
   * @default true
   */
  readonly createAlarm?: boolean;
  /**
   * Encrypt the alarm and operations topics with a new customer-managed KMS key (rotation on) whose key
   * policy lets CloudWatch use it. Never the AWS-managed `alias/aws/sns`: CloudWatch cannot use that key, so
   * alarm notifications would silently stop (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
   * @default false
   */
  readonly encryptTopics?: boolean;

  /**
   * Where the function reads the Dooray webhook URL.
   * @default { kind: 'parameter', parameterName: '/secu-alert-dooray/hook-url' }
   */
  readonly hookUrl?: HookUrlSource;
  /**
   * Reserve a concurrency of 1 for the function, so one container posts at a time and Dooray's one message
   * per second holds across containers. Set `false` when the account's concurrency quota cannot spare it
   * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html); module-scope pacing then
   * holds only within each container.
   * @default true
   */
  readonly reservedConcurrency?: boolean;
  /**
   * Retention of the function's own log group, in days (a value CloudWatch Logs accepts).
   * @default 90
   */
  readonly functionLogRetentionDays?: logs.RetentionDays;
  /**
   * Maximum age of an asynchronous invocation event; older events go to the failure queue
   * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configure.html). 60 s – 6 h.
   * @default 6 hours
   */
  readonly maxEventAge?: Duration;
  /**
   * The function's code.
   * @default lambda.Code.fromAsset('dist/lambda') — the handler's esbuild bundle
   */
  readonly code?: lambda.Code;

  /** `DEFAULT_BOT_NAME`: sender name of the messages. @default 'AlarmBot' */
  readonly botName?: string;
  /** `DEFAULT_BOT_ICON`: sender icon URL. @default - none */
  readonly botIcon?: string;
  /**
   * `NOTIFY_STATES`: alarm states that send a message. Including `OK` (recovery messages) also adds the
   * alarm's OK action, and `INSUFFICIENT_DATA` its insufficient-data action
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html).
   * @default ['ALARM']
   */
  readonly notifyStates?: readonly AlarmState[];
  /**
   * `SUBJECT_MAP`: alarm name → subject in the message text, merged over the handler's defaults. When
   * `alarmName` is not `root-alert`, the stack maps it to the guide's subject (`root 계정`) unless given here.
   * @default - the handler's `{"root-alert":"root 계정"}`
   */
  readonly subjectMap?: Readonly<Record<string, string>>;
  /** `ALERT_LOCALE`: language of the messages. @default 'ko' */
  readonly locale?: 'ko' | 'en';
  /** `ALERT_TIMEZONE`: IANA time zone of times in messages. @default 'Asia/Seoul' */
  readonly timezone?: string;
  /** `DOORAY_MIN_INTERVAL_MS`: least time between two posts to one hook, in milliseconds. @default 1000 */
  readonly minIntervalMs?: number;
  /** `DOORAY_ALLOWED_HOSTS`: webhook hosts allowed besides the Dooray ones. @default - none */
  readonly allowedHosts?: readonly string[];

  /**
   * Email address subscribed to the operations topic, which the failure alarms notify (the subscription
   * must be confirmed from the email SNS sends, https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html).
   * @default - no subscription
   */
  readonly opsEmail?: string;
  /**
   * The periodic self-test (EventBridge Scheduler, https://docs.aws.amazon.com/scheduler/latest/UserGuide/what-is-scheduler.html)
   * that publishes a marked `[정기 테스트]` alarm notification to the alarm topic; `false` turns it off.
   * @default { expression: 'cron(0 10 1 * ? *)', timeZone: 'Asia/Seoul' } — monthly
   */
  readonly selfTest?: false | { readonly expression?: string; readonly timeZone?: string };

  /**
   * The EventBridge fast path: a rule on the default event bus (state
   * `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`) sending root-usage CloudTrail events to the function, one
   * message per event within seconds. `forwardedFromRegions`: Regions whose forwarder stacks
   * (`FastPathForwarderStack`) send their events here; the stack then creates the event bus
   * `<functionName>-fast-path` and a rule on it. `false` turns the fast path off.
   * @default {} — the rule, no forwarded Regions
   */
  readonly fastPath?: false | { readonly forwardedFromRegions?: readonly string[] };

  /**
   * Build the console template (`deploy/`): the code, the hook-URL location, the trail log group, the
   * operations email, the bot name and recovery messages become CloudFormation parameters chosen at deploy
   * time, so the template deploys from the CloudFormation console without CDK. `code`, `hookUrl`,
   * `trailLogGroupName`, `opsEmail`, `botName`, `notifyStates`, `existingTopicArn` and `createAlarm` must
   * then be left unset.
   * @default false
   */
  readonly consoleTemplate?: boolean;
}

/** Environment of the handler for settings that do not depend on the URL source. */
function handlerEnvironment(props: SecuAlertDoorayStackProps, alarmName: string): Record<string, string> {
  const env: Record<string, string> = {
    [ENV.botName]: props.botName ?? DEFAULT_BOT_NAME,
    [ENV.notifyStates]: (props.notifyStates ?? DEFAULT_NOTIFY_STATES).join(','),
  };
  const defaultSubject = DEFAULT_SUBJECT_MAP[ALARM_NAME];
  const subjectMap = {
    ...(alarmName !== ALARM_NAME && defaultSubject !== undefined ? { [alarmName]: defaultSubject } : {}),
    ...props.subjectMap,
  };
  if (Object.keys(subjectMap).length > 0) env[ENV.subjectMap] = JSON.stringify(subjectMap);
  if (props.botIcon !== undefined) env[ENV.botIcon] = props.botIcon;
  if (props.locale !== undefined) env[ENV.locale] = props.locale;
  if (props.timezone !== undefined) env[ENV.timezone] = props.timezone;
  if (props.minIntervalMs !== undefined) env[ENV.minIntervalMs] = String(props.minIntervalMs);
  if (props.allowedHosts !== undefined && props.allowedHosts.length > 0) {
    env[ENV.allowedHosts] = props.allowedHosts.join(',');
  }
  return env;
}

/** Name of the event bus in the main Region that receives root-usage events forwarded from other Regions. */
export function fastPathBusName(functionName: string): string {
  return `${functionName}-fast-path`;
}

/** Gives every CloudFormation resource under `scope` the condition `condition`. */
function onlyIf(scope: IConstruct, condition: CfnCondition): void {
  for (const child of scope.node.findAll()) {
    if (child instanceof CfnResource) child.cfnOptions.condition = condition;
  }
}

/**
 * The whole pipeline of the guide in one stack: CloudTrail log group → metric filter (CIS pattern) → alarm
 * `root-alert` → SNS topic `root-alert` → Lambda `secu-alert-dooray` → Dooray, with a failure path
 * (async retries → SQS queue → alarms → operations topic) and a periodic self-test.
 */
export class SecuAlertDoorayStack extends Stack {
  /** The topic the root-usage alarm notifies and the function subscribes to. */
  readonly topic: sns.ITopic;
  /** The function that posts to Dooray. */
  readonly function: lambda.Function;
  /** The on-failure destination of the function's asynchronous invocations. */
  readonly failureQueue: sqs.Queue;
  /** The topic the failure alarms notify (never the alarm topic: no loops). */
  readonly opsTopic: sns.Topic;
  /** The root-usage alarm, when the stack creates it. */
  readonly alarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SecuAlertDoorayStackProps = {}) {
    super(scope, id, props);
    const consoleTemplate = props.consoleTemplate ?? false;
    const chosenAtDeploy = {
      code: props.code,
      hookUrl: props.hookUrl,
      trailLogGroupName: props.trailLogGroupName,
      opsEmail: props.opsEmail,
      botName: props.botName,
      notifyStates: props.notifyStates,
      existingTopicArn: props.existingTopicArn,
    };
    const given = Object.entries(chosenAtDeploy).filter(([, value]) => value !== undefined);
    if (consoleTemplate && given.length > 0) {
      throw new Error(
        `consoleTemplate chooses these at deploy time (and always creates its topic): leave ${given
          .map(([name]) => name)
          .join(', ')} unset`,
      );
    }
    const createAlarm = props.createAlarm ?? true;
    if (consoleTemplate && !createAlarm) throw new Error('consoleTemplate always creates the alarm');
    if (!createAlarm && props.existingTopicArn === undefined) {
      throw new Error('createAlarm: false needs existingTopicArn (the topic the existing alarm notifies)');
    }
    const consoleChoices = consoleTemplate ? this.consoleHandlerChoices() : undefined;
    const alarmName = props.alarmName ?? ALARM_NAME;
    const functionName = props.functionName ?? FUNCTION_NAME;
    const notifyStates = props.notifyStates ?? DEFAULT_NOTIFY_STATES;

    // Topics: the alarm topic (root-alert) and the operations topic for the failure alarms.
    const topicKey = props.encryptTopics ? this.topicKey() : undefined;
    this.topic =
      props.existingTopicArn === undefined
        ? this.alarmTopic('Topic', props.topicName ?? TOPIC_NAME, topicKey)
        : sns.Topic.fromTopicArn(this, 'Topic', props.existingTopicArn);
    this.opsTopic = this.alarmTopic('OpsTopic', `${functionName}-ops`, topicKey);

    // Source and alarm: trail log group → metric filter → alarm → topic.
    let trailLogs: logs.ILogGroup | undefined;
    if (createAlarm) {
      const logGroup = this.trailLogGroup(props, consoleTemplate);
      trailLogs = logGroup;
      const filter = new logs.MetricFilter(this, 'RootUsageFilter', {
        logGroup,
        filterPattern: logs.FilterPattern.literal(ROOT_USAGE_FILTER_PATTERN),
        metricNamespace: METRIC_NAMESPACE,
        metricName: METRIC_NAME,
        metricValue: String(METRIC_VALUE),
      });
      const alarm = new cloudwatch.Alarm(this, 'RootUsageAlarm', {
        alarmName,
        alarmDescription: 'AWS root account used (CIS CloudWatch.1 metric filter on CloudTrail)',
        metric: filter.metric({
          statistic: cloudwatch.Stats.SUM,
          period: Duration.seconds(ALARM_PERIOD_SECONDS),
        }),
        threshold: ALARM_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: ALARM_EVALUATION_PERIODS,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      const action = new cwActions.SnsAction(this.topic);
      alarm.addAlarmAction(action);
      if (notifyStates.includes('OK')) alarm.addOkAction(action);
      if (consoleChoices !== undefined) {
        (alarm.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride(
          'OKActions',
          Fn.conditionIf(consoleChoices.recovery.logicalId, [this.topic.topicArn], Aws.NO_VALUE),
        );
      }
      if (notifyStates.includes('INSUFFICIENT_DATA')) alarm.addInsufficientDataAction(action);
      this.alarm = alarm;
    }

    // Function: own role, own log group, the handler bundle.
    const logGroup = new logs.LogGroup(this, 'FunctionLogGroup', {
      retention: props.functionLogRetentionDays ?? DEFAULT_FUNCTION_LOG_RETENTION,
    });
    const role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}: its log group, the webhook URL, its failure queue`,
    });
    // The log group's ARN attribute ends in `:*`: that wildcard covers its own log streams and nothing else.
    logGroup.grantWrite(role);
    if (trailLogs) this.grantEnrichment(role, trailLogs);
    const dedupeTable = this.dedupeTable(role);
    this.grantAccountAlias(role);
    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      queueName: `${functionName}-failures`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: FAILURE_QUEUE_RETENTION,
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter (on-failure) destination of the function's asynchronous " +
        'invocations; an alarm on its visible messages notifies the operations topic.',
    });
    const environment = {
      ...handlerEnvironment(props, alarmName),
      ...consoleChoices?.environment,
      [ENV.dedupeTable]: dedupeTable.tableName,
    };
    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: 'Posts CloudWatch alarm notifications (root-account usage) to a Dooray! messenger room',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: consoleTemplate
        ? this.codeFromParameters()
        : (props.code ?? lambda.Code.fromAsset(LAMBDA_BUNDLE_DIR)),
      memorySize: LAMBDA_MEMORY_MB,
      timeout: Duration.seconds(LAMBDA_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: (props.reservedConcurrency ?? true) ? 1 : undefined,
      role,
      logGroup,
      environment,
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: props.maxEventAge ?? DEFAULT_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(this.failureQueue),
    });
    if (consoleTemplate) {
      this.hookUrlFromParameters(role, environment);
      this.describeParameters();
    } else {
      const source = props.hookUrl ?? { kind: 'parameter', parameterName: HOOK_URL_PARAMETER_NAME };
      validateHookUrlSource(source);
      const access = hookUrlAccess(source, () => this.plainHookUrlParameter(false).valueAsString);
      for (const statement of access.statements) role.addToPrincipalPolicy(statement);
      for (const [name, value] of Object.entries(access.environment))
        this.function.addEnvironment(name, value);
      if (source.kind === 'plain') {
        Annotations.of(this).addWarningV2(
          'secu-alert-dooray:plain-hook-url',
          `The Dooray webhook URL (${HOOK_URL_CFN_PARAMETER} parameter) will be visible in the configuration of ` +
            `the function ${functionName} to anyone who may read it; prefer an SSM SecureString parameter or ` +
            'a Secrets Manager secret.',
        );
      }
    }

    // Subscription topic → function, and the permission that lets only this topic invoke it.
    this.function.addPermission('InvokeFromTopic', {
      principal: new iam.ServicePrincipal('sns.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: this.topic.topicArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    new sns.Subscription(this, 'FunctionSubscription', {
      topic: this.topic,
      protocol: sns.SubscriptionProtocol.LAMBDA,
      endpoint: this.function.functionArn,
    });

    // Failure path: alarms on the failure queue and on the function's errors → operations topic.
    const opsAction = new cwActions.SnsAction(this.opsTopic);
    const failedAlarm = new cloudwatch.Alarm(this, 'FailedDeliveriesAlarm', {
      alarmName: `${functionName}-failed-deliveries`,
      alarmDescription: `Alert deliveries to Dooray failed for good: see the SQS queue ${functionName}-failures`,
      metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    failedAlarm.addAlarmAction(opsAction);
    const errorsAlarm = new cloudwatch.Alarm(this, 'FunctionErrorsAlarm', {
      alarmName: `${functionName}-errors`,
      alarmDescription: `The function ${functionName} failed (it retries; see its log group)`,
      metric: this.function.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errorsAlarm.addAlarmAction(opsAction);
    if (consoleTemplate) {
      const email = new CfnParameter(this, 'OpsEmail', {
        type: 'String',
        default: '',
        description: 'Email address for failed-delivery alarms (optional; confirm the email SNS sends).',
      });
      const hasEmail = new CfnCondition(this, 'HasOpsEmail', {
        expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, '')),
      });
      onlyIf(this.emailSubscription(email.valueAsString), hasEmail);
    } else if (props.opsEmail !== undefined) {
      this.emailSubscription(props.opsEmail);
    }

    // Fast path: CloudTrail events through EventBridge, here and forwarded from other Regions.
    if (props.fastPath !== false) {
      const forwardedFrom = props.fastPath?.forwardedFromRegions ?? [];
      new FastPath(this, 'FastPath', {
        function: this.function,
        busName: fastPathBusName(functionName),
        receivesForwarded: forwardedFrom.length > 0,
      });
    }

    // Periodic self-test through the whole SNS → Lambda → Dooray path.
    if (props.selfTest !== false) {
      new SelfTestSchedule(this, 'SelfTest', {
        topic: this.topic,
        topicKey,
        alarmName,
        alarmArn:
          this.alarm?.alarmArn ??
          this.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: alarmName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        expression: props.selfTest?.expression,
        timeZone: props.selfTest?.timeZone,
      });
    }

    new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn, description: 'Alarm topic (root-alert)' });
    new CfnOutput(this, 'FunctionName', { value: this.function.functionName });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl });
    new CfnOutput(this, 'OpsTopicArn', { value: this.opsTopic.topicArn });
  }

  /**
   * A standard topic that CloudWatch alarms of this account and region may publish to, and only over TLS
   * (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
   */
  private alarmTopic(id: string, topicName: string, masterKey: kms.IKey | undefined): sns.Topic {
    const topic = new sns.Topic(this, id, { topicName, masterKey, enforceSSL: true });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        // `alarm:*`: any alarm of this account and Region (alarm names are free to change); nothing else.
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    if (masterKey === undefined) {
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'Encryption is optional (encryptTopics): only a customer-managed key works for alarm notifications, ' +
          'the AWS-managed alias/aws/sns would silently stop them; the messages carry alarm names, not secrets.',
      });
    }
    return topic;
  }

  /** A customer-managed key for the topics, with rotation, that CloudWatch alarms may use. */
  private topicKey(): kms.Key {
    const key = new kms.Key(this, 'TopicKey', {
      description: 'secu-alert-dooray: encrypts the alarm and operations SNS topics',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        // In a key policy, `*` is this key. `GenerateDataKey*` is the action pair the AWS example grants
        // CloudWatch (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    return key;
  }

  /**
   * The account alias shown beside the account id (`src/lambda/account-alias.ts`): `iam:ListAccountAliases`,
   * which has no resource type, so `*` (Service Authorization Reference, "Actions, resources, and condition keys
   * for AWS Identity and Access Management").
   */
  private grantAccountAlias(role: iam.Role): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAccountAlias',
        actions: ['iam:ListAccountAliases'],
        resources: ['*'],
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iam:ListAccountAliases supports no resource-level permission: it returns only the alias of this ' +
        'account, cached by the function for an hour.',
    });
  }

  /**
   * The dedupe store shared by invocations (`DEDUPE_TABLE_NAME`): on-demand, TTL on `expiresAt`, removed with
   * the stack (it holds only keys that expire within 7 days). The function may get and put items, nothing else.
   */
  private dedupeTable(role: iam.Role): dynamodb.Table {
    const table = new dynamodb.Table(this, 'DedupeTable', {
      partitionKey: { name: DEDUPE_KEY_ATTRIBUTE, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: DEDUPE_TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    table.grant(role, 'dynamodb:GetItem', 'dynamodb:PutItem');
    Validations.of(table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The table only remembers which alerts and CloudTrail eventIDs were delivered, for 7 days (TTL); ' +
        'losing it means at most a repeated message, so point-in-time recovery buys nothing.',
    });
    return table;
  }

  /**
   * Enrichment of alarm alerts (`src/lambda/enrich.ts`): `logs:DescribeMetricFilters` to find the metric filter
   * by metric namespace and name — the call names no log group, so it is authorized on the Region's log groups
   * (`log-group:*`; Service Authorization Reference, "Actions, resources, and condition keys for Amazon
   * CloudWatch Logs") and reads filter definitions only — and `logs:FilterLogEvents` on the trail's log group
   * only. With an existing alarm (createAlarm: false) the log group is unknown: no grant, and messages say the
   * lookup was not allowed.
   */
  private grantEnrichment(role: iam.Role, trailLogs: logs.ILogGroup): void {
    // The pseudo parameters, also in a stack with a concrete Region: the acknowledgement below names them.
    const logGroups = this.formatArn({
      service: 'logs',
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      resource: 'log-group',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FindMetricFilter',
        actions: ['logs:DescribeMetricFilters'],
        resources: [logGroups],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SearchTrailLogGroup',
        actions: ['logs:FilterLogEvents'],
        // The log-group ARN without the `:*` of the CloudFormation attribute: the resource type FilterLogEvents
        // is authorized on (Service Authorization Reference, CloudWatch Logs, resource type log-group).
        resources: [
          this.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: trailLogs.logGroupName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]`,
      reason:
        'logs:DescribeMetricFilters by metric name names no log group; it lists metric filter definitions ' +
        '(patterns, metric names), no log data. Log data is read only from the trail log group.',
    });
  }

  /** The log group the metric filter reads: existing, new (with a trail), or chosen at deploy time. */
  private trailLogGroup(props: SecuAlertDoorayStackProps, consoleTemplate: boolean): logs.ILogGroup {
    const trailProps = {
      logRetentionDays: props.trailLogRetentionDays ?? DEFAULT_TRAIL_LOG_RETENTION,
      bucketExpirationDays: props.trailBucketExpirationDays,
    };
    if (consoleTemplate) {
      const existing = new CfnParameter(this, 'TrailLogGroupName', {
        type: 'String',
        default: '',
        description:
          'Existing CloudWatch Logs log group that a CloudTrail trail delivers to. Empty: create a new ' +
          'multi-region trail, its S3 bucket and log group.',
      });
      const createTrail = new CfnCondition(this, 'CreateTrail', {
        expression: Fn.conditionEquals(existing.valueAsString, ''),
      });
      const trail = new NewTrail(this, 'Trail', trailProps);
      onlyIf(trail, createTrail);
      const name = Fn.conditionIf(createTrail.logicalId, trail.logGroup.logGroupName, existing.valueAsString);
      return logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', name.toString());
    }
    if (props.trailLogGroupName !== undefined) {
      return logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', props.trailLogGroupName);
    }
    return new NewTrail(this, 'Trail', trailProps).logGroup;
  }

  /**
   * Console template: the bot name and recovery messages (`NOTIFY_STATES` `ALARM,OK` with the alarm's OK
   * action) as parameters.
   */
  private consoleHandlerChoices(): { environment: Record<string, string>; recovery: CfnCondition } {
    const botName = new CfnParameter(this, 'BotName', {
      type: 'String',
      default: DEFAULT_BOT_NAME,
      minLength: 1,
      description: 'Sender name of the messages in the Dooray room (DEFAULT_BOT_NAME).',
    });
    const recoveryParameter = new CfnParameter(this, 'NotifyRecovery', {
      type: 'String',
      default: 'false',
      allowedValues: ['false', 'true'],
      description: 'true: also send a message when the alarm returns to OK (NOTIFY_STATES ALARM,OK).',
    });
    const recovery = new CfnCondition(this, 'SendRecoveryMessages', {
      expression: Fn.conditionEquals(recoveryParameter.valueAsString, 'true'),
    });
    return {
      environment: {
        [ENV.botName]: botName.valueAsString,
        [ENV.notifyStates]: Fn.conditionIf(recovery.logicalId, 'ALARM,OK', 'ALARM').toString(),
      },
      recovery,
    };
  }

  /**
   * The `NoEcho` parameter that carries the URL in `plain` mode. Its only possible default is the empty
   * string of the console template, where it is optional.
   */
  private plainHookUrlParameter(optional: boolean): CfnParameter {
    return new CfnParameter(this, HOOK_URL_CFN_PARAMETER, {
      type: 'String',
      noEcho: true,
      default: optional ? '' : undefined,
      description:
        "Dooray webhook URL (the guide's DOORAY_HOOK_URL). Visible in the function's configuration: prefer " +
        'an SSM SecureString parameter or a Secrets Manager secret.',
    });
  }

  /** Code from the `CodeBucket`/`CodeKey` parameters (the zip of `npm run package`). */
  private codeFromParameters(): lambda.Code {
    const bucket = new CfnParameter(this, 'CodeBucket', {
      type: 'String',
      description: 'S3 bucket (same region) holding the Lambda zip built by `npm run package`.',
      allowedPattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    });
    const key = new CfnParameter(this, 'CodeKey', {
      type: 'String',
      default: 'secu-alert-dooray-lambda.zip',
      description: 'S3 key of the Lambda zip in CodeBucket.',
    });
    return lambda.Code.fromBucket(
      s3.Bucket.fromBucketName(this, 'CodeBucketRef', bucket.valueAsString),
      key.valueAsString,
    );
  }

  /**
   * Console template: the URL source is chosen at deploy time. A secret ARN wins, then a plain URL, else the
   * SSM parameter name; each source gets its own conditional policy and environment.
   */
  private hookUrlFromParameters(role: iam.Role, environment: Record<string, string>): void {
    const parameterName = new CfnParameter(this, 'HookUrlParameterName', {
      type: 'String',
      default: HOOK_URL_PARAMETER_NAME,
      allowedPattern: '^/[a-zA-Z0-9_.\\-/]+$',
      description:
        'SSM SecureString parameter holding the Dooray webhook URL (used unless a secret or URL is given).',
    });
    const secretArn = new CfnParameter(this, 'HookUrlSecretArn', {
      type: 'String',
      default: '',
      allowedPattern: '^(arn:[a-z-]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)?$',
      description:
        'Complete ARN of a Secrets Manager secret holding the URL (or {"url": …}); empty: not used.',
    });
    const kmsKeyArn = new CfnParameter(this, 'HookUrlKmsKeyArn', {
      type: 'String',
      default: '',
      description: 'ARN of the customer-managed KMS key of the parameter or secret; empty: AWS-managed key.',
    });
    const plainUrl = this.plainHookUrlParameter(true);
    const useSecret = new CfnCondition(this, 'UseHookUrlSecret', {
      expression: Fn.conditionNot(Fn.conditionEquals(secretArn.valueAsString, '')),
    });
    const usePlain = new CfnCondition(this, 'UsePlainHookUrl', {
      expression: Fn.conditionAnd(
        Fn.conditionNot(useSecret),
        Fn.conditionNot(Fn.conditionEquals(plainUrl.valueAsString, '')),
      ),
    });
    const useParameter = new CfnCondition(this, 'UseHookUrlParameter', {
      expression: Fn.conditionAnd(Fn.conditionNot(useSecret), Fn.conditionNot(usePlain)),
    });
    const hasKey = new CfnCondition(this, 'HasHookUrlKmsKey', {
      expression: Fn.conditionNot(Fn.conditionEquals(kmsKeyArn.valueAsString, '')),
    });
    const conditionalPolicy = (id: string, statement: iam.PolicyStatement, condition: CfnCondition): void => {
      onlyIf(new iam.Policy(this, id, { statements: [statement], roles: [role] }), condition);
    };
    conditionalPolicy('ReadHookUrlSecretPolicy', readSecretStatement(secretArn.valueAsString), useSecret);
    conditionalPolicy(
      'ReadHookUrlParameterPolicy',
      readParameterStatement(parameterName.valueAsString),
      useParameter,
    );
    conditionalPolicy(
      'DecryptHookUrlPolicy',
      kmsDecryptStatement(kmsKeyArn.valueAsString, ['ssm', 'secretsmanager']),
      hasKey,
    );
    const fn = this.function.node.defaultChild as lambda.CfnFunction;
    fn.addPropertyOverride(
      'Environment.Variables',
      Fn.conditionIf(
        useSecret.logicalId,
        { ...environment, [ENV.hookUrlSecretArn]: secretArn.valueAsString },
        Fn.conditionIf(
          usePlain.logicalId,
          { ...environment, [ENV.hookUrl]: plainUrl.valueAsString },
          { ...environment, [ENV.hookUrlParameter]: parameterName.valueAsString },
        ),
      ),
    );
  }

  /**
   * Console template: groups and labels the parameters in the CloudFormation console
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-cloudformation-interface.html), and
   * acknowledges the two findings of CDK's template validation that conditions make false.
   */
  private describeParameters(): void {
    this.templateOptions.metadata = {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Lambda code (npm run package)' }, Parameters: ['CodeBucket', 'CodeKey'] },
          {
            Label: { default: 'Dooray webhook URL: one source' },
            Parameters: [
              'HookUrlParameterName',
              'HookUrlSecretArn',
              'HookUrlKmsKeyArn',
              HOOK_URL_CFN_PARAMETER,
            ],
          },
          { Label: { default: 'CloudTrail' }, Parameters: ['TrailLogGroupName'] },
          { Label: { default: 'Messages' }, Parameters: ['BotName', 'NotifyRecovery'] },
          { Label: { default: 'Operations' }, Parameters: ['OpsEmail'] },
        ],
      },
    };
    Validations.of(this).acknowledge(
      {
        id: 'CloudFormation-Validate::W1030',
        reason:
          'The metric filter uses TrailLogGroupName only when it is not empty (Fn::If on CreateTrail); an ' +
          'empty value creates a trail and a log group instead.',
      },
      {
        id: 'CloudFormation-Validate::W2509',
        reason:
          'HookUrlSecretArn is the ARN of a Secrets Manager secret, not a secret value: NoEcho would hide it.',
      },
    );
  }

  /** Email subscription to the operations topic. */
  private emailSubscription(email: string): sns.Subscription {
    return new sns.Subscription(this, 'OpsEmailSubscription', {
      topic: this.opsTopic,
      protocol: sns.SubscriptionProtocol.EMAIL,
      endpoint: email,
    });
  }
}
