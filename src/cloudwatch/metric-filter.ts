/**
 * Metric filters: what a CloudWatch Logs metric filter publishes for each log event, and the per-minute
 * aggregation CloudWatch applies to those values.
 *
 * Sources: CloudWatch Logs API Reference, PutMetricFilter and MetricTransformation
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html);
 * CloudWatch Logs User Guide, "Creating metrics from log events using filters" (MonitoringLogData.html) and
 * "Filter pattern syntax for metric filters"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntaxForMetricFilters.html).
 */
import { CloudWatchConfigError } from './errors.js';
import {
  compileFilterPattern,
  parseSelectorReference,
  type CompiledFilterPattern,
} from './filter-pattern.js';

/** The MetricTransformation of PutMetricFilter. */
export interface MetricTransformation {
  metricName: string;
  metricNamespace: string;
  /**
   * What one matching event publishes, at most 100 characters: a number literal (`"1"`), a JSON selector
   * (`"$.latency"`, JSON patterns) or a field of a space-delimited pattern (`"$size"` or positional `"$7"`).
   */
  metricValue: string;
  /** Published for every event that does not match; not allowed together with `dimensions`. */
  defaultValue?: number;
  /** At most 3: dimension name → `$.selector` (JSON patterns) or `$field` (space-delimited patterns). */
  dimensions?: Readonly<Record<string, string>>;
  /** StandardUnit of the metric; none when omitted. */
  unit?: string;
}

/** One value a metric filter publishes. `timestamp` is the log event's time, in ms since the epoch. */
export interface MetricDatum {
  timestamp: number;
  value: number;
  /** Dimension name → value; `{}` without dimensions. */
  dimensions: Record<string, string>;
}

/** A metric filter ready to apply to log events. */
export interface MetricFilter {
  readonly pattern: CompiledFilterPattern;
  readonly transformation: Readonly<MetricTransformation>;
  /**
   * The datum the filter publishes for one log event, or null when it publishes nothing: a non-matching event
   * without `defaultValue`, or a match whose metric value or a dimension selects nothing numeric (undocumented,
   * cloudwatch-semantics.md G.6: publishing nothing is the safe reading).
   * @param timestamp the log event's time, in ms since the epoch.
   */
  apply(message: string, timestamp: number): MetricDatum | null;
  /** Like {@link apply}, and also says whether the pattern matched (one evaluation of the pattern). */
  evaluate(message: string, timestamp: number): { matched: boolean; datum: MetricDatum | null };
}

const NUMBER_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAME_RE = /^[^:*$]{1,255}$/;

function checkReference(reference: string, pattern: CompiledFilterPattern, field: string): void {
  const kind = pattern.ast.kind;
  if (reference.startsWith('$.') || reference.startsWith('$[')) {
    if (kind !== 'json')
      throw new CloudWatchConfigError(`${field} ${reference} needs a JSON filter pattern`, field);
    if (parseSelectorReference(reference) === null) {
      throw new CloudWatchConfigError(
        `${field} ${reference} is not a JSON selector without wildcards`,
        field,
      );
    }
    return;
  }
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*|\d+)$/.exec(reference);
  if (m === null) {
    throw new CloudWatchConfigError(
      `${field} must be a number, a $.selector or a $field reference: ${reference}`,
      field,
    );
  }
  if (kind !== 'delimited') {
    throw new CloudWatchConfigError(`${field} ${reference} needs a space-delimited filter pattern`, field);
  }
  const name = m[1] as string;
  const named = pattern.ast.slots.some((s) => s.kind === 'field' && s.name === name);
  if (!/^\d+$/.test(name) && !named) {
    throw new CloudWatchConfigError(`${field} ${reference} names no field of the filter pattern`, field);
  }
}

function toNumber(v: string | number | boolean | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMBER_LITERAL.test(v.trim())) return Number(v);
  return undefined;
}

/**
 * Builds a metric filter from a filter pattern and a metric transformation.
 * @throws FilterPatternError for an invalid pattern; CloudWatchConfigError for a transformation PutMetricFilter
 *   would reject (names with `:`, `*` or `$`, a metricValue over 100 characters, more than 3 dimensions,
 *   `defaultValue` with dimensions) or that cannot work with the pattern (a `$.selector` with a non-JSON
 *   pattern, a `$field` the pattern does not name).
 */
