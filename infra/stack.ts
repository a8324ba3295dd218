import { fileURLToPath } from 'node:url';
import {
  Annotations,
  type CfnCondition,
  type CfnElement,
  CfnOutput,
  CfnParameter,
  type Duration,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  ALARM_NAME,
  DEFAULT_BOT_NAME,
  DEFAULT_NOTIFY_STATES,
  DEFAULT_SUBJECT_MAP,
  ENV,
  FUNCTION_NAME,
  HOOK_URL_PARAMETER_NAME,
  TOPIC_NAME,
  type AlarmState,
} from '../src/defaults.js';
import { AlarmSource } from './constructs/alarm-source.js';
import { AlertFunction } from './constructs/alert-function.js';
import { FailurePath } from './constructs/failure-path.js';
import { FastPath } from './constructs/fast-path.js';
import { FlushSchedule } from './constructs/flush-schedule.js';
import { logicalIdThrough } from './constructs/logical-ids.js';
import { SelfTestSchedule, selfTestAlarmName } from './constructs/self-test.js';
import { cloudWatchTopic, cloudWatchTopicKey } from './constructs/topics.js';
import { NewTrail } from './constructs/trail-source.js';
import {
  HOOK_URL_CFN_PARAMETER,
  hookUrlAccess,
  validateHookUrlSource,
  type HookUrlSource,
} from './hook-url.js';

/** A CloudWatch alarm state (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html). */
export type { AlarmState };
export {
  ASYNC_RETRY_ATTEMPTS,
  DEFAULT_FUNCTION_LOG_RETENTION,
  DEFAULT_MAX_EVENT_AGE,
} from './constructs/alert-function.js';
export { FAILURE_QUEUE_RETENTION } from './constructs/failure-path.js';

/** Directory of the handler's esbuild bundle (`npm run build` writes `dist/lambda/index.mjs`). */
export const LAMBDA_BUNDLE_DIR = fileURLToPath(new URL('../dist/lambda', import.meta.url));

/** Default retention of the trail's log group when the stack creates the trail, in days. */
export const DEFAULT_TRAIL_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * The constructs whose ids do not enter the logical ids of their resources (see `logicalIdThrough`): the
 * resources kept the ids they had when the stack created them directly.
 */
const TRANSPARENT_CONSTRUCTS: ReadonlySet<string> = new Set(['AlarmSource', 'AlertFunction', 'FailurePath']);

/**
 * Properties of {@link SecuAlertDoorayStack}. Names and defaults are the guide's (`src/defaults.ts`); every
 * handler setting of README's configuration table has a prop here.
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
   * Reserved concurrency of the function (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
   * None by default: Lambda refuses a reservation that leaves less than the minimum unreserved concurrency, so
   * an account with the new-account quota of 10 could not deploy. Dooray's one message per second per hook
   * holds across containers without it: the handler paces through the dedupe table (`DynamoPacer`).
   * @default - none
   */
  readonly reservedConcurrency?: number;
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
   * that sets the self-test alarm `<alarmName>-self-test` (action: the alarm topic) to ALARM, so the handler
   * posts a trusted `[정기 테스트]` message through the real alarm → SNS hop (`SelfTestSchedule`); `false` turns it off.
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

/** Handler settings and alarm options chosen at deploy time (the console template's parameters). */
export interface DeployTimeChoices {
  /** Environment entries that replace those of the props. */
  readonly environment: Readonly<Record<string, string>>;
  /** Condition under which the alarm gets its OK action (recovery messages). */
  readonly recovery?: CfnCondition;
}

