import * as z from 'zod';
import { ALARM_STATES, type AlarmState } from '../defaults.js';

/**
 * CloudWatch alarm notifications: the JSON that CloudWatch publishes to SNS when an alarm changes state, and the
 * payload of an alarm's direct Lambda action. Sources: Amazon CloudWatch User Guide, "Using Amazon CloudWatch
 * alarms" → "Alarm events and Amazon SNS" / "Invoke a Lambda function from an alarm"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html), and real
 * notifications (the repository's fixtures in `fixtures/sns/`).
 */

export { ALARM_STATES, type AlarmState };

/** Which kind of alarm a notification is about; `minimal` is a hand-written test message such as the guide's. */
export type AlarmKind = 'metric' | 'metric-math' | 'anomaly-detection' | 'composite' | 'minimal';

const optionalText = z.string().nullish();

const dimension = z.object({ name: z.string(), value: z.string() }).loose();

const metricDataQuery = z
  .object({
    Id: z.string(),
    Expression: optionalText,
    Label: optionalText,
    ReturnData: z.boolean().nullish(),
    MetricStat: z
      .object({
        Metric: z
          .object({
            MetricName: z.string(),
            Namespace: z.string(),
            Dimensions: z.array(dimension).nullish(),
          })
          .loose(),
        Period: z.number().nullish(),
        Stat: optionalText,
        Unit: optionalText,
      })
      .loose()
      .nullish(),
  })
  .loose();

const trigger = z
  .object({
    MetricName: optionalText,
    Namespace: optionalText,
    StatisticType: optionalText,
    Statistic: optionalText,
    ExtendedStatistic: optionalText,
    Unit: optionalText,
    Dimensions: z.array(dimension).nullish(),
    Period: z.number().nullish(),
    EvaluationPeriods: z.number().nullish(),
    DatapointsToAlarm: z.number().nullish(),
    ComparisonOperator: optionalText,
    Threshold: z.number().nullish(),
    ThresholdMetricId: optionalText,
    TreatMissingData: optionalText,
    Metrics: z.array(metricDataQuery).nullish(),
  })
  .loose();

const state = z.enum(ALARM_STATES, {
  error: (issue) => `expected one of ${ALARM_STATES.join(', ')}, got ${JSON.stringify(issue.input)}`,
});

/**
 * Schema of the alarm notification CloudWatch publishes to SNS (the SNS `Message`, parsed). Only `AlarmName`
 * and `NewStateValue` are required: the guide's test event has nothing else. Tolerates `AlarmDescription` null
 * or "", `Unit` null or "None", missing action lists, unknown extra fields.
 */
export const snsAlarmMessageSchema = z
  .object({
    AlarmName: z.string().min(1, 'AlarmName is empty'),
    AlarmDescription: optionalText,
    AWSAccountId: optionalText,
    NewStateValue: state,
    NewStateReason: optionalText,
    StateChangeTime: optionalText,
    Region: optionalText,
    AlarmArn: optionalText,
    OldStateValue: optionalText,
    Trigger: trigger.nullish(),
    AlarmRule: optionalText,
    TriggeringChildren: z.array(z.object({ Arn: z.string() }).loose()).nullish(),
  })
  .loose();

/** The SNS alarm message as validated by {@link snsAlarmMessageSchema}. */
export type SnsAlarmMessage = z.infer<typeof snsAlarmMessageSchema>;

/**
 * Schema of the event CloudWatch sends when an alarm invokes a Lambda function directly
 * (`source: "aws.cloudwatch"`, `alarmData`). Source: "Invoke a Lambda function from an alarm", Lambda action
 * payload examples (metric and composite alarms).
 */