export function createMetricFilter(
  filterPattern: string,
  transformation: MetricTransformation,
): MetricFilter {
  const pattern = compileFilterPattern(filterPattern);
  const t = transformation;
  if (!NAME_RE.test(t.metricName)) {
    throw new CloudWatchConfigError('metricName must be 1 to 255 characters without : * $', 'metricName');
  }
  if (!NAME_RE.test(t.metricNamespace)) {
    throw new CloudWatchConfigError(
      'metricNamespace must be 1 to 255 characters without : * $',
      'metricNamespace',
    );
  }
  if (t.metricValue.length < 1 || t.metricValue.length > 100) {
    throw new CloudWatchConfigError('metricValue must be 1 to 100 characters', 'metricValue');
  }
  const literal = NUMBER_LITERAL.test(t.metricValue) ? Number(t.metricValue) : undefined;
  if (literal === undefined) checkReference(t.metricValue, pattern, 'metricValue');
  const dimensions = Object.entries(t.dimensions ?? {});
  if (dimensions.length > 3)
    throw new CloudWatchConfigError('at most 3 dimensions per metric filter', 'dimensions');
  if (dimensions.length > 0 && t.defaultValue !== undefined) {
    throw new CloudWatchConfigError('defaultValue cannot be set together with dimensions', 'defaultValue');
  }
  for (const [name, reference] of dimensions) {
    if (name.length < 1 || name.length > 255) {
      throw new CloudWatchConfigError('dimension names must be 1 to 255 characters', 'dimensions');
    }
    checkReference(reference, pattern, `dimension ${name}`);
  }
  if (t.defaultValue !== undefined && !Number.isFinite(t.defaultValue)) {
    throw new CloudWatchConfigError('defaultValue must be a finite number', 'defaultValue');
  }

  const evaluate = (message: string, timestamp: number): { matched: boolean; datum: MetricDatum | null } => {
    const resolve = pattern.resolver(message);
    if (resolve === null) {
      const datum =
        t.defaultValue === undefined ? null : { timestamp, value: t.defaultValue, dimensions: {} };
      return { matched: false, datum };
    }
    const value = literal ?? toNumber(resolve(t.metricValue));
    if (value === undefined) return { matched: true, datum: null };
    const dims: Record<string, string> = {};
    for (const [name, reference] of dimensions) {
      const v = resolve(reference);
      if (v === undefined || v === '') return { matched: true, datum: null };
      dims[name] = String(v);
    }
    return { matched: true, datum: { timestamp, value, dimensions: dims } };
  };
  return {
    pattern,
    transformation: { ...t },
    apply: (message, timestamp) => evaluate(message, timestamp).datum,
    evaluate,
  };
}

/** Aggregated values of one period (or minute): what CloudWatch keeps as a statistic set. */
export interface StatisticSet {
  sum: number;
  sampleCount: number;
  minimum: number;
  maximum: number;
}

const MINUTE_MS = 60_000;

/**
 * One metric (namespace, name and dimension set) aggregated per minute, as CloudWatch stores metric-filter
 * values ("two matching events with value 1 in one minute give a minute Sum of 2", MonitoringLogData; each
 * published value counts as one sample). Memory holds only the minutes not yet {@link prune}d.
 */
export class MinuteSeries {
  private readonly minutes = new Map<number, StatisticSet>();

  /** Adds one value at `timestamp` (ms) to its minute. */
  add(timestamp: number, value: number): void {
    const minute = Math.floor(timestamp / MINUTE_MS) * MINUTE_MS;
    const s = this.minutes.get(minute);
    if (s === undefined) {
      this.minutes.set(minute, { sum: value, sampleCount: 1, minimum: value, maximum: value });
    } else {
      s.sum += value;
      s.sampleCount++;
      s.minimum = Math.min(s.minimum, value);
      s.maximum = Math.max(s.maximum, value);
    }
  }

  /** The statistic set of `[from, to)` (ms, minute-aligned), or undefined when no value fell in it (missing). */
  range(from: number, to: number): StatisticSet | undefined {
    let out: StatisticSet | undefined;
    for (let m = from; m < to; m += MINUTE_MS) {
      const s = this.minutes.get(m);
      if (s === undefined) continue;
      if (out === undefined) out = { ...s };
      else {
        out.sum += s.sum;
        out.sampleCount += s.sampleCount;
        out.minimum = Math.min(out.minimum, s.minimum);
        out.maximum = Math.max(out.maximum, s.maximum);
      }
    }
    return out;
  }

  /** Forgets every minute before `before` (ms). */
  prune(before: number): void {
    for (const m of this.minutes.keys()) if (m < before) this.minutes.delete(m);
  }

  /** Number of minutes held. */
  get size(): number {
    return this.minutes.size;
  }
}
