/**
 * The audit's checks as pure functions over data already fetched from AWS (shapes of the AWS SDK v3 outputs,
 * i.e. of the AWS API references named on each function). Each returns findings and, for the chain's links,
 * the resource the next check follows.
 */
import type { AlarmHistoryItem, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type {
  Event as CloudTrailEvent,
  AdvancedEventSelector,
  EventSelector,
  Trail,
} from '@aws-sdk/client-cloudtrail';
import type { MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { RouteTable } from '@aws-sdk/client-ec2';
import type { Subscription } from '@aws-sdk/client-sns';
import { ENV, HOOK_URL_VARIABLES, hookUrlSourceProblem, ROOT_USAGE_FILTER_PATTERN } from '../defaults.js';
import { finding, type Finding } from './findings.js';
import { SECRET_REF, settingName, SSM_PARAMETER_REF } from './hook-url-setting.js';
import { classifyPattern, type RootUsageCorpus } from './pattern.js';

/** A trail with its status (CloudTrail API reference: GetTrailStatus) and selectors (GetEventSelectors). */
export interface TrailState {
  trail: Trail;
  isLogging?: boolean;
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  /** Why status or selectors could not be read (e.g. `AccessDeniedException`). */
  error?: string;
}

/** Which management events a trail's selectors record: reads, writes. */
export function managementCoverage(state: Pick<TrailState, 'eventSelectors' | 'advancedEventSelectors'>): {
  read: boolean;
  write: boolean;
} {
  const cover = { read: false, write: false };
  for (const s of state.eventSelectors ?? []) {
    if (s.IncludeManagementEvents === false) continue;
    const rw = s.ReadWriteType ?? 'All';
    if (rw === 'All' || rw === 'ReadOnly') cover.read = true;
    if (rw === 'All' || rw === 'WriteOnly') cover.write = true;
  }
  for (const s of state.advancedEventSelectors ?? []) {
    const fields = s.FieldSelectors ?? [];
    const category = fields.find((f) => f.Field === 'eventCategory');
    if (!category?.Equals?.includes('Management')) continue;
    const readOnly = fields.find((f) => f.Field === 'readOnly');
    // `readOnly` Equals ["true"] keeps reads only; NotEquals ["true"] keeps writes only; absent keeps both.
    let onlyValue: string | undefined;
    if (readOnly?.Equals?.length === 1) onlyValue = readOnly.Equals[0];
    else if (readOnly?.NotEquals?.length === 1)
      onlyValue = readOnly.NotEquals[0] === 'true' ? 'false' : 'true';
    if (onlyValue !== 'false') cover.read = true;
    if (onlyValue !== 'true') cover.write = true;
  }
  return cover;
}

function trailProblems(state: TrailState): string[] {
  const problems: string[] = [];
  if (state.error) problems.push(state.error);
  if (!state.trail.IsMultiRegionTrail) problems.push('single-Region');
  if (state.isLogging !== true) problems.push('not logging');
  const cover = managementCoverage(state);
  if (!cover.read || !cover.write) {
    problems.push(
      !cover.read && !cover.write
        ? 'no management events'
        : `management events ${cover.read ? 'read' : 'write'}-only`,
    );
  }
  if (!state.trail.CloudWatchLogsLogGroupArn) problems.push('no CloudWatch Logs log group');
  return problems;
}

/**
 * The trail check (CloudTrail API reference: DescribeTrails, GetTrailStatus, GetEventSelectors): PASS when a
 * multi-Region trail is logging management events, read and write, to a CloudWatch Logs log group; else FAIL
 * naming the nearest trail's problems. Returns the log group ARN the chain continues with (when any trail
 * delivers to one).
 */
export function checkTrails(trails: readonly TrailState[]): { findings: Finding[]; logGroupArn?: string } {
  if (trails.length === 0) {
    return {
      findings: [
        finding.fail(
          'trail',
          'no CloudTrail trail in this account/Region',
          'create a multi-Region trail with management events (read/write) delivering to CloudWatch Logs (guide 2–3)',
        ),
      ],
    };
  }
  const ranked = trails
    .map((t) => ({ t, problems: trailProblems(t) }))
    .sort(
      (a, b) =>
        Number(!b.t.trail.CloudWatchLogsLogGroupArn) - Number(!a.t.trail.CloudWatchLogsLogGroupArn) ||
        a.problems.length - b.problems.length,
    );
  const best = ranked[0];
  if (!best) return { findings: [] };
  const name = best.t.trail.Name ?? best.t.trail.TrailARN ?? '?';
  const logGroupArn = best.t.trail.CloudWatchLogsLogGroupArn;
  const group = logGroupArn ? ` → ${logGroupName(logGroupArn)}` : '';
  return {
    findings: [
      best.problems.length === 0
        ? finding.pass('trail', `${name}: multi-Region, logging, management events read+write${group}`)
        : finding.fail(
            'trail',
            `${name}: ${best.problems.join(', ')}${group}`,
            'make the trail multi-Region, start logging, record all management events and deliver to a CloudWatch Logs log group',
          ),
    ],
    ...(logGroupArn ? { logGroupArn } : {}),
  };
}

/** The log group name of a CloudWatch Logs log group ARN (`arn:aws:logs:<region>:<account>:log-group:<name>:*`). */
export function logGroupName(arn: string): string {
  const match = /:log-group:(.+?)(?::\*)?$/.exec(arn);
  return match?.[1] ?? arn;
}

const PATTERN_FIX = `set the filter pattern to the CIS string ${ROOT_USAGE_FILTER_PATTERN}`;

/**
 * The metric-filter check (CloudWatch Logs API reference: DescribeMetricFilters) over the filters of the
 * trail's log group: the CIS pattern → PASS; another pattern that matches every root-usage record of the
 * fixtures and no other → WARN (Security Hub CloudWatch.1 fails it); a broader one → WARN (false alarms); one
 * that misses root usage, or none → FAIL naming a missed record. Returns the chosen filter (for its metric).
 */
export function checkMetricFilters(
  logGroup: string,
  filters: readonly MetricFilter[],
  corpus: RootUsageCorpus,
): { findings: Finding[]; filter?: MetricFilter } {
  const rank = { PASS: 0, WARN: 1, FAIL: 2 } as const;
  const judged = filters.map((filter): { filter: MetricFilter; f: Finding } => {
    const label = `${filter.filterName ?? '?'} (${metricOf(filter) ?? 'no metric'})`;
    const verdict = classifyPattern(filter.filterPattern ?? '', corpus);
    switch (verdict.kind) {
      case 'cis':
        return { filter, f: finding.pass('metric-filter', `${label}: the CIS root-usage pattern`) };
      case 'equivalent':
        return {
          filter,
          f: finding.warn(
            'metric-filter',
            `${label}: not the CIS string, but matches all ${corpus.rootUsage.length} root-usage records of the fixtures and no other; Security Hub CloudWatch.1 will fail it`,
            PATTERN_FIX,
          ),
        };
      case 'broader':
        return {
          filter,
          f: finding.warn(
            'metric-filter',
            `${label}: catches root usage but also ${verdict.extra.length} other record(s), e.g. ${verdict.extra[0]?.label ?? '?'} (false alarms)`,
            PATTERN_FIX,
          ),
        };
      case 'misses':
        return {
          filter,
          f: finding.fail(
            'metric-filter',
            `${label}: misses ${verdict.missed.length} of ${corpus.rootUsage.length} root-usage records, e.g. ${verdict.missed[0]?.label ?? '?'}`,
            PATTERN_FIX,
          ),
        };
      case 'invalid':
        return {
          filter,
          f: finding.fail('metric-filter', `${label}: pattern does not parse: ${verdict.error}`, PATTERN_FIX),
        };
    }
  });
  const best = judged.sort((a, b) => rank[a.f.status] - rank[b.f.status])[0];
  if (!best) {
    return {
      findings: [
        finding.fail(
          'metric-filter',
          `log group ${logGroup} has no metric filter`,
          `create a metric filter with ${ROOT_USAGE_FILTER_PATTERN} → CloudTrailMetrics/RootAccountUsageCount (guide 4)`,
        ),
      ],
    };
  }
  return { findings: [best.f], filter: best.filter };
}

/** `Namespace/MetricName` of a metric filter's first transformation. */
export function metricOf(filter: MetricFilter): string | undefined {
  const t = filter.metricTransformations?.[0];
  return t ? `${t.metricNamespace ?? '?'}/${t.metricName ?? '?'}` : undefined;
}

function alarmProblems(alarm: MetricAlarm): string[] {
  const problems: string[] = [];
  if (alarm.Statistic !== 'Sum')
    problems.push(`statistic ${alarm.Statistic ?? alarm.ExtendedStatistic ?? 'none'} (want Sum)`);
  const t = alarm.Threshold ?? Number.NaN;
  const op = alarm.ComparisonOperator;
  const sensitive =
    (op === 'GreaterThanOrEqualToThreshold' && t <= 1) || (op === 'GreaterThanThreshold' && t < 1);
  if (!sensitive) problems.push(`${op ?? '?'} ${t} (want ≥ 1)`);
  if ((alarm.Period ?? Number.POSITIVE_INFINITY) > 300)
    problems.push(`period ${alarm.Period ?? '?'} s (want ≤ 300)`);
  if (alarm.ActionsEnabled === false) problems.push('actions disabled');
  if (!snsActions(alarm).length) problems.push('no SNS alarm action');
  return problems;
}

/** The SNS topic ARNs among an alarm's ALARM actions. */
export function snsActions(alarm: MetricAlarm): string[] {
  return (alarm.AlarmActions ?? []).filter((a) => a.startsWith('arn:aws') && a.split(':')[2] === 'sns');
}

/**
 * The alarm check (CloudWatch API reference: DescribeAlarmsForMetric / DescribeAlarms): an alarm on the
 * filter's metric with Sum, ≥ threshold ≤ 1 (or > below 1), period ≤ 300 s, actions enabled and an SNS action.
 * Prefers the alarm named `preferredName`. Returns the chosen alarm.
 */
export function checkAlarms(
  metric: string,
  alarms: readonly MetricAlarm[],
  preferredName: string,
): { findings: Finding[]; alarm?: MetricAlarm } {
  const ranked = alarms
    .map((alarm) => ({ alarm, problems: alarmProblems(alarm) }))
    .sort(
      (a, b) =>
        a.problems.length - b.problems.length ||
        Number(b.alarm.AlarmName === preferredName) - Number(a.alarm.AlarmName === preferredName),
    );
  const best = ranked[0];
  if (!best) {
    return {
      findings: [
        finding.fail(
          'alarm',
          `no alarm on ${metric}`,
          `create alarm ${preferredName}: Sum ≥ 1 over 300 s, action → SNS topic (guide 5)`,
        ),
      ],
    };
  }
  const a = best.alarm;
  const summary = `${a.AlarmName ?? '?'}: ${a.Statistic ?? '?'} ${a.ComparisonOperator === 'GreaterThanThreshold' ? '>' : '≥'} ${a.Threshold ?? '?'} over ${a.Period ?? '?'} s`;
  return {
    findings: [
      best.problems.length === 0
        ? finding.pass('alarm', `${summary}, actions → ${snsActions(a).join(', ')}`)
        : finding.fail(
            'alarm',
            `${a.AlarmName ?? '?'}: ${best.problems.join(', ')}`,
            'set Sum, GreaterThanOrEqualToThreshold 1, period 300 s, enable actions, add the SNS topic as ALARM action',
          ),
    ],
    alarm: a,
  };
}

/** The subscriptions of one topic (SNS API reference: ListSubscriptionsByTopic), or why they are unknown. */
export interface TopicSubscriptions {
  topicArn: string;
  subscriptions?: Subscription[];
  error?: string;
}

/**
 * The subscription check: one of the alarm's topics has a confirmed `lambda` subscription (a pending one has
 * `SubscriptionArn` `PendingConfirmation`). Returns that topic and the function ARN (the endpoint).
 */
export function checkSubscriptions(topics: readonly TopicSubscriptions[]): {
  findings: Finding[];
  topicArn?: string;
  functionArn?: string;
} {
  const confirmed = (s: Subscription): boolean =>
    s.SubscriptionArn !== undefined && s.SubscriptionArn.startsWith('arn:');
  for (const t of topics) {
    const sub = (t.subscriptions ?? []).find((s) => s.Protocol === 'lambda' && confirmed(s));
    if (sub?.Endpoint) {
      return {
        findings: [finding.pass('subscription', `${t.topicArn} → ${sub.Endpoint} (confirmed)`)],
        topicArn: t.topicArn,
        functionArn: sub.Endpoint,
      };
    }
  }
  const pending = topics.flatMap((t) =>
    (t.subscriptions ?? []).filter((s) => s.Protocol === 'lambda' && !confirmed(s)).map((s) => s.Endpoint),
  );
  const errors = topics.filter((t) => t.error).map((t) => `${t.topicArn}: ${t.error ?? ''}`);
  const detail =
    topics.length === 0
      ? 'no SNS topic to check (the alarm has no SNS action)'
      : pending.length > 0
        ? `lambda subscription not confirmed: ${pending.join(', ')}`
        : errors.length > 0
          ? errors.join('; ')
          : `no Lambda subscription on ${topics.map((t) => t.topicArn).join(', ')}`;
  return {
    findings: [
      finding.fail(
        'subscription',
        detail,
        'aws sns subscribe --protocol lambda --topic-arn <topic> --notification-endpoint <function ARN> (guide 7-2)',
      ),
    ],
  };
}

interface PolicyStatement {
  Effect?: string;
  Principal?: string | { Service?: string | string[]; AWS?: string | string[] };
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** IAM-style ARN wildcard match (`*` any run, `?` one character), case-sensitive. */
function arnLike(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

/**
 * The invoke-permission check (Lambda API reference: GetPolicy): the function's resource-based policy has an
 * Allow statement for principal `sns.amazonaws.com`, action `lambda:InvokeFunction`, with an `AWS:SourceArn`
 * condition matching the topic. No condition → WARN (any topic may invoke); no statement or no policy → FAIL.
 * `policy` is the policy document JSON (`Policy` of GetPolicy), undefined when the function has none.
 */
export function checkInvokePermission(
  policy: string | undefined,
  topicArn: string,
  functionArn: string,
): Finding[] {
  const fix = `aws lambda add-permission --function-name ${functionArn} --principal sns.amazonaws.com --action lambda:InvokeFunction --source-arn ${topicArn} (guide 7-1)`;
  let statements: PolicyStatement[] = [];
  if (policy !== undefined) {
    try {
      const doc = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
      statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    } catch {
      return [finding.fail('lambda-permission', `the resource policy of ${functionArn} is not JSON`, fix)];
    }
  }
  const snsAllows = statements.filter((s) => {
    const principal = s.Principal;
    const services = typeof principal === 'string' ? [principal] : asList(principal?.Service);
    return (
      s.Effect === 'Allow' &&
      services.some((p) => p === 'sns.amazonaws.com' || p === '*') &&
      asList(s.Action).some((a) => ['lambda:InvokeFunction', 'lambda:*', '*'].includes(a))
    );
  });
  const sourceArns = (s: PolicyStatement): string[] | undefined => {
    for (const [op, values] of Object.entries(s.Condition ?? {})) {
      if (!/^Arn(Like|Equals)$|^String(Like|Equals)$/.test(op)) continue;
      for (const [key, value] of Object.entries(values)) {
        if (key.toLowerCase() === 'aws:sourcearn') return asList(value);
      }
    }
    return undefined;
  };
  if (snsAllows.some((s) => sourceArns(s)?.some((p) => arnLike(p, topicArn)))) {
    return [finding.pass('lambda-permission', `sns.amazonaws.com may invoke it from ${topicArn}`)];
  }
  if (snsAllows.some((s) => sourceArns(s) === undefined)) {
    return [
      finding.warn(
        'lambda-permission',
        'SNS may invoke it, but without an AWS:SourceArn condition (any topic can)',
        `limit the statement with --source-arn ${topicArn}`,
      ),
    ];
  }
  return [
    finding.fail(
      'lambda-permission',
      policy === undefined
        ? `${functionArn} has no resource-based policy: SNS cannot invoke it`
        : `no statement lets ${topicArn} invoke ${functionArn}`,
      fix,
    ),
  ];
}

/**
 * Lambda runtimes and the dates they are (or were) deprecated, from the AWS Lambda Developer Guide page
 * "Lambda runtimes" (deprecated runtimes and the deprecation schedule). Runtimes not listed are current.
 */
export const RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  nodejs: '2016-10-31',
  'nodejs4.3': '2020-03-05',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
};

/** Days before a deprecation date from which the runtime check warns. */
const RUNTIME_WARN_DAYS = 180;

/**
 * The runtime check: FAIL for a deprecated runtime (as of `now`, epoch ms), WARN within 180 days of its
 * deprecation, PASS otherwise (container images have no managed runtime: PASS with a note).
 */
export function checkRuntime(runtime: string | undefined, now: number): Finding[] {
  if (runtime === undefined) return [finding.pass('lambda-runtime', 'container image (no managed runtime)')];
  const date = RUNTIME_DEPRECATION[runtime];
  const fix = 'update the function to nodejs24.x (redeploy the stack: npm run deploy)';
  if (date === undefined) return [finding.pass('lambda-runtime', `${runtime} (supported)`)];
  const deprecated = Date.parse(`${date}T00:00:00Z`);
  if (deprecated <= now) return [finding.fail('lambda-runtime', `${runtime} deprecated since ${date}`, fix)];
  if (deprecated - now <= RUNTIME_WARN_DAYS * 86_400_000) {
    return [finding.warn('lambda-runtime', `${runtime} is deprecated on ${date}`, fix)];
  }
  return [finding.pass('lambda-runtime', `${runtime} (deprecated on ${date})`)];
}

/**
 * The hook-URL check over the function's environment variables. Values are printed only when they are what
 * the variable names (a parameter name, a secret ARN); the URL never is. Exactly one of
 * `DOORAY_HOOK_URL_PARAMETER` / `DOORAY_HOOK_URL_SECRET_ARN` holding a parameter name / secret ARN → PASS; one
 * of them holding a URL (or anything else that is not a name) → FAIL, value not shown; `DOORAY_HOOK_URL` →
 * WARN (readable by anyone with lambda:GetFunctionConfiguration); none or several → FAIL.
 */
export function checkHookUrlConfig(variables: Readonly<Record<string, string>>): Finding[] {
  const isSet = (name: string): boolean => (variables[name] ?? '').trim() !== '';
  const set = HOOK_URL_VARIABLES.filter(isSet);
  const problem = hookUrlSourceProblem(isSet);
  const only = problem === undefined ? set[0] : undefined;
  if (only === ENV.hookUrlParameter || only === ENV.hookUrlSecretArn) {
    const isParameter = only === ENV.hookUrlParameter;
    const name = settingName(variables[only] ?? '', isParameter ? SSM_PARAMETER_REF : SECRET_REF);
    if (name !== undefined) return [finding.pass('lambda-hook-url', `${only}=${name}`)];
    return [
      finding.fail(
        'lambda-hook-url',
        `${only} holds ${isParameter ? 'no SSM parameter name' : 'no Secrets Manager secret ARN'} (value not shown: it may be the webhook URL, which is now readable by anyone with lambda:GetFunctionConfiguration)`,
        isParameter
          ? `store the URL in an SSM SecureString parameter and set ${ENV.hookUrlParameter} to its name; replace the webhook if the URL was exposed`
          : `store the URL in a Secrets Manager secret and set ${ENV.hookUrlSecretArn} to its ARN; replace the webhook if the URL was exposed`,
      ),
    ];
  }
  if (only === ENV.hookUrl) {
    return [
      finding.warn(
        'lambda-hook-url',
        `${ENV.hookUrl} is set in plain text (value not shown)`,
        `store the URL in an SSM SecureString parameter and set ${ENV.hookUrlParameter} instead`,
      ),
    ];
  }
  return [
    finding.fail(
      'lambda-hook-url',
      set.length === 0 ? 'no webhook URL configured' : `${set.join(' and ')} are all set`,
      problem ?? '',
    ),
  ];
}

/**
 * The network check (EC2 API reference: DescribeRouteTables): a function outside a VPC → PASS; in a VPC, every
 * subnet's route table needs a `0.0.0.0/0` route through a NAT gateway (or a NAT instance / transit gateway),
 * else WARN — Dooray is on the internet (guide 9). `routeTables` maps each subnet to its route table (the
 * explicit association, else the VPC's main table); undefined when unknown.
 */
export function checkNetwork(
  subnetIds: readonly string[],
  routeTables: Readonly<Record<string, RouteTable | undefined>>,
): Finding[] {
  if (subnetIds.length === 0)
    return [finding.pass('lambda-network', 'not in a VPC (internet egress by Lambda)')];
  const egress = (table: RouteTable | undefined): boolean =>
    (table?.Routes ?? []).some(
      (r) =>
        r.DestinationCidrBlock === '0.0.0.0/0' &&
        r.State !== 'blackhole' &&
        (r.NatGatewayId !== undefined || r.InstanceId !== undefined || r.TransitGatewayId !== undefined),
    );
  const without = subnetIds.filter((s) => !egress(routeTables[s]));
  if (without.length === 0) {
    return [
      finding.pass('lambda-network', `in a VPC; subnets ${subnetIds.join(', ')} route 0.0.0.0/0 via NAT`),
    ];
  }
  return [
    finding.warn(
      'lambda-network',
      `in a VPC; no NAT route to the internet from ${without.join(', ')}: Dooray is unreachable from there`,
      'add a 0.0.0.0/0 route via a NAT gateway to those subnets, or take the function out of the VPC',
    ),
  ];
}

/**
 * The failure-path check (Lambda API reference: GetFunctionConfiguration `DeadLetterConfig`,
 * GetFunctionEventInvokeConfig `DestinationConfig.OnFailure`): PASS when either is set, else FAIL — a
 * delivery that fails for good would be lost.
 */
export function checkFailurePath(
  deadLetterArn: string | undefined,
  onFailureArn: string | undefined,
): Finding[] {
  if (onFailureArn) return [finding.pass('lambda-failure-path', `on-failure destination ${onFailureArn}`)];
  if (deadLetterArn) return [finding.pass('lambda-failure-path', `dead-letter queue ${deadLetterArn}`)];
  return [
    finding.fail(
      'lambda-failure-path',
      'no on-failure destination and no dead-letter queue: an undeliverable alert is lost',
      'add an SQS on-failure destination (the stack does: <function>-failures) and replay it with `secu-alert replay`',
    ),
  ];
}

/**
 * Root-credential checks over `SummaryMap` of GetAccountSummary (IAM API reference): `AccountMFAEnabled` 1 and
 * `AccountAccessKeysPresent` 0 pass. An account with no root password, keys or MFA device
 * (`AccountPasswordPresent` 0: AWS Organizations centralized root access removed them) has no root
 * credentials to protect: said as PASS instead of failing MFA.
 */
export function checkRootCredentials(summary: Readonly<Record<string, number>>): Finding[] {
  const mfa = summary['AccountMFAEnabled'] === 1;
  const keys = (summary['AccountAccessKeysPresent'] ?? 0) > 0;
  const password = summary['AccountPasswordPresent'];
  const findings: Finding[] = [];
  if (mfa) findings.push(finding.pass('root-mfa', 'root user has MFA'));
  else if (password === 0 && !keys) {
    findings.push(
      finding.pass(
        'root-mfa',
        'no root credentials at all (AWS Organizations centralized root access): nothing to protect with MFA',
      ),
    );
  } else {
    findings.push(
      finding.fail(
        'root-mfa',
        'root user has no MFA',
        'enable MFA for the root user (guide 9), or remove root credentials centrally',
      ),
    );
  }
  findings.push(
    keys
      ? finding.fail(
          'root-access-keys',
          'root user has access keys',
          'delete the root access keys (IAM console → Security credentials)',
        )
      : finding.pass('root-access-keys', 'no root access keys'),
  );
  return findings;
}

/** How long a test or real firing counts, in days (the guide asks for periodic tests). */
export const TEST_WINDOW_DAYS = 90;

/**
 * The periodic-test check: the alarm went to ALARM within 90 days of `now` (epoch ms) — its current state
 * since `StateTransitionedTimestamp`, a `StateUpdate` to ALARM in the alarm history (CloudWatch keeps 14
 * days), a CloudTrail `SetAlarmState` to ALARM for it (LookupEvents, 90 days), or a delivery of the
 * scheduled self-test in the Lambda's log (`selfTestDeliveries`, epoch ms). WARN otherwise.
 */
export function checkRecentTest(
  alarm: MetricAlarm,
  history: readonly AlarmHistoryItem[],
  setAlarmStateEvents: readonly CloudTrailEvent[],
  now: number,
  selfTestDeliveries: readonly number[] = [],
): Finding[] {
  const since = now - TEST_WINDOW_DAYS * 86_400_000;
  const evidence: { at: number; what: string }[] = selfTestDeliveries.map((at) => ({
    at,
    what: 'scheduled self-test delivered by the Lambda',
  }));
  if (alarm.StateValue === 'ALARM' && alarm.StateTransitionedTimestamp) {
    evidence.push({ at: alarm.StateTransitionedTimestamp.getTime(), what: 'in ALARM since' });
  }
  for (const item of history) {
    if (item.HistoryItemType !== 'StateUpdate' || !item.Timestamp) continue;
    let to: unknown;
    try {
      to = (JSON.parse(item.HistoryData ?? '{}') as { newState?: { stateValue?: unknown } }).newState
        ?.stateValue;
    } catch {
      to = undefined;
    }
    if (to === 'ALARM' || /to ALARM$/.test(item.HistorySummary ?? '')) {
      evidence.push({ at: item.Timestamp.getTime(), what: 'went to ALARM (alarm history)' });
    }
  }
  for (const event of setAlarmStateEvents) {
    if (!event.EventTime || !event.CloudTrailEvent) continue;
    let params: { alarmName?: unknown; stateValue?: unknown } | undefined;
    try {
      params = (JSON.parse(event.CloudTrailEvent) as { requestParameters?: typeof params }).requestParameters;
    } catch {
      params = undefined;
    }
    if (params?.alarmName === alarm.AlarmName && params?.stateValue === 'ALARM') {
      evidence.push({
        at: event.EventTime.getTime(),
        what: `set to ALARM by ${event.Username ?? '?'} (CloudTrail SetAlarmState)`,
      });
    }
  }
  const newest = evidence.filter((e) => e.at >= since).sort((a, b) => b.at - a.at)[0];
  if (newest) {
    return [
      finding.pass(
        'alarm-tested',
        `${alarm.AlarmName ?? '?'} ${newest.what} ${new Date(newest.at).toISOString()}`,
      ),
    ];
  }
  return [
    finding.warn(
      'alarm-tested',
      `${alarm.AlarmName ?? '?'} has not fired nor been tested in the last ${TEST_WINDOW_DAYS} days`,
      `run \`secu-alert fire --alarm ${alarm.AlarmName ?? 'root-alert'} --reset\` (guide 8-2), or deploy the monthly self-test`,
    ),
  ];
}
