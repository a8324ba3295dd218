/**
 * The alarm fired or tested in the last 90 days: its state, its history (CloudWatch API reference:
 * DescribeAlarmHistory), `SetAlarmState` calls (CloudTrail API reference: LookupEvents) and the scheduled
 * self-test's deliveries in the function's log (CloudWatch Logs API reference: FilterLogEvents).
 */
import {
  LookupEventsCommand,
  CloudTrailClient,
  type Event as CloudTrailEvent,
} from '@aws-sdk/client-cloudtrail';
import {
  DescribeAlarmHistoryCommand,
  type AlarmHistoryItem,
  type CloudWatchClient,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describeAwsError } from '../../aws/clients.js';
import { checkRecentTest, TEST_WINDOW_DAYS } from '../checks.js';
import type { Finding } from '../findings.js';
import { isNotFound, notChecked, type AuditContext } from './context.js';

/** Most pages of FilterLogEvents read when looking for a self-test delivery. */
const MAX_LOG_PAGES = 20;

/**
 * Times (epoch ms) of the Lambda's deliveries of the scheduled self-test since `startTime`, from its log
 * group (CloudWatch Logs API reference: FilterLogEvents; the handler logs `{"message":"delivered",
 * "test":"scheduled",…}`). Stops at the first match.
 */
async function selfTestDeliveries(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  startTime: number,
): Promise<number[]> {
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({
        logGroupName,
        startTime,
        filterPattern: '{ $.message = "delivered" && $.test = "scheduled" }',
        nextToken,
      }),
    );
    const times = (page.events ?? []).flatMap((e) => (e.timestamp === undefined ? [] : [e.timestamp]));
    if (times.length > 0) return times;
    nextToken = page.nextToken;
  } while (nextToken && ++pages < MAX_LOG_PAGES);
  return [];
}

/** Where the evidence of a recent test is read. */
export interface RecentTestSources {
  /** A client of the alarm's Region. */
  cloudwatch: CloudWatchClient;
  /** The Region of the alarm's metric (where CloudTrail records `SetAlarmState`). */
  metricRegion: string;
  /** The function's log group and its Region, when known. */
  functionLogGroup?: string;
  lambdaRegion: string;
}

/**
 * Reads the evidence of an ALARM in the last {@link TEST_WINDOW_DAYS} days and runs {@link checkRecentTest};
 * the function's log is read only when the alarm's own evidence does not pass. Reads that fail are named in
 * the detail of a finding that does not pass.
 */
export async function collectRecentTest(
  ctx: AuditContext,
  alarm: MetricAlarm | undefined,
  sources: RecentTestSources,
): Promise<Finding[]> {
  if (!alarm) return [notChecked('alarm-tested', 'no alarm')];
  const { now } = ctx.options;
  ctx.options.progress(
    `looking for ALARM states of ${alarm.AlarmName ?? '?'} in the last ${TEST_WINDOW_DAYS} days…`,
  );
  const start = new Date(now - TEST_WINDOW_DAYS * 86_400_000);
  let history: AlarmHistoryItem[] = [];
  let events: CloudTrailEvent[] = [];
  const unread: string[] = [];
  try {
    history =
      (
        await sources.cloudwatch.send(
          new DescribeAlarmHistoryCommand({
            AlarmName: alarm.AlarmName,
            HistoryItemType: 'StateUpdate',
            StartDate: start,
            EndDate: new Date(now),
            MaxRecords: 100,
            ScanBy: 'TimestampDescending',
          }),
        )
      ).AlarmHistoryItems ?? [];
  } catch (error) {
    unread.push(describeAwsError('cloudwatch:DescribeAlarmHistory', error));
  }
  try {
    const cloudtrail = new CloudTrailClient(ctx.config(sources.metricRegion));
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'SetAlarmState' }],
          StartTime: start,
          EndTime: new Date(now),
          MaxResults: 50,
          NextToken: nextToken,
        }),
      );
      events = events.concat(page.Events ?? []);
      nextToken = page.NextToken;
    } while (nextToken && ++pages < 10);
  } catch (error) {
    unread.push(describeAwsError('cloudtrail:LookupEvents', error));
  }
  let result = checkRecentTest(alarm, history, events, now);
  if (result.some((f) => f.status !== 'PASS') && sources.functionLogGroup) {
    // The stack's monthly self-test publishes to the topic without changing the alarm: its evidence is the
    // Lambda's "delivered" line marked as a scheduled test.
    try {
      const deliveries = await selfTestDeliveries(
        new CloudWatchLogsClient(ctx.config(sources.lambdaRegion)),
        sources.functionLogGroup,
        start.getTime(),
      );
      result = checkRecentTest(alarm, history, events, now, deliveries);
    } catch (error) {
      if (!isNotFound(error)) unread.push(describeAwsError('logs:FilterLogEvents', error));
    }
  }
  return result.map((f) =>
    f.status === 'PASS' || unread.length === 0 ? f : { ...f, detail: `${f.detail} (${unread.join('; ')})` },
  );
}