export const alarmActionEventSchema = z
  .object({
    source: z.literal('aws.cloudwatch'),
    alarmArn: optionalText,
    accountId: optionalText,
    time: optionalText,
    region: optionalText,
    alarmData: z
      .object({
        alarmName: z.string().min(1, 'alarmName is empty'),
        state: z.object({ value: state, reason: optionalText, timestamp: optionalText }).loose(),
        previousState: z.object({ value: z.string().nullish() }).loose().nullish(),
        configuration: z
          .object({
            description: optionalText,
            alarmRule: optionalText,
            metrics: z
              .array(
                z
                  .object({
                    id: z.string().nullish(),
                    expression: optionalText,
                    label: optionalText,
                    returnData: z.boolean().nullish(),
                    metricStat: z
                      .object({
                        metric: z
                          .object({
                            namespace: z.string(),
                            name: z.string(),
                            dimensions: z.record(z.string(), z.string()).nullish(),
                          })
                          .loose(),
                        period: z.number().nullish(),
                        stat: optionalText,
                        unit: optionalText,
                      })
                      .loose()
                      .nullish(),
                  })
                  .loose(),
              )
              .nullish(),
          })
          .loose()
          .nullish(),
      })
      .loose(),
  })
  .loose();

/** A metric an alarm watches, normalised from either input shape. */
export interface AlarmMetric {
  /** CloudWatch metric namespace, e.g. `CloudTrailMetrics`. */
  namespace: string;
  /** Metric name, e.g. `RootAccountUsageCount`. */
  name: string;
  /** Dimensions as name → value. */
  dimensions: Record<string, string>;
  /** Statistic as CloudWatch prints it (`SUM`, `Average`, `p99`, …), when known. */
  statistic?: string;
  /** Unit, omitted when absent, null or `"None"`. */
  unit?: string;
}

/** One metric-math expression of a metric-math or anomaly-detection alarm. */
export interface AlarmExpression {
  id: string;
  expression: string;
  label?: string;
}

/**
 * An alarm state change, normalised from any carrier (SNS message, direct Lambda action, subject line).
 * Times are kept as the original strings (CloudWatch's `yyyy-MM-ddTHH:mm:ss.SSS+0000`) and parsed `Date`s.
 */
export interface AlarmNotification {
  kind: AlarmKind;
  alarmName: string;
  /** Alarm ARN `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`, when given. */
  alarmArn?: string;
  description?: string;
  accountId?: string;
  newState: AlarmState;
  /** The previous state as given (not validated: older messages and hand-written tests vary). */
  oldState?: string;
  reason?: string;
  /** When the state changed; absent in the guide's test event. */
  stateChangeTime?: Date;
  /** Region as CloudWatch names it in SNS messages, a display name such as `Asia Pacific (Seoul)`. */
  regionName?: string;
  /** Region code such as `ap-northeast-2`, when the carrier gives one (direct Lambda action). */
  regionCode?: string;
  /** The metric a single-metric alarm watches; for metric-math alarms the first `MetricStat`. */
  metric?: AlarmMetric;
  /** Expressions of metric-math and anomaly-detection alarms. */
  expressions?: AlarmExpression[];
  /** `ComparisonOperator`, e.g. `GreaterThanOrEqualToThreshold`. */
  comparisonOperator?: string;
  /** Threshold value (absent for anomaly-detection and composite alarms). */
  threshold?: number;
  /** Period in seconds and evaluation periods. */
  periodSeconds?: number;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  /** Composite alarms: the rule and the ARNs of the children that triggered. */
  alarmRule?: string;
  triggeringChildren?: string[];
  /**
   * True when the notification carries no readable alarm state (none, or not one of {@link ALARM_STATES}):
   * `newState` is then `ALARM`, as the guide's Lambda treated such messages, and the alert is delivered whatever
   * `NOTIFY_STATES` says (an unknown state is never a reason to lose an alert).
   */
  stateAssumed?: true;
}

/**
 * Parses CloudWatch's notification time `2021-11-10T02:45:55.640+0000` (and ISO-8601 variants) to a `Date`.
 * Returns undefined for absent or unparseable text.
 */
