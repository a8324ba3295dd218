/** The alarm on the filter's metric (CloudWatch API reference: DescribeAlarmsForMetric, DescribeAlarms). */
import {
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  type CloudWatchClient,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { describeAwsError } from '../../aws/clients.js';
import { checkAlarms, metricOf } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { POLICY_FIX, type AuditContext } from './context.js';

/**
 * Reads the alarms on the metric of `filter` (or, without a filter, the alarm named `options.alarmName`) with
 * `cloudwatch` (a client of the metric's Region) and runs {@link checkAlarms}. Returns the chosen alarm.
 */
export async function collectAlarm(
  ctx: AuditContext,
  cloudwatch: CloudWatchClient,
  filter: MetricFilter | undefined,
): Promise<{ findings: Finding[]; alarm?: MetricAlarm }> {
  const transformation = filter?.metricTransformations?.[0];
  ctx.options.progress('reading alarms…');
  try {
    const alarms = transformation
      ? ((
          await cloudwatch.send(
            new DescribeAlarmsForMetricCommand({
              MetricName: transformation.metricName,
              Namespace: transformation.metricNamespace,
            }),
          )
        ).MetricAlarms ?? [])
      : ((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [ctx.options.alarmName] })))
          .MetricAlarms ?? []);
    const metric = (filter && metricOf(filter)) ?? `alarm name ${ctx.options.alarmName}`;
    return checkAlarms(metric, alarms, ctx.options.alarmName);
  } catch (error) {
    return {
      findings: [
        finding.fail(
          'alarm',
          describeAwsError(
            transformation ? 'cloudwatch:DescribeAlarmsForMetric' : 'cloudwatch:DescribeAlarms',
            error,
          ),
          POLICY_FIX,
        ),
      ],
    };
  }
}
