import { ArnFormat, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqsQueues from 'aws-cdk-lib/aws-sqs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../src/defaults.js';
import { cloudWatchTopic } from './topics.js';

/**
 * The rule state that also delivers read-only management events (Get*, List*, Describe*) from CloudTrail:
 * rules in state `ENABLED` do not receive them. Source: Amazon EventBridge User Guide, "Receiving read-only
 * management events from AWS services"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html#eb-service-event-cloudtrail-management).
 */
export const ALL_MANAGEMENT_EVENTS_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/**
 * The EventBridge pattern of root-account usage, mirroring the CIS metric filter: CloudTrail API calls and
 * console sign-ins (both detail-type spellings) by `userIdentity.type` `Root`, without `invokedBy` (calls AWS
 * services make on root's behalf) and not `AwsServiceEvent`. Source: Amazon EventBridge User Guide, "Creating
 * event patterns" (`exists`, `anything-but` matching).
 */
export function rootUsageEventPattern(): events.EventPattern {
  return {
    detailType: [...CLOUDTRAIL_DETAIL_TYPES],
    detail: {
      userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] },
      eventType: [{ 'anything-but': 'AwsServiceEvent' }],
    },
  };
}

/** Sets a rule's state to {@link ALL_MANAGEMENT_EVENTS_STATE} (CDK's `enabled` knows only on and off). */
function receiveAllManagementEvents(rule: events.Rule): void {
  (rule.node.defaultChild as events.CfnRule).addPropertyOverride('State', ALL_MANAGEMENT_EVENTS_STATE);
}

/** Props of {@link FastPath}. */
export interface FastPathProps {
  /** The function that renders and delivers each event. */
  readonly function: lambda.IFunction;
  /**
   * Name of the event bus that receives the events forwarded from other Regions; created only when
   * `receivesForwarded` is true.
   */
  readonly busName: string;
  /** Whether other Regions forward their events (then the bus and its rule are created). */
  readonly receivesForwarded: boolean;
  /** Dead-letter queue of the rule targets, after the retries of {@link EVENT_RETRY_POLICY}. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Retry window of every rule target: 24 hours and 185 attempts, EventBridge's maximum (Amazon EventBridge User
 * Guide, "Event retry policy and using dead-letter queues",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 */
export const EVENT_RETRY_POLICY = { maxEventAge: Duration.hours(24), retryAttempts: 185 } as const;

/**
 * The fast path in the main Region: a rule on the default event bus (state
 * {@link ALL_MANAGEMENT_EVENTS_STATE}) that sends root-usage CloudTrail events to the function, and, when other
 * Regions forward theirs, an event bus for them with the same rule. The function's asynchronous retries and
 * failure queue apply to these invocations too (EventBridge invokes Lambda asynchronously).
 */
export class FastPath extends Construct {
  readonly rule: events.Rule;
  readonly bus?: events.EventBus;
  /** The rule on {@link FastPath.bus}, when other Regions forward. */
  readonly forwardedRule?: events.Rule;

  constructor(scope: Construct, id: string, props: FastPathProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'RootUsageRule', {
      description: 'Root-account usage (CloudTrail via EventBridge) to the Dooray alert function',
      eventPattern: rootUsageEventPattern(),
      targets: [
        new targets.LambdaFunction(props.function, {
          ...EVENT_RETRY_POLICY,
          deadLetterQueue: props.deadLetterQueue,
        }),
      ],
    });
    receiveAllManagementEvents(this.rule);
    if (props.receivesForwarded) {
      this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName });
      this.forwardedRule = new events.Rule(this, 'ForwardedRootUsageRule', {
        description: 'Root-account usage forwarded from other Regions to the Dooray alert function',
        eventBus: this.bus,
        eventPattern: rootUsageEventPattern(),
        targets: [
          new targets.LambdaFunction(props.function, {
            ...EVENT_RETRY_POLICY,
            deadLetterQueue: props.deadLetterQueue,
          }),
        ],
      });
    }
  }
}

