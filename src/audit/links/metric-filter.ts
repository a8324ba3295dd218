/** The metric filter on the trail's log group (CloudWatch Logs API reference: DescribeMetricFilters). */
import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  type MetricFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import { describeAwsError } from '../../aws/clients.js';
import { checkMetricFilters, logGroupName } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { isNotFound, notChecked, POLICY_FIX, regionOf, type AuditContext } from './context.js';

/**
 * Reads every metric filter of the log group `logGroupArn` (in its Region) and runs {@link checkMetricFilters}.
 * Returns the findings, the chosen filter and the Region of its metric (the target's when there is no log
 * group).
 */
export async function collectMetricFilter(
  ctx: AuditContext,
  logGroupArn: string | undefined,
): Promise<{ findings: Finding[]; filter?: MetricFilter; metricRegion: string }> {
  if (!logGroupArn) {
    return {
      findings: [notChecked('metric-filter', 'no trail delivers to a CloudWatch Logs log group')],
      metricRegion: ctx.target.region,
    };
  }
  const group = logGroupName(logGroupArn);
  const metricRegion = regionOf(logGroupArn, ctx.target.region);
  ctx.options.progress(`reading the metric filters of ${group}…`);
  try {
    const logs = new CloudWatchLogsClient(ctx.config(metricRegion));
    const filters: MetricFilter[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, nextToken }));
      filters.push(...(page.metricFilters ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return { ...checkMetricFilters(group, filters, ctx.options.corpus), metricRegion };
  } catch (error) {
    return {
      findings: [
        isNotFound(error)
          ? finding.fail(
              'metric-filter',
              `log group ${group} is not in this account/Region (an organization trail's log group lives in the management account)`,
              'run the audit with credentials of the account that owns the log group',
            )
          : finding.fail('metric-filter', describeAwsError('logs:DescribeMetricFilters', error), POLICY_FIX),
      ],
      metricRegion,
    };
  }
}