export function parseAlarmTime(text: string | null | undefined): Date | undefined {
  if (!text) return undefined;
  // `+0000` is not accepted by every engine's Date parser: make it `+00:00`.
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const present = (value: string | null | undefined): string | undefined =>
  value == null || value === '' ? undefined : value;

function metricOf(
  namespace: string,
  name: string,
  dimensions: Record<string, string>,
  statistic: string | null | undefined,
  unit: string | null | undefined,
): AlarmMetric {
  const stat = present(statistic);
  const u = unit === 'None' ? undefined : present(unit);
  return { namespace, name, dimensions, ...(stat ? { statistic: stat } : {}), ...(u ? { unit: u } : {}) };
}

/** Normalises a validated SNS alarm message (see {@link snsAlarmMessageSchema}). */
export function fromSnsAlarmMessage(message: SnsAlarmMessage): AlarmNotification {
  const t = message.Trigger ?? undefined;
  let kind: AlarmKind = 'minimal';
  let metric: AlarmMetric | undefined;
  let expressions: AlarmExpression[] | undefined;
  if (present(message.AlarmRule) !== undefined) {
    kind = 'composite';
  } else if (t?.Metrics && t.Metrics.length > 0) {
    expressions = t.Metrics.flatMap((q) =>
      q.Expression ? [{ id: q.Id, expression: q.Expression, ...(q.Label ? { label: q.Label } : {}) }] : [],
    );
    kind =
      present(t.ThresholdMetricId) !== undefined ||
      expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e.expression))
        ? 'anomaly-detection'
        : 'metric-math';
    const stat = t.Metrics.find((q) => q.MetricStat)?.MetricStat;
    if (stat) {
      metric = metricOf(
        stat.Metric.Namespace,
        stat.Metric.MetricName,
        Object.fromEntries((stat.Metric.Dimensions ?? []).map((d) => [d.name, d.value])),
        stat.Stat,
        stat.Unit,
      );
    }
  } else if (t?.MetricName && t.Namespace) {
    kind = 'metric';
    metric = metricOf(
      t.Namespace,
      t.MetricName,
      Object.fromEntries((t.Dimensions ?? []).map((d) => [d.name, d.value])),
      present(t.Statistic) ?? t.ExtendedStatistic,
      t.Unit,
    );
  }
  const stateChangeTime = parseAlarmTime(message.StateChangeTime);
  return compact({
    kind,
    alarmName: message.AlarmName,
    alarmArn: present(message.AlarmArn),
    description: present(message.AlarmDescription),
    accountId: present(message.AWSAccountId),
    newState: message.NewStateValue,
    oldState: present(message.OldStateValue),
    reason: present(message.NewStateReason),
    stateChangeTime,
    regionName: present(message.Region),
    metric,
    expressions,
    comparisonOperator: present(t?.ComparisonOperator),
    threshold: kind === 'anomaly-detection' ? undefined : (t?.Threshold ?? undefined),
    periodSeconds: t?.Period ?? undefined,
    evaluationPeriods: t?.EvaluationPeriods ?? undefined,
    datapointsToAlarm: t?.DatapointsToAlarm ?? undefined,
    alarmRule: present(message.AlarmRule),
    triggeringChildren: message.TriggeringChildren?.map((c) => c.Arn),
  });
}

/** Normalises a validated direct Lambda alarm action event (see {@link alarmActionEventSchema}). */
export function fromAlarmActionEvent(event: z.infer<typeof alarmActionEventSchema>): AlarmNotification {
  const data = event.alarmData;
  const config = data.configuration ?? undefined;
  const metrics = config?.metrics ?? [];
  const expressions = metrics.flatMap((m) =>
    m.expression
      ? [{ id: m.id ?? '', expression: m.expression, ...(m.label ? { label: m.label } : {}) }]
      : [],
  );
  const stat = metrics.find((m) => m.metricStat)?.metricStat;
  let kind: AlarmKind;
  if (present(config?.alarmRule) !== undefined) kind = 'composite';
  else if (expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e.expression))) kind = 'anomaly-detection';
  else if (expressions.length > 0) kind = 'metric-math';
  else if (stat) kind = 'metric';
  else kind = 'minimal';
  return compact({
    kind,
    alarmName: data.alarmName,
    alarmArn: present(event.alarmArn),
    description: present(config?.description),
    accountId: present(event.accountId),
    newState: data.state.value,
    oldState: present(data.previousState?.value),
    reason: present(data.state.reason),
    stateChangeTime: parseAlarmTime(data.state.timestamp) ?? parseAlarmTime(event.time),
    regionCode: present(event.region),
    metric: stat
      ? metricOf(
          stat.metric.namespace,
          stat.metric.name,
          { ...(stat.metric.dimensions ?? {}) },
          stat.stat,
          stat.unit,
        )
      : undefined,
    expressions: expressions.length > 0 ? expressions : undefined,
    periodSeconds: stat?.period ?? undefined,
    alarmRule: present(config?.alarmRule),
  });
}

