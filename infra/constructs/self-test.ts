import { Aws, Duration, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SELF_TEST_MARK } from '../../src/defaults.js';

/** Properties of {@link SelfTestSchedule}. */
export interface SelfTestScheduleProps {
  /**
   * Dead-letter queue of the schedule's target, after Scheduler's retries (24 hours, 185 attempts:
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).
   */
  readonly deadLetterQueue: sqs.IQueue;
  /** The alarm topic (`root-alert`) the synthetic notification is published to. */
  readonly topic: sns.ITopic;
  /** The customer-managed key that encrypts the topic, if any (`Topic.grantPublish` grants its use). */
  readonly topicKey?: kms.IKey;
  /** Name of the alarm the notification pretends to come from, so the handler picks its subject. */
  readonly alarmName: string;
  /** ARN of that alarm. */
  readonly alarmArn: string;
  /**
   * EventBridge Scheduler expression: `cron(…)`, `rate(…)` or `at(…)`
   * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
   * @default 'cron(0 10 1 * ? *)' — 10:00 on the 1st of every month
   */
  readonly expression?: string;
  /**
   * IANA time zone of `expression`.
   * @default 'Asia/Seoul'
   */
  readonly timeZone?: string;
}

/** Default self-test schedule: 10:00 on the first day of every month. */
export const DEFAULT_SELF_TEST_EXPRESSION = 'cron(0 10 1 * ? *)';
/** Default time zone of the self-test schedule. */
export const DEFAULT_SELF_TEST_TIME_ZONE = 'Asia/Seoul';

/**
 * The CloudWatch alarm notification that the schedule publishes: the JSON CloudWatch sends to SNS
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-sns-notifications.html), with a state
 * reason that starts with the self-test mark so the handler renders it as a marked test. `StateChangeTime` is
 * the scheduler's `<aws.scheduler.scheduled-time>` context attribute, so the handler's dedupe key
 * (AlarmArn + StateChangeTime + NewStateValue) differs between runs.
 */
export function selfTestNotification(alarmName: string, alarmArn: string): Record<string, string> {
  return {
    AlarmName: alarmName,
    AlarmDescription: `${SELF_TEST_MARK.ko} secu-alert-dooray scheduled self-test / ${SELF_TEST_MARK.en}`,
    AWSAccountId: Aws.ACCOUNT_ID,
    NewStateValue: 'ALARM',
    NewStateReason: `${SELF_TEST_MARK.ko} 알림 경로(SNS → Lambda → Dooray) 정기 점검입니다. 실제 root 계정 사용이 아닙니다. / ${SELF_TEST_MARK.en} periodic check of the alert path; not real root usage.`,
    StateChangeTime: scheduler.ContextAttribute.scheduledTime,
    Region: Aws.REGION,
    AlarmArn: alarmArn,
    OldStateValue: 'OK',
  };
}

/**
 * An EventBridge Scheduler schedule that publishes a synthetic, clearly marked `[정기 테스트]` alarm
 * notification to the alarm topic, so the whole SNS → Lambda → Dooray path is exercised regularly (the
 * guide's section 9 asks for regular tests). Its role may only publish to that topic.
 */
export class SelfTestSchedule extends Construct {
  /** The schedule. */
  readonly schedule: scheduler.Schedule;
  /** The role the schedule assumes to publish. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SelfTestScheduleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: 'secu-alert-dooray self-test: publishes to the alarm topic',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    if (props.topicKey !== undefined) {
      // SnsPublish grants publishing through `Topic.grantPublish`, which adds the topic key's actions.
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'Added by Topic.grantPublish for the encrypted alarm topic: the GenerateDataKey variants a publisher ' +
          'needs (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html), on that one key only.',
      });
    }
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'secu-alert-dooray: scheduled self-test of the alarm topic → Lambda → Dooray path',
      schedule: scheduler.ScheduleExpression.expression(
        props.expression ?? DEFAULT_SELF_TEST_EXPRESSION,
        TimeZone.of(props.timeZone ?? DEFAULT_SELF_TEST_TIME_ZONE),
      ),
      target: new targets.SnsPublish(props.topic, {
        input: scheduler.ScheduleTargetInput.fromObject(
          selfTestNotification(props.alarmName, props.alarmArn),
        ),
        role: this.role,
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: Duration.hours(24),
        retryAttempts: 185,
      }),
    });
  }
}
