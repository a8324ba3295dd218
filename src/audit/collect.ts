/**
 * Fetches what the audit checks need, following the alert chain from the trail to the Lambda function, and
 * runs the checks of `./checks.ts` on it. Every AWS call is read-only (see `AUDIT_POLICY`).
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  type Event as CloudTrailEvent,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  type AlarmHistoryItem,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  type MetricFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRouteTablesCommand, EC2Client, type RouteTable } from '@aws-sdk/client-ec2';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { ListSubscriptionsByTopicCommand, SNSClient, type Subscription } from '@aws-sdk/client-sns';
import { clientConfig, describeAwsError, type AwsTarget } from '../aws/clients.js';
import {
  checkAlarms,
  checkFailurePath,
  checkHookUrlConfig,
  checkInvokePermission,
  checkMetricFilters,
  checkNetwork,
  checkRecentTest,
  checkRootCredentials,
  checkRuntime,
  checkSubscriptions,
  checkTrails,
  logGroupName,
  metricOf,
  snsActions,
  TEST_WINDOW_DAYS,
  type TopicSubscriptions,
  type TrailState,
} from './checks.js';
import { finding, type Finding } from './findings.js';
import type { RootUsageCorpus } from './pattern.js';

/** What {@link runAudit} needs besides the AWS target. */
export interface AuditOptions {
  /** The alarm to prefer and to fall back on (`root-alert`). */
  alarmName: string;
  /** The function to check when no subscription names one (`secu-alert-dooray`). */
  functionName: string;
  /** The fixtures' records split by the CIS pattern. */
  corpus: RootUsageCorpus;
  /** Epoch ms of "now" (for the 90-day window and runtime deprecation). */
  now: number;
  /** Progress lines (to stderr). */
  progress: (line: string) => void;
}

const POLICY_FIX = 'grant the read-only policy of `secu-alert audit --print-policy`';

/** Region of an ARN (`arn:aws:<service>:<region>:…`), or `fallback`. */
const regionOf = (arn: string, fallback: string): string => arn.split(':')[3] || fallback;

const notChecked = (check: string, why: string): Finding =>
  finding.fail(check, `not checked: ${why}`, 'fix the finding above first');

const isNotFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ResourceNotFoundException';

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

/**
 * Runs every audit check against the account of `target` and returns the findings in chain order: trail,
 * metric filter, alarm, subscription, Lambda (permission, runtime, hook URL, network, failure path), root
 * credentials, recent test. Never throws for an AWS error: a failed read becomes a FAIL finding naming the
 * operation.
 */
