import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { cloudWatchTopic } from './topics.js';

/** How long the failure queue keeps a message (the SQS maximum). */
export const FAILURE_QUEUE_RETENTION = Duration.days(14);

/** Properties of {@link FailurePath}. */
export interface FailurePathProps {
  /** Name of the alert function: the queue is `<functionName>-failures`, the topic `<functionName>-ops`. */
  readonly functionName: string;
  /**
   * Customer-managed key of the operations topic.
   * @default - unencrypted
   */
  readonly topicKey?: kms.IKey;
}

/**
 * Where alerts that could not be delivered end up, and who hears of it: the SQS failure queue (on-failure
 * destination of the function's asynchronous invocations, kept 14 days) and the operations topic, never the
 * alarm topic (no loops), which the failure alarms notify ({@link FailurePath.watch}).
 */
export class FailurePath extends Construct {
  /** The on-failure destination of the function's asynchronous invocations. */
  readonly queue: sqs.Queue;
  /** The topic the failure alarms notify. */
  readonly opsTopic: sns.Topic;
  /** Dead-letter queue of every EventBridge rule target and schedule of the stack. */
  readonly eventsDeadLetterQueue: sqs.Queue;
  private readonly functionName: string;

  constructor(scope: Construct, id: string, props: FailurePathProps) {
    super(scope, id);
    this.functionName = props.functionName;
    this.opsTopic = cloudWatchTopic(this, 'OpsTopic', `${props.functionName}-ops`, props.topicKey);
    this.queue = new sqs.Queue(this, 'FailureQueue', {
      queueName: `${props.functionName}-failures`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: FAILURE_QUEUE_RETENTION,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter (on-failure) destination of the function's asynchronous " +
        'invocations; an alarm on its visible messages notifies the operations topic.',
    });
    this.eventsDeadLetterQueue = new sqs.Queue(this, 'EventsDeadLetterQueue', {
      queueName: `${props.functionName}-events-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: FAILURE_QUEUE_RETENTION,
    });
    Validations.of(this.eventsDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the EventBridge rule targets and the Scheduler ' +
        'schedules; an alarm on its visible messages notifies the operations topic.',
    });
    this.alarmToOps(
      'EventsDeadLetterAlarm',
      `${props.functionName}-events-undelivered`,
      `EventBridge or Scheduler could not deliver events: see the SQS queue ${props.functionName}-events-dlq`,
      this.eventsDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
    );
  }

  /**
   * An alarm to the operations topic on `FailedInvocations` of `rule` (invocations that failed for good,
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html).
   */
  watchRule(id: string, rule: events.IRule): void {
    this.alarmToOps(
      id,
      `${this.functionName}-${id}-failed-invocations`,
      `The EventBridge rule ${id} failed to invoke its target (see ${this.functionName}-events-dlq)`,
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensionsMap: { RuleName: rule.ruleName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
    );
  }

  /** An alarm (≥ 1 in 5 minutes, missing data not breaching) that notifies the operations topic. */
  private alarmToOps(id: string, alarmName: string, description: string, metric: cloudwatch.IMetric): void {
    new cloudwatch.Alarm(this, id, {
      alarmName,
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new cwActions.SnsAction(this.opsTopic));
  }

  /**
   * Alarms to the operations topic: a message in the failure queue (delivery failed for good) and any error of
   * `fn` (it retries; an error is early warning).
   */
  watch(fn: lambda.IFunction): void {
    const opsAction = new cwActions.SnsAction(this.opsTopic);
    const failedAlarm = new cloudwatch.Alarm(this, 'FailedDeliveriesAlarm', {
      alarmName: `${this.functionName}-failed-deliveries`,
      alarmDescription: `Alert deliveries to Dooray failed for good: see the SQS queue ${this.functionName}-failures`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
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
      alarmName: `${this.functionName}-errors`,
      alarmDescription: `The function ${this.functionName} failed (it retries; see its log group)`,
      metric: fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errorsAlarm.addAlarmAction(opsAction);
  }
}
