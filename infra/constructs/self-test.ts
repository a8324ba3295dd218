import { Aws, Duration, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
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
  /** The alarm topic (`root-alert`): the self-test alarm's action, the same as the root-usage alarm's. */
  readonly topic: sns.ITopic;
  /** Name of the self-test alarm ({@link selfTestAlarmName}); the function gets it as `SELF_TEST_ALARM_NAME`. */
  readonly alarmName: string;
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

/** Name of the self-test alarm of the root-usage alarm `alarmName`: `<alarmName>-self-test`. */
export function selfTestAlarmName(alarmName: string): string {
  return `${alarmName}-self-test`;
}

/**
 * The metric of the self-test alarm, which nothing writes: with missing data not breaching, the alarm is OK
 * except right after the schedule sets it to ALARM, and returns to OK at its next evaluation.
 */
export const SELF_TEST_METRIC = { namespace: 'SecuAlertDooray', metricName: 'SelfTestNeverWritten' } as const;

/**
 * The state reason the schedule sets: it starts with the self-test mark. The handler trusts it as the
 * scheduled test because it comes from the self-test alarm (`SELF_TEST_ALARM_NAME`), not because of the text.
 */
export const SELF_TEST_STATE_REASON =
  `${SELF_TEST_MARK.ko} 알림 경로(CloudWatch 경보 → SNS → Lambda → Dooray) 정기 점검입니다. 실제 root 계정 사용이 ` +
  `아닙니다. / ${SELF_TEST_MARK.en} periodic check of the alert path (alarm → SNS → Lambda); not real root usage.`;

/**
 * The periodic self-test through the real hop: a separate alarm `<alarmName>-self-test` whose action is the alarm
 * topic (as the root-usage alarm's), on a metric nothing writes ({@link SELF_TEST_METRIC}), and an EventBridge
 * Scheduler schedule that calls CloudWatch `SetAlarmState` on it through the universal target
 * `arn:aws:scheduler:::aws-sdk:cloudwatch:setAlarmState`
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html). CloudWatch then
 * publishes to the topic itself — with the topic's key when it is encrypted — so a broken topic policy or key
 * policy shows as a missing monthly test, while the root-usage alarm is never touched. The alarm returns to OK
 * at its next evaluation (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html).
 * The schedule's role may only set this alarm's state.
 */
export class SelfTestSchedule extends Construct {
  /** The schedule. */
  readonly schedule: scheduler.Schedule;
  /** The self-test alarm. */
  readonly alarm: cloudwatch.Alarm;
  /** The role the schedule assumes. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SelfTestScheduleProps) {
    super(scope, id);
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription:
        'secu-alert-dooray self-test: set to ALARM by the monthly schedule; nothing else writes its metric',
      metric: new cloudwatch.Metric({
        ...SELF_TEST_METRIC,
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new cwActions.SnsAction(props.topic));
    this.role = new iam.Role(this, 'Role', {
      description: 'secu-alert-dooray self-test: sets the state of the self-test alarm',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'secu-alert-dooray: scheduled self-test of the alarm → SNS → Lambda → Dooray path',
      schedule: scheduler.ScheduleExpression.expression(
        props.expression ?? DEFAULT_SELF_TEST_EXPRESSION,
        TimeZone.of(props.timeZone ?? DEFAULT_SELF_TEST_TIME_ZONE),
      ),
      target: new targets.Universal({
        service: 'cloudwatch',
        action: 'setAlarmState',
        input: scheduler.ScheduleTargetInput.fromObject({
          AlarmName: props.alarmName,
          StateValue: 'ALARM',
          StateReason: SELF_TEST_STATE_REASON,
        }),
        policyStatements: [
          new iam.PolicyStatement({
            actions: ['cloudwatch:SetAlarmState'],
            resources: [this.alarm.alarmArn],
          }),
        ],
        role: this.role,
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: Duration.hours(24),
        retryAttempts: 185,
      }),
    });
  }
}