/**
 * The whole pipeline of the guide in one stack: CloudTrail log group → metric filter (CIS pattern) → alarm
 * `root-alert` → SNS topic `root-alert` → Lambda `secu-alert-dooray` → Dooray, with a failure path
 * (async retries → SQS queue → alarms → operations topic) and a periodic self-test. It composes the constructs
 * of `infra/constructs/`; the parts that the console template chooses at deploy time are protected methods that
 * `ConsoleTemplateStack` (`infra/console-template.ts`) overrides.
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
    const createAlarm = props.createAlarm ?? true;
    if (!createAlarm && props.existingTopicArn === undefined) {
      throw new Error('createAlarm: false needs existingTopicArn (the topic the existing alarm notifies)');
    }
    const choices = this.deployTimeChoices();
    const alarmName = props.alarmName ?? ALARM_NAME;
    const functionName = props.functionName ?? FUNCTION_NAME;

    // Topics: the alarm topic (root-alert) and, in the failure path, the operations topic.
    const topicKey = props.encryptTopics ? cloudWatchTopicKey(this, 'TopicKey') : undefined;
    this.topic =
      props.existingTopicArn === undefined
        ? cloudWatchTopic(this, 'Topic', props.topicName ?? TOPIC_NAME, topicKey)
        : sns.Topic.fromTopicArn(this, 'Topic', props.existingTopicArn);
    const failurePath = new FailurePath(this, 'FailurePath', { functionName, topicKey });
    this.opsTopic = failurePath.opsTopic;
    this.failureQueue = failurePath.queue;

    // Source and alarm: trail log group → metric filter → alarm → topic.
    let trailLogs: logs.ILogGroup | undefined;
    if (createAlarm) {
      trailLogs = this.trailLogGroup(props);
      this.alarm = new AlarmSource(this, 'AlarmSource', {
        logGroup: trailLogs,
        alarmName,
        topic: this.topic,
        notifyStates: props.notifyStates ?? DEFAULT_NOTIFY_STATES,
        okActionCondition: choices?.recovery,
      }).alarm;
    }

    // The test-mark key: signs `secu-alert fire` test marks, so nobody else can make an alarm look like a test.
    const testMarkKey = new secretsmanager.Secret(this, 'TestMarkKey', {
      description: 'secu-alert-dooray: key of the test marks (secu-alert fire); never the webhook URL',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(testMarkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A random key that signs test marks, not a credential of another system; rotating it only invalidates ' +
        'marks in flight. Delete the value to renew it by a deploy.',
    });
    const selfTestAlarm = props.selfTest === false ? undefined : selfTestAlarmName(alarmName);

    // Function: own role, own log group, the handler bundle, subscribed to the topic.
    const alert = new AlertFunction(this, 'AlertFunction', {
      functionName,
      code: this.functionCode(props),
      environment: {
        ...handlerEnvironment(props, alarmName),
        ...choices?.environment,
        [ENV.testMarkKeySecretArn]: testMarkKey.secretArn,
        ...(selfTestAlarm === undefined ? {} : { [ENV.selfTestAlarmName]: selfTestAlarm }),
      },
      topic: this.topic,
      failureQueue: this.failureQueue,
      trailLogGroup: trailLogs,
      logRetentionDays: props.functionLogRetentionDays,
      reservedConcurrentExecutions: props.reservedConcurrency,
      maxEventAge: props.maxEventAge,
    });
    this.function = alert.function;
    this.readHookUrl(props, alert);
    alert.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTestMarkKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [testMarkKey.secretArn],
      }),
    );

    // Failure path: alarms on the failure queue and on the function's errors → operations topic.
    failurePath.watch(this.function);
    this.subscribeOps(props, this.opsTopic);

    // Fast path: CloudTrail events through EventBridge, here and forwarded from other Regions.
    if (props.fastPath !== false) {
      const forwardedFrom = props.fastPath?.forwardedFromRegions ?? [];
      const fastPath = new FastPath(this, 'FastPath', {
        function: this.function,
        busName: fastPathBusName(functionName),
        receivesForwarded: forwardedFrom.length > 0,
        deadLetterQueue: failurePath.eventsDeadLetterQueue,
      });
      failurePath.watchRule('fast-path', fastPath.rule);
      // Flood control holds fast-path events for a session's digest: the flush names them within the bound.
      new FlushSchedule(this, 'Flush', {
        function: this.function,
        deadLetterQueue: failurePath.eventsDeadLetterQueue,
      });
      if (fastPath.forwardedRule) failurePath.watchRule('fast-path-forwarded', fastPath.forwardedRule);
    }

    // Periodic self-test through the whole alarm → SNS → Lambda → Dooray path, on its own alarm.
    if (props.selfTest !== false && selfTestAlarm !== undefined) {
      new SelfTestSchedule(this, 'SelfTest', {
        deadLetterQueue: failurePath.eventsDeadLetterQueue,
        topic: this.topic,
        alarmName: selfTestAlarm,
        expression: props.selfTest?.expression,
        timeZone: props.selfTest?.timeZone,
      });
    }

    new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn, description: 'Alarm topic (root-alert)' });
    new CfnOutput(this, 'FunctionName', { value: this.function.functionName });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl });
    new CfnOutput(this, 'OpsTopicArn', { value: this.opsTopic.topicArn });
  }

  /** Logical ids as if the transparent constructs were not there (`logicalIdThrough`). */
  protected override allocateLogicalId(cfnElement: CfnElement): string {
    return logicalIdThrough(this, cfnElement, TRANSPARENT_CONSTRUCTS);
  }

  /** Handler settings chosen at deploy time; none here (the props give them). */
  protected deployTimeChoices(): DeployTimeChoices | undefined {
    return undefined;
  }

  /** The log group the metric filter reads: existing, or new with a trail. */
  protected trailLogGroup(props: SecuAlertDoorayStackProps): logs.ILogGroup {
    if (props.trailLogGroupName !== undefined) {
      return logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', props.trailLogGroupName);
    }
    return new NewTrail(this, 'Trail', {
      logRetentionDays: props.trailLogRetentionDays ?? DEFAULT_TRAIL_LOG_RETENTION,
      bucketExpirationDays: props.trailBucketExpirationDays,
    }).logGroup;
  }

  /** The function's code: `props.code`, else the handler's esbuild bundle. */
  protected functionCode(props: SecuAlertDoorayStackProps): lambda.Code {
    return props.code ?? lambda.Code.fromAsset(LAMBDA_BUNDLE_DIR);
  }

  /** Grants the function read access to its webhook URL source and tells it where to look. */
  protected readHookUrl(props: SecuAlertDoorayStackProps, alert: AlertFunction): void {
    const source = props.hookUrl ?? { kind: 'parameter', parameterName: HOOK_URL_PARAMETER_NAME };
    validateHookUrlSource(source);
    const access = hookUrlAccess(source, () => this.plainHookUrlParameter(false).valueAsString);
    for (const statement of access.statements) alert.role.addToPrincipalPolicy(statement);
    for (const [name, value] of Object.entries(access.environment))
      alert.function.addEnvironment(name, value);
    if (source.kind === 'plain') {
      Annotations.of(this).addWarningV2(
        'secu-alert-dooray:plain-hook-url',
        `The Dooray webhook URL (${HOOK_URL_CFN_PARAMETER} parameter) will be visible in the configuration of ` +
          `the function ${alert.function.functionName} to anyone who may read it; prefer an SSM SecureString ` +
          'parameter or a Secrets Manager secret.',
      );
    }
  }

  /** Subscribes the operations contact (`opsEmail`) to the operations topic. */
  protected subscribeOps(props: SecuAlertDoorayStackProps, opsTopic: sns.ITopic): void {
    if (props.opsEmail !== undefined) opsEmailSubscription(this, opsTopic, props.opsEmail);
  }

  /**
   * The `NoEcho` parameter that carries the URL in `plain` mode. Its only possible default is the empty
   * string of the console template, where it is optional.
   */
  protected plainHookUrlParameter(optional: boolean): CfnParameter {
    return new CfnParameter(this, HOOK_URL_CFN_PARAMETER, {
      type: 'String',
      noEcho: true,
      default: optional ? '' : undefined,
      description:
        "Dooray webhook URL (the guide's DOORAY_HOOK_URL). Visible in the function's configuration: prefer " +
        'an SSM SecureString parameter or a Secrets Manager secret.',
    });
  }
}

/** Email subscription of `email` to the operations topic (confirmed from the email SNS sends). */
export function opsEmailSubscription(scope: Stack, topic: sns.ITopic, email: string): sns.Subscription {
  return new sns.Subscription(scope, 'OpsEmailSubscription', {
    topic,
    protocol: sns.SubscriptionProtocol.EMAIL,
    endpoint: email,
  });
}
