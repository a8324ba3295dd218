/**
 * CloudWatch metric alarm evaluation, offline: the state an alarm takes from its recent datapoints, with the
 * missing-data rules, the evaluation range and the premature-ALARM rule, and the `NewStateReason` text.
 *
 * Sources: CloudWatch User Guide, "Using Amazon CloudWatch alarms" / "Alarm evaluation" and "Configuring how
 * CloudWatch alarms treat missing data" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html,
 * AlarmThatSendsEmail.html); PutMetricAlarm (CloudWatch API Reference); reason wording assembled from real
 * notifications (held by test/cloudwatch/alarm.test.ts).
 */
import {
  ALARM_EVALUATION_PERIODS,
  ALARM_NAME,
  ALARM_PERIOD_SECONDS,
  ALARM_THRESHOLD,
  METRIC_NAME,
  METRIC_NAMESPACE,
} from '../defaults.js';
import type { AlarmState } from '../events/alarm.js';
import { regionNameFromCode } from '../events/regions.js';
import { CloudWatchConfigError } from './errors.js';
import { javaDouble, reasonTimestamp } from './format.js';
import type { MinuteSeries, StatisticSet } from './metric-filter.js';

/** Alarm states (the same union as the handler's inputs). */
export type { AlarmState };

/** Statistics of a metric alarm (ExtendedStatistic percentiles are not modelled). */
export type AlarmStatistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
/** Static-threshold comparison operators. */
export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
/** TreatMissingData values; an alarm without one behaves as `missing`. */
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

/** The PutMetricAlarm settings of a single-metric alarm, plus where it lives. */
export interface MetricAlarmConfig {
  alarmName: string;
  /** null when unset (the notification then carries `"AlarmDescription":null`). */
  alarmDescription?: string | null;
  /** 12-digit account id. */
  accountId: string;
  /** Region code, e.g. `ap-northeast-2`. */
  region: string;
  namespace: string;
  metricName: string;
  dimensions?: readonly { name: string; value: string }[];
  statistic: AlarmStatistic;
  /** StandardUnit, or null when unset. */
  unit?: string | null;
  /** Period in seconds: a multiple of 60 (metric-filter metrics have one-minute resolution). */
  period: number;
  evaluationPeriods: number;
  /** M of "M out of N"; defaults to `evaluationPeriods`. Shown in the notification only when set. */
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  /** Unset behaves as `missing`; the notification then shows `""`. */
  treatMissingData?: TreatMissingData;
  /** Default true; false suppresses every action. */
  actionsEnabled?: boolean;
  alarmActions?: readonly string[];
  okActions?: readonly string[];
  insufficientDataActions?: readonly string[];
  /** When the configuration last changed, ms since the epoch (AlarmConfigurationUpdatedTimestamp). */
  configurationUpdatedAt?: number;
}

/**
 * The guide's alarm (its names and values in src/defaults.ts): `root-alert`, Sum of `CloudTrailMetrics`/`RootAccountUsageCount`
 * ≥ 1 over 1 × 300 s, `treatMissingData: notBreaching`, in the given account and Region; `overrides` replace
 * any field.
 */
export function guideAlarmConfig(
  where: { accountId: string; region: string },
  overrides: Partial<MetricAlarmConfig> = {},
): MetricAlarmConfig {
  return {
    alarmName: ALARM_NAME,
    ...where,
    namespace: METRIC_NAMESPACE,
    metricName: METRIC_NAME,
    statistic: 'Sum',
    period: ALARM_PERIOD_SECONDS,
    evaluationPeriods: ALARM_EVALUATION_PERIODS,
    threshold: ALARM_THRESHOLD,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    ...overrides,
  };
}

/** One datapoint of the evaluation range: `start` of its period (ms) and its value, undefined when missing. */
export interface Datapoint {
  start: number;
  value: number | undefined;
}

/**
 * What one evaluation decided:
 * - `keep`: the state does not change (TreatMissingData `ignore`);
 * - otherwise the state the data says, with the `reason` CloudWatch would write for a change to it.
 */
export type Evaluation = { state: 'keep' } | { state: AlarmState; reason: string };