/** Drops keys whose value is undefined, so optional fields are absent rather than undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Parses an SNS Subject that CloudWatch wrote for an alarm: `ALARM: "<name>" in <Region display name>`
 * (SNS truncates subjects to 100 characters), also the guide's `ALARM: root-alert` and a stray leading quote
 * seen in real messages. Returns undefined when the subject is not of that form.
 */
export function parseAlarmSubject(
  subject: string | null | undefined,
): { alarmName: string; newState: AlarmState; regionName?: string } | undefined {
  if (!subject) return undefined;
  const match = /^\W*(OK|ALARM|INSUFFICIENT_DATA):\s*(?:"(.+?)"|(\S+))(?:\s+in\s+(.+?))?\s*$/.exec(subject);
  if (!match) return undefined;
  const alarmName = match[2] ?? match[3];
  if (!alarmName) return undefined;
  return {
    alarmName,
    newState: match[1] as AlarmState,
    ...(match[4] ? { regionName: match[4] } : {}),
  };
}

/** A path inside a JSON value, as zod reports it. */
type JsonPath = readonly PropertyKey[];

const pathText = (path: JsonPath): string => path.map(String).join('.');

/** True when `value` has an own field at `path`. */
function has(value: unknown, path: JsonPath): boolean {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return true;
}

/** `value` without the field at `path` (copied along the path only: the input is not changed). */
function without(value: unknown, path: JsonPath): unknown {
  const [head, ...rest] = path;
  if (head === undefined || typeof value !== 'object' || value === null) return value;
  if (rest.length === 0) {
    return Array.isArray(value)
      ? value.filter((_, i) => i !== head)
      : Object.fromEntries(Object.entries(value).filter(([k]) => k !== head));
  }
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<
    PropertyKey,
    unknown
  >;
  copy[head] = without(copy[head], rest);
  return copy;
}

/** The result of {@link parseLeniently}: the data, and each optional field that was left out and why. */
export type LenientResult<T> = { ok: true; data: T; unread: string[] } | { ok: false; error: string };

/**
 * Validates `value` with `schema`, strictly for the `required` fields and leniently for every other one: a
 * field that fails validation is left out (recorded in `unread` as `path (why)`) and the rest validated again,
 * so an optional field of an unexpected type (`Trigger.Threshold: "1"`, `period: "300"`, `dimensions` as a
 * list) costs that field, never the alert. A field that is still reported after it was left out was required
 * by its parent: the parent is left out instead (a list as a whole, never one element, so that no list is shown
 * shortened). Fails (`ok: false`, with zod's issues as text) when a `required` path or the root fails, or after
 * `maxRounds` rounds. Never throws; `value` is not changed.
 */
export function parseLeniently<T>(
  schema: z.ZodType<T>,
  value: unknown,
  required: readonly JsonPath[],
  maxRounds = 12,
): LenientResult<T> {
  const isRequired = (path: JsonPath): boolean =>
    path.length === 0 || required.some((r) => pathText(r) === pathText(path));
  const unread: string[] = [];
  const removed = new Set<string>();
  let current = value;
  for (let round = 0; round < maxRounds; round++) {
    const parsed = schema.safeParse(current);
    if (parsed.success) return { ok: true, data: parsed.data, unread };
    for (const issue of parsed.error.issues) {
      let path: JsonPath = issue.path;
      // Missing or left out already (so required by its parent), or one element of a list: the parent goes.
      while (
        path.length > 0 &&
        (removed.has(pathText(path)) || !has(current, path) || typeof path[path.length - 1] === 'number')
      ) {
        path = path.slice(0, -1);
      }
      if (isRequired(path)) {
        return { ok: false, error: `${pathText(issue.path) || '(root)'}: ${issue.message}` };
      }
      const key = pathText(path);
      if (removed.has(key)) continue;
      removed.add(key);
      unread.push(`${key} (${issue.message})`);
      current = without(current, path);
    }
  }
  return { ok: false, error: `still not valid after leaving out ${unread.length} fields` };
}