export async function runAudit(target: AwsTarget, options: AuditOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const config = (region = target.region) => clientConfig({ ...target, region });

  // 1. Trail (CloudTrail: DescribeTrails, GetTrailStatus, GetEventSelectors).
  options.progress('reading CloudTrail trails…');
  let logGroupArn: string | undefined;
  try {
    const cloudtrail = new CloudTrailClient(config());
    const { trailList = [] } = await cloudtrail.send(
      new DescribeTrailsCommand({ includeShadowTrails: true }),
    );
    const states: TrailState[] = [];
    for (const trail of trailList) {
      const arn = trail.TrailARN ?? trail.Name ?? '';
      const home = new CloudTrailClient(config(trail.HomeRegion ?? target.region));
      const state: TrailState = { trail };
      try {
        state.isLogging = (await home.send(new GetTrailStatusCommand({ Name: arn }))).IsLogging ?? false;
        const selectors = await home.send(new GetEventSelectorsCommand({ TrailName: arn }));
        if (selectors.EventSelectors) state.eventSelectors = selectors.EventSelectors;
        if (selectors.AdvancedEventSelectors) state.advancedEventSelectors = selectors.AdvancedEventSelectors;
      } catch (error) {
        state.error = describeAwsError('cloudtrail:GetTrailStatus/GetEventSelectors', error);
      }
      states.push(state);
    }
    const result = checkTrails(states);
    findings.push(...result.findings);
    logGroupArn = result.logGroupArn;
  } catch (error) {
    findings.push(finding.fail('trail', describeAwsError('cloudtrail:DescribeTrails', error), POLICY_FIX));
  }

  // 2. Metric filter on the trail's log group (CloudWatch Logs: DescribeMetricFilters).
  let filter: MetricFilter | undefined;
  let metricRegion = target.region;
  if (logGroupArn) {
    const group = logGroupName(logGroupArn);
    metricRegion = regionOf(logGroupArn, target.region);
    options.progress(`reading the metric filters of ${group}…`);
    try {
      const logs = new CloudWatchLogsClient(config(metricRegion));
      const filters: MetricFilter[] = [];
      let nextToken: string | undefined;
      do {
        const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, nextToken }));
        filters.push(...(page.metricFilters ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const result = checkMetricFilters(group, filters, options.corpus);
      findings.push(...result.findings);
      filter = result.filter;
    } catch (error) {
      findings.push(
        isNotFound(error)
          ? finding.fail(
              'metric-filter',
              `log group ${group} is not in this account/Region (an organization trail's log group lives in the management account)`,
              'run the audit with credentials of the account that owns the log group',
            )
          : finding.fail('metric-filter', describeAwsError('logs:DescribeMetricFilters', error), POLICY_FIX),
      );
    }
  } else {
    findings.push(notChecked('metric-filter', 'no trail delivers to a CloudWatch Logs log group'));
  }

  // 3. Alarm on the filter's metric (CloudWatch: DescribeAlarmsForMetric; else DescribeAlarms by name).
  let alarm: MetricAlarm | undefined;
  const cloudwatch = new CloudWatchClient(config(metricRegion));
  const transformation = filter?.metricTransformations?.[0];
  options.progress('reading alarms…');
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
      : ((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [options.alarmName] })))
          .MetricAlarms ?? []);
    const metric = (filter && metricOf(filter)) ?? `alarm name ${options.alarmName}`;
    const result = checkAlarms(metric, alarms, options.alarmName);
    findings.push(...result.findings);
    alarm = result.alarm;
  } catch (error) {
    findings.push(
      finding.fail(
        'alarm',
        describeAwsError(
          transformation ? 'cloudwatch:DescribeAlarmsForMetric' : 'cloudwatch:DescribeAlarms',
          error,
        ),
        POLICY_FIX,
      ),
    );
  }

  // 4. Confirmed Lambda subscription on the alarm's topic (SNS: ListSubscriptionsByTopic).
  let topicArn: string | undefined;
  let functionRef = options.functionName;
  if (alarm) {
    const topics: TopicSubscriptions[] = [];
    for (const arn of snsActions(alarm)) {
      options.progress(`reading the subscriptions of ${arn}…`);
      const sns = new SNSClient(config(regionOf(arn, target.region)));
      try {
        const subscriptions: Subscription[] = [];
        let nextToken: string | undefined;
        do {
          const page = await sns.send(
            new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: nextToken }),
          );
          subscriptions.push(...(page.Subscriptions ?? []));
          nextToken = page.NextToken;
        } while (nextToken);
        topics.push({ topicArn: arn, subscriptions });
      } catch (error) {
        topics.push({ topicArn: arn, error: describeAwsError('sns:ListSubscriptionsByTopic', error) });
      }
    }
    const result = checkSubscriptions(topics);
    findings.push(...result.findings);
    topicArn = result.topicArn;
    if (result.functionArn) functionRef = result.functionArn;
  } else {
    findings.push(notChecked('subscription', 'no alarm'));
  }

  // 5. The Lambda function (Lambda: GetPolicy, GetFunctionConfiguration, GetFunctionEventInvokeConfig).
  options.progress(`reading the Lambda function ${functionRef}…`);
  const lambdaRegion = functionRef.startsWith('arn:') ? regionOf(functionRef, target.region) : target.region;
  const lambda = new LambdaClient(config(lambdaRegion));
  if (topicArn) {
    try {
      const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: functionRef }));
      findings.push(...checkInvokePermission(Policy, topicArn, functionRef));
    } catch (error) {
      findings.push(
        ...(isNotFound(error)
          ? checkInvokePermission(undefined, topicArn, functionRef)
          : [finding.fail('lambda-permission', describeAwsError('lambda:GetPolicy', error), POLICY_FIX)]),
      );
    }
  } else {
    findings.push(notChecked('lambda-permission', 'no topic with a Lambda subscription'));
  }
  let functionLogGroup: string | undefined;
  try {
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionRef }));
    functionLogGroup = fn.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.FunctionName ?? options.functionName}`;
    findings.push(...checkRuntime(fn.Runtime, options.now));
    findings.push(...checkHookUrlConfig(fn.Environment?.Variables ?? {}));
    const subnetIds = fn.VpcConfig?.SubnetIds ?? [];
    const tables: Record<string, RouteTable | undefined> = {};
    if (subnetIds.length > 0) {
      try {
        const ec2 = new EC2Client(config(lambdaRegion));
        const explicit = await ec2.send(
          new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: subnetIds }] }),
        );
        for (const table of explicit.RouteTables ?? []) {
          for (const a of table.Associations ?? []) if (a.SubnetId) tables[a.SubnetId] = table;
        }
        if (subnetIds.some((s) => !tables[s]) && fn.VpcConfig?.VpcId) {
          const main = await ec2.send(
            new DescribeRouteTablesCommand({
              Filters: [
                { Name: 'vpc-id', Values: [fn.VpcConfig.VpcId] },
                { Name: 'association.main', Values: ['true'] },
              ],
            }),
          );
          for (const s of subnetIds) tables[s] ??= main.RouteTables?.[0];
        }
        findings.push(...checkNetwork(subnetIds, tables));
      } catch (error) {
        findings.push(
          finding.fail('lambda-network', describeAwsError('ec2:DescribeRouteTables', error), POLICY_FIX),
        );
      }
    } else {
      findings.push(...checkNetwork([], {}));
    }
    let onFailure: string | undefined;
    try {
      const invokeConfig = await lambda.send(
        new GetFunctionEventInvokeConfigCommand({ FunctionName: functionRef }),
      );
      onFailure = invokeConfig.DestinationConfig?.OnFailure?.Destination;
    } catch (error) {
      if (!isNotFound(error)) {
        findings.push(
          finding.fail(
            'lambda-failure-path',
            describeAwsError('lambda:GetFunctionEventInvokeConfig', error),
            POLICY_FIX,
          ),
        );
      }
    }
    if (!findings.some((f) => f.check === 'lambda-failure-path')) {
      findings.push(...checkFailurePath(fn.DeadLetterConfig?.TargetArn, onFailure));
    }
  } catch (error) {
    findings.push(
      isNotFound(error)
        ? finding.fail(
            'lambda',
            `function ${functionRef} not found`,
            'deploy the stack (npm run deploy) or pass --function',
          )
        : finding.fail('lambda', describeAwsError('lambda:GetFunctionConfiguration', error), POLICY_FIX),
    );
  }

  // 6. Root credentials (IAM: GetAccountSummary).
  options.progress('reading the IAM account summary…');
  try {
    const { SummaryMap = {} } = await new IAMClient(config()).send(new GetAccountSummaryCommand({}));
    findings.push(...checkRootCredentials(SummaryMap));
  } catch (error) {
    findings.push(finding.fail('root-mfa', describeAwsError('iam:GetAccountSummary', error), POLICY_FIX));
  }

  // 7. Fired or tested in the last 90 days (alarm state, DescribeAlarmHistory, CloudTrail LookupEvents).
  if (alarm) {
    options.progress(
      `looking for ALARM states of ${alarm.AlarmName ?? '?'} in the last ${TEST_WINDOW_DAYS} days…`,
    );
    const start = new Date(options.now - TEST_WINDOW_DAYS * 86_400_000);
    let history: AlarmHistoryItem[] = [];
    let events: CloudTrailEvent[] = [];
    const unread: string[] = [];
    try {
      history =
        (
          await cloudwatch.send(
            new DescribeAlarmHistoryCommand({
              AlarmName: alarm.AlarmName,
              HistoryItemType: 'StateUpdate',
              StartDate: start,
              EndDate: new Date(options.now),
              MaxRecords: 100,
              ScanBy: 'TimestampDescending',
            }),
          )
        ).AlarmHistoryItems ?? [];
    } catch (error) {
      unread.push(describeAwsError('cloudwatch:DescribeAlarmHistory', error));
    }
    try {
      const cloudtrail = new CloudTrailClient(config(metricRegion));
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await cloudtrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'SetAlarmState' }],
            StartTime: start,
            EndTime: new Date(options.now),
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
    let result = checkRecentTest(alarm, history, events, options.now);
    if (result.some((f) => f.status !== 'PASS') && functionLogGroup) {
      // The stack's monthly self-test publishes to the topic without changing the alarm: its evidence is the
      // Lambda's "delivered" line marked as a scheduled test.
      try {
        const deliveries = await selfTestDeliveries(
          new CloudWatchLogsClient(config(lambdaRegion)),
          functionLogGroup,
          start.getTime(),
        );
        result = checkRecentTest(alarm, history, events, options.now, deliveries);
      } catch (error) {
        if (!isNotFound(error)) unread.push(describeAwsError('logs:FilterLogEvents', error));
      }
    }
    findings.push(
      ...result.map((f) =>
        f.status === 'PASS' || unread.length === 0
          ? f
          : { ...f, detail: `${f.detail} (${unread.join('; ')})` },
      ),
    );
  } else {
    findings.push(notChecked('alarm-tested', 'no alarm'));
  }
  return findings;
}
