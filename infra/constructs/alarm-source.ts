import { Aws, type CfnCondition, Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  ALARM_EVALUATION_PERIODS,
  ALARM_PERIOD_SECONDS,
  ALARM_THRESHOLD,
  METRIC_NAME,
  METRIC_NAMESPACE,
  METRIC_VALUE,
  ROOT_USAGE_FILTER_PATTERN,
  type AlarmState,
} from '../../src/defaults.js';

/** Properties of {@link AlarmSource}. */
export interface AlarmSourceProps {
  /** The log group a CloudTrail trail delivers to; the metric filter reads it. */
  readonly logGroup: logs.ILogGroup;
  /** Name of the alarm. */
  readonly alarmName: string;
  /** The topic every alarm action notifies. */
  readonly topic: sns.ITopic;
  /**
   * Alarm states that notify the topic: `OK` adds the OK action, `INSUFFICIENT_DATA` the insufficient-data
   * action (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html).
   * @default ['ALARM']
   */
  readonly notifyStates?: readonly AlarmState[];
  /**
   * A condition chosen at deploy time (console template) under which the OK action is added; it then replaces
   * the OK action that `notifyStates` would add.
   * @default - the OK action follows `notifyStates` only
   */
  readonly okActionCondition?: CfnCondition;
}

/**
 * The guide's alarm source: a metric filter with the CIS root-usage filter pattern on the trail's log group, and
 * the alarm (sum ≥ 1 in one 5-minute period, missing data not breaching) that notifies the topic.
 * Source: https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1
 */
export class AlarmSource extends Construct {
  /** The metric filter. */
  readonly filter: logs.MetricFilter;
  /** The root-usage alarm. */
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AlarmSourceProps) {
    super(scope, id);
    const notifyStates = props.notifyStates ?? ['ALARM'];
    this.filter = new logs.MetricFilter(this, 'RootUsageFilter', {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.literal(ROOT_USAGE_FILTER_PATTERN),
      metricNamespace: METRIC_NAMESPACE,
      metricName: METRIC_NAME,
      metricValue: String(METRIC_VALUE),
    });
    this.alarm = new cloudwatch.Alarm(this, 'RootUsageAlarm', {
      alarmName: props.alarmName,
      alarmDescription: 'AWS root account used (CIS CloudWatch.1 metric filter on CloudTrail)',
      metric: this.filter.metric({
        statistic: cloudwatch.Stats.SUM,
        period: Duration.seconds(ALARM_PERIOD_SECONDS),
      }),
      threshold: ALARM_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: ALARM_EVALUATION_PERIODS,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new cwActions.SnsAction(props.topic);
    this.alarm.addAlarmAction(action);
    if (notifyStates.includes('OK')) this.alarm.addOkAction(action);
    if (props.okActionCondition !== undefined) {
      (this.alarm.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride(
        'OKActions',
        Fn.conditionIf(props.okActionCondition.logicalId, [props.topic.topicArn], Aws.NO_VALUE),
      );
    }
    if (notifyStates.includes('INSUFFICIENT_DATA')) this.alarm.addInsufficientDataAction(action);
  }
}