/** Props of {@link FastPathForwarderStack}. */
export interface FastPathForwarderStackProps extends StackProps {
  /** The Region of the main stack, whose event bus receives the events. */
  readonly mainRegion: string;
  /** Name of the main stack's forwarded-events bus. */
  readonly busName: string;
  /** Name of the alert function: this Region's operations topic is `<functionName>-ops`, like the main one's. */
  readonly functionName: string;
  /**
   * Email address subscribed to this Region's operations topic (the main stack's operations contact): a
   * CloudWatch alarm can notify only a topic in its own Region.
   * @default - no subscription
   */
  readonly opsEmail?: string;
}

/**
 * A small stack for one extra Region: a rule on its default bus (state {@link ALL_MANAGEMENT_EVENTS_STATE}) that
 * forwards root-usage events to the main Region's bus — a rule cannot target a Lambda function in another
 * Region, but it can target an event bus there, through a role allowed `events:PutEvents` on that bus only.
 * Source: Amazon EventBridge User Guide, "Sending and receiving Amazon EventBridge events between AWS Regions"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html). What it cannot deliver stays
 * in its dead-letter queue, whose depth alarms to an operations topic in this Region (CloudWatch alarm actions
 * notify only topics of the alarm's own Region:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html), subscribed to the same
 * contact. `ForwarderTemplateStack` (`infra/forwarder-template.ts`) overrides the protected parts to take them
 * as CloudFormation parameters.
 */
export class FastPathForwarderStack extends Stack {
  readonly rule: events.Rule;
  /** This Region's operations topic. */
  readonly opsTopic: sns.Topic;
  /** What EventBridge could not deliver to the main bus. */
  readonly deadLetterQueue: sqsQueues.Queue;

  constructor(scope: Construct, id: string, props: FastPathForwarderStackProps) {
    super(scope, id, props);
    const bus = events.EventBus.fromEventBusArn(this, 'MainBus', this.mainBusArn(props));
    // What EventBridge cannot deliver to the main bus stays here for 14 days.
    this.deadLetterQueue = new sqsQueues.Queue(this, 'DeadLetterQueue', {
      encryption: sqsQueues.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the forwarding rule target.',
    });
    this.rule = new events.Rule(this, 'ForwardRootUsageRule', {
      description:
        'Root-account usage in this Region, forwarded to the secu-alert-dooray bus of the main Region',
      eventPattern: rootUsageEventPattern(),
      targets: [new targets.EventBus(bus, { deadLetterQueue: this.deadLetterQueue })],
    });
    receiveAllManagementEvents(this.rule);
    // The EventBus target of CDK takes no retry policy; EventBridge accepts one on every target.
    (this.rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.RetryPolicy', {
      MaximumEventAgeInSeconds: EVENT_RETRY_POLICY.maxEventAge.toSeconds(),
      MaximumRetryAttempts: EVENT_RETRY_POLICY.retryAttempts,
    });

    this.opsTopic = cloudWatchTopic(this, 'OpsTopic', `${props.functionName}-ops`, undefined);
    const alarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${props.functionName}-forwarder-undelivered`,
      alarmDescription:
        'EventBridge could not forward root-usage events of this Region to the main Region: see the ' +
        "forwarder stack's dead-letter queue",
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(this.opsTopic));
    this.subscribeOps(props, this.opsTopic);
  }

  /** ARN of the main Region's forwarded-events bus. */
  protected mainBusArn(props: FastPathForwarderStackProps): string {
    return this.formatArn({
      service: 'events',
      region: props.mainRegion,
      resource: 'event-bus',
      resourceName: props.busName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Subscribes the operations contact (`opsEmail`) to this Region's operations topic. */
  protected subscribeOps(props: FastPathForwarderStackProps, opsTopic: sns.ITopic): void {
    if (props.opsEmail !== undefined) {
      new sns.Subscription(this, 'OpsEmailSubscription', {
        topic: opsTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.opsEmail,
      });
    }
  }
}