/** A state change of an alarm. `time` is the StateChangeTime, ms since the epoch. */
export interface AlarmStateChange {
  oldState: AlarmState;
  newState: AlarmState;
  reason: string;
  time: number;
  /** The actions of the new state that run (empty when actions are disabled or none are set). */
  actions: readonly string[];
}

const COMPARISON_WORDS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** True when `value` breaches `threshold` under `op`. */
export function breaches(value: number, op: ComparisonOperator, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * How many datapoints one evaluation fetches for N evaluation periods (the evaluation range). The docs give
 * one example only, N = 3 fetches 5; N + max(⌊N/3⌋, 2) reproduces it (LocalStack's heuristic; undocumented
 * for other N: cloudwatch-semantics.md E.1, G.7).
 */
export function evaluationRangeLength(evaluationPeriods: number): number {
  return evaluationPeriods + Math.max(Math.floor(evaluationPeriods / 3), 2);
}

/** The statistic's value of a period's statistic set. */
export function statisticValue(stats: StatisticSet, statistic: AlarmStatistic): number {
  switch (statistic) {
    case 'Sum':
      return stats.sum;
    case 'SampleCount':
      return stats.sampleCount;
    case 'Average':
      return stats.sum / stats.sampleCount;
    case 'Minimum':
      return stats.minimum;
    case 'Maximum':
      return stats.maximum;
  }
}

/**
 * Checks an alarm configuration as PutMetricAlarm would, plus the simulator's own limit (periods of whole
 * minutes, since metric-filter metrics have one-minute resolution).
 * @throws CloudWatchConfigError naming the setting.
 */
export function validateAlarmConfig(c: MetricAlarmConfig): void {
  const fail = (field: string, message: string): never => {
    throw new CloudWatchConfigError(message, field);
  };
  if (c.alarmName.length < 1 || c.alarmName.length > 255)
    fail('alarmName', 'alarmName must be 1 to 255 characters');
  if (!/^\d{12}$/.test(c.accountId)) fail('accountId', 'accountId must be 12 digits');
  if (regionNameFromCode(c.region) === undefined) fail('region', `unknown region ${c.region}`);
  if (!Number.isInteger(c.period) || c.period < 60 || c.period % 60 !== 0) {
    fail(
      'period',
      'period must be a multiple of 60 seconds (metric-filter metrics have one-minute resolution)',
    );
  }
  if (!Number.isInteger(c.evaluationPeriods) || c.evaluationPeriods < 1) {
    fail('evaluationPeriods', 'evaluationPeriods must be a whole number of at least 1');
  }
  // PutMetricAlarm: period × evaluationPeriods ≤ 7 days, and ≤ 1 day for periods under 1 hour.
  const maxSpan = c.period < 3600 ? 86_400 : 604_800;
  if (c.period * c.evaluationPeriods > maxSpan) {
    fail('evaluationPeriods', `period × evaluationPeriods must be at most ${maxSpan} seconds`);
  }
  const m = c.datapointsToAlarm;
  if (m !== undefined && (!Number.isInteger(m) || m < 1 || m > c.evaluationPeriods)) {
    fail('datapointsToAlarm', 'datapointsToAlarm must be between 1 and evaluationPeriods');
  }
  if (!Number.isFinite(c.threshold)) fail('threshold', 'threshold must be a finite number');
  if ((c.dimensions?.length ?? 0) > 30) fail('dimensions', 'at most 30 dimensions');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isAre(n: number): string {
  return n === 1 ? 'was' : 'were';
}

function listPoints(points: readonly Datapoint[]): string {
  return points.map((p) => `${javaDouble(p.value as number)} (${reasonTimestamp(p.start)})`).join(', ');
}

interface DataDecision {
  state: 'OK' | 'ALARM';
  /** Real datapoints evaluated, newest first. */
  used: Datapoint[];
  /** Missing datapoints filled by TreatMissingData, and how. */
  filled: number;
  filledAs: 'Breaching' | 'NonBreaching' | null;
}

/**
 * The `NewStateReason` of a change to OK or ALARM decided by data (cloudwatch-semantics.md D.6). The listed
 * datapoints are those that support the new state (breaching for ALARM, not breaching for OK), newest first;
 * when none does (the state came from filled datapoints), the real ones are listed with their own wording.
 * With DatapointsToAlarm set: "k out of the last N datapoints … (minimum M datapoints for OK -> ALARM
 * transition)" (for OK the minimum is N − M + 1, inferred); more than 3 listed points switch to "The most
 * recent datapoints which crossed the threshold: [5 newest]" (k = 4 is unverified).
 */
function dataReason(c: MetricAlarmConfig, d: DataDecision): string {
  const n = c.evaluationPeriods;
  const m = c.datapointsToAlarm ?? n;
  const words = COMPARISON_WORDS[c.comparisonOperator];
  const breach = (p: Datapoint): boolean => breaches(p.value as number, c.comparisonOperator, c.threshold);
  const supporting = d.used.filter((p) => breach(p) === (d.state === 'ALARM'));
  const listed = supporting.length > 0 ? supporting : d.used;
  const listedBreach = listed.length > 0 && breach(listed[0] as Datapoint);
  const cmp = `${listedBreach ? '' : 'not '}${words} the threshold (${javaDouble(c.threshold)})`;
  const fills =
    d.filled > 0 && d.filledAs !== null
      ? ` and ${plural(d.filled, 'missing datapoint')} ${isAre(d.filled)} treated as [${d.filledAs}]`
      : '';
  const k = listed.length;
  if (c.datapointsToAlarm === undefined) {
    return `Threshold Crossed: ${plural(k, 'datapoint')} [${listPoints(listed)}] ${isAre(k)} ${cmp}${fills}.`;
  }
  const minimum = d.state === 'ALARM' ? m : n - m + 1;
  const transition = d.state === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK';
  const tail = ` (minimum ${plural(minimum, 'datapoint')} for ${transition} transition).`;
  if (k > 3) {
    const which = listedBreach ? 'crossed' : 'did not cross';
    return (
      `Threshold Crossed: ${k} out of the last ${n} datapoints ${isAre(k)} ${cmp}${fills}. ` +
      `The most recent datapoints which ${which} the threshold: [${listPoints(listed.slice(0, 5))}]${tail}`
    );
  }
  return `Threshold Crossed: ${k} out of the last ${n} datapoints [${listPoints(listed)}] ${isAre(k)} ${cmp}${fills}${tail}`;
}

/**
 * Decides an alarm's state from the datapoints of its evaluation range (oldest first; see
 * {@link evaluationRangeLength}), following the AWS docs' tables (alarm-evaluation.html, "Configuring how
 * CloudWatch alarms treat missing data"):
 * 1. at least N real datapoints in the range: the newest N real ones decide, missing ones are skipped;
 * 2. no real datapoint: `missing` → INSUFFICIENT_DATA, `ignore` → keep, `breaching` → ALARM,
 *    `notBreaching` → OK;
 * 3. some but fewer than N: the real ones count and the rest are filled: as breaching (`breaching`), as not
 *    breaching (`notBreaching`); with `missing` and `ignore` the premature-ALARM rule applies ("the oldest available
 *    breaching datapoint during the number of datapoints to alarm is at least as old as the value of
 *    Datapoints to Alarm, and all other more recent datapoints are breaching or missing"): when the datapoint
 *    M positions back breaches and the newer ones breach or are missing, `missing` → ALARM and `ignore` →
 *    keep; otherwise only the real ones count.
 * ALARM when at least M (DatapointsToAlarm, default N) of the N evaluated datapoints breach, else OK.
 */
export function evaluateDatapoints(c: MetricAlarmConfig, range: readonly Datapoint[]): Evaluation {
  const n = c.evaluationPeriods;
  const m = c.datapointsToAlarm ?? n;
  const mode = c.treatMissingData ?? 'missing';
  const breach = (p: Datapoint): boolean =>
    p.value !== undefined && breaches(p.value, c.comparisonOperator, c.threshold);
  const real = range.filter((p) => p.value !== undefined);
  const newestFirst = (points: Datapoint[]): Datapoint[] => [...points].reverse();
  const decide = (
    breaching: number,
    used: Datapoint[],
    filled: number,
    filledAs: DataDecision['filledAs'],
  ): Evaluation => {
    const state = breaching >= m ? 'ALARM' : 'OK';
    return { state, reason: dataReason(c, { state, used: newestFirst(used), filled, filledAs }) };
  };

  if (real.length >= n) {
    const used = real.slice(-n);
    return decide(used.filter(breach).length, used, 0, null);
  }
  if (real.length === 0) {
    if (mode === 'missing')
      return {
        state: 'INSUFFICIENT_DATA',
        reason: `Insufficient Data: ${plural(n, 'datapoint')} ${isAre(n)} unknown.`,
      };
    if (mode === 'ignore') return { state: 'keep' };
    const as = mode === 'breaching' ? 'Breaching' : 'NonBreaching';
    return {
      state: mode === 'breaching' ? 'ALARM' : 'OK',
      reason:
        `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ` +
        `${plural(n, 'missing datapoint')} ${isAre(n)} treated as [${as}].`,
    };
  }
  const fills = n - real.length;
  const breachingReal = real.filter(breach).length;
  if (mode === 'breaching') return decide(breachingReal + fills, real, fills, 'Breaching');
  if (mode === 'notBreaching') return decide(breachingReal, real, fills, 'NonBreaching');
  // Premature-ALARM rule: the datapoint M positions back breaches (the oldest breaching one within the last
  // M is M periods old) and every newer one is breaching or missing.
  const lastM = range.slice(-m);
  const oldestOfM = lastM[0];
  if (
    lastM.length === m &&
    oldestOfM !== undefined &&
    breach(oldestOfM) &&
    lastM.every((p) => p.value === undefined || breach(p))
  ) {
    if (mode === 'ignore') return { state: 'keep' };
    return {
      state: 'ALARM',
      reason: dataReason(c, { state: 'ALARM', used: newestFirst(real), filled: 0, filledAs: null }),
    };
  }
  return decide(breachingReal, real, 0, null);
}

/**
 * A metric alarm over one {@link MinuteSeries}, evaluated once a minute on a sliding window: at time T the
 * newest period is [T − period, T) ("a 5-minute alarm evaluated every minute looks at minutes 1–5, then
 * 2–6", alarm-evaluation.html). Starts in INSUFFICIENT_DATA; actions run only on state changes.
 */
export class MetricAlarm {
  private current: AlarmState = 'INSUFFICIENT_DATA';
  private currentReason = 'Unchecked: Initial alarm creation';
  readonly rangeLength: number;

  /** @throws CloudWatchConfigError for an invalid configuration. */
  constructor(
    readonly config: Readonly<MetricAlarmConfig>,
    private readonly series: MinuteSeries,
  ) {
    validateAlarmConfig(config);
    this.rangeLength = evaluationRangeLength(config.evaluationPeriods);
  }

  get state(): AlarmState {
    return this.current;
  }

  get stateReason(): string {
    return this.currentReason;
  }

  /** How far back (ms) an evaluation at T reads: data older than T − lookback can be pruned. */
  get lookbackMs(): number {
    return this.rangeLength * this.config.period * 1000;
  }

  /** The evaluation range at `time` (ms, a whole minute), oldest first. */
  datapointsAt(time: number): Datapoint[] {
    const periodMs = this.config.period * 1000;
    const points: Datapoint[] = [];
    for (let i = this.rangeLength; i >= 1; i--) {
      const start = time - i * periodMs;
      const stats = this.series.range(start, start + periodMs);
      points.push({
        start,
        value: stats === undefined ? undefined : statisticValue(stats, this.config.statistic),
      });
    }
    return points;
  }

  /**
   * Evaluates at `time` (ms since the epoch, a whole minute) and returns the state change, or null when the
   * state stays.
   */
  evaluate(time: number): AlarmStateChange | null {
    const result = evaluateDatapoints(this.config, this.datapointsAt(time));
    if (result.state === 'keep' || result.state === this.current) return null;
    const change: AlarmStateChange = {
      oldState: this.current,
      newState: result.state,
      reason: result.reason,
      time,
      actions: this.actionsFor(result.state),
    };
    this.current = result.state;
    this.currentReason = result.reason;
    return change;
  }

  private actionsFor(state: AlarmState): readonly string[] {
    const c = this.config;
    if (c.actionsEnabled === false) return [];
    const actions =
      state === 'ALARM' ? c.alarmActions : state === 'OK' ? c.okActions : c.insufficientDataActions;
    return actions ?? [];
  }
}
