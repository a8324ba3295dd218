/**
 * The offline chain CloudTrail record → metric filter → metric → alarm → SNS notification, replayed in event
 * time. Records are put in eventTime order within a bounded reorder window; the alarm is evaluated at every
 * minute boundary (alarms with periods of 60 s or more are evaluated every minute: CloudWatch User Guide,
 * "Alarm evaluation"); each state change with SNS actions yields the notification CloudWatch would publish.
 * Memory holds the filter outcomes (not the texts) of the records in the reorder window and the alarm's lookback
 * minutes, not the input.
 */
import { MetricAlarm, type AlarmState, type AlarmStateChange, type MetricAlarmConfig } from './alarm.js';
import type { MetricDatum, MetricFilter } from './metric-filter.js';
import { MinuteSeries } from './metric-filter.js';
import { snsLambdaEvent, type SnsLambdaEvent } from './notification.js';

const MINUTE_MS = 60_000;

/** Options of a {@link Simulation}. */
export interface SimulationOptions {
  filter: MetricFilter;
  /** The alarm on the filter's metric (its dimensions select which published values it sees). */
  alarm: MetricAlarmConfig;
  /** How far (ms) a record may come after later ones and still be placed in order; default 15 minutes. */
  reorderWindowMs?: number;
  /** SNS subscription id used in `EventSubscriptionArn`; random per notification when omitted. */
  subscriptionId?: string;
  /** Called for each state change, with one SNS → Lambda event per SNS topic among its actions; awaited. */
  onStateChange?: (change: AlarmStateChange, notifications: SnsLambdaEvent[]) => Promise<void> | void;
}

/** Counters of a run. Times are ms since the epoch. */
export interface SimulationSummary {
  /** Records given to {@link Simulation.add} (with a valid eventTime). */
  records: number;
  /** Records whose message matched the filter pattern. */
  matched: number;
  /** Values the metric filter published to the alarm's metric. */
  metricValues: number;
  /** Minutes that received at least one value. */
  metricMinutes: number;
  /** Records that came later than the reorder window allows; not applied to the metric. */
  late: number;
  /** Of the late records, those that matched the pattern. */
  lateMatched: number;
  /** Every state change, in order. */
  stateChanges: AlarmStateChange[];
  /** SNS notifications produced. */
  notifications: number;
  /** Most records held at once for reordering: bounded by the window, not by the input. */
  peakPending: number;
  firstEventTime?: number;
  lastEventTime?: number;
  finalState: AlarmState;
}

/** A record waiting for its turn: the filter already ran, so the record's text is not kept. */
interface Pending {
  time: number;
  seq: number;
  matched: boolean;
  datum: MetricDatum | null;
}

/** A binary min-heap ordered by (time, arrival). */
class EventHeap {
  private readonly items: Pending[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Pending | undefined {
    return this.items[0];
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a] as Pending;
    const y = this.items[b] as Pending;
    return x.time < y.time || (x.time === y.time && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const t = this.items[a] as Pending;
    this.items[a] = this.items[b] as Pending;
    this.items[b] = t;
  }

  push(item: Pending): void {
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): Pending | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.less(l, m)) m = l;
        if (r < this.items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

const SNS_ARN = /^arn:aws[a-z-]*:sns:/;

function sameDimensions(a: Record<string, string>, b: readonly { name: string; value: string }[]): boolean {
  const keys = Object.keys(a);
  return keys.length === b.length && b.every((d) => a[d.name] === d.value);
}

/**
 * Replays log events (CloudTrail records) through a metric filter and an alarm. Call {@link add} for each
 * record in any order, then {@link finish}; the alarm keeps being evaluated after the last record until its
 * datapoints have left the evaluation range, so the run ends in the state the alarm settles in.
 */
export class Simulation {
  private readonly series = new MinuteSeries();
  private readonly alarm: MetricAlarm;
  private readonly heap = new EventHeap();
  private readonly windowMs: number;
  /** Minutes that received values so far; values arrive in time order, so a new minute is a new count. */
  private metricMinutes = 0;
  private lastMetricMinute = -1;
  private seq = 0;
  private maxSeen = -Infinity;
  /** Time of the last record applied; a record older than this is late. */
  private watermark = -Infinity;
  /** Next minute boundary to evaluate at; undefined before the first record. */
  private nextEvaluation: number | undefined;
  /**
   * The alarm as notifications show it: without a configuration time of its own, the alarm counts as
   * configured at the first evaluation (AlarmConfigurationUpdatedTimestamp then precedes every state change).
   */
  private notifiedConfig: MetricAlarmConfig;
  private readonly summary: Omit<SimulationSummary, 'finalState' | 'metricMinutes'> = {
    records: 0,
    matched: 0,
    metricValues: 0,
    late: 0,
    lateMatched: 0,
    stateChanges: [],
    notifications: 0,
    peakPending: 0,
  };

  /** @throws CloudWatchConfigError for an invalid alarm. */
  constructor(private readonly options: SimulationOptions) {
    this.alarm = new MetricAlarm(options.alarm, this.series);
    this.notifiedConfig = options.alarm;
    this.windowMs = options.reorderWindowMs ?? 15 * MINUTE_MS;
  }

  /**
   * Adds one log event: `message` (the record's JSON) at `time` (its eventTime, ms since the epoch).
   * `evaluated`, when given, is told whether the message matched, before any state change this record
   * causes is processed (so a caller can use the one evaluation).
   * @returns whether the message matched the filter pattern (late or not).
   */
  async add(message: string, time: number, evaluated?: (matched: boolean) => void): Promise<boolean> {
    this.summary.records++;
    this.summary.firstEventTime = Math.min(this.summary.firstEventTime ?? time, time);
    this.summary.lastEventTime = Math.max(this.summary.lastEventTime ?? time, time);
    const { matched, datum } = this.options.filter.evaluate(message, time);
    evaluated?.(matched);
    if (time < this.watermark) {
      this.summary.late++;
      if (matched) this.summary.lateMatched++;
      return matched;
    }
    this.heap.push({ time, seq: this.seq++, matched, datum });
    this.summary.peakPending = Math.max(this.summary.peakPending, this.heap.size);
    this.maxSeen = Math.max(this.maxSeen, time);
    for (
      let next = this.heap.peek();
      next !== undefined && next.time <= this.maxSeen - this.windowMs;
      next = this.heap.peek()
    ) {
      await this.apply(this.heap.pop() as Pending);
    }
    return matched;
  }

  /** Applies the remaining records, lets the alarm settle, and returns the summary. */
  async finish(): Promise<SimulationSummary> {
    for (let next = this.heap.pop(); next !== undefined; next = this.heap.pop()) await this.apply(next);
    if (this.nextEvaluation !== undefined) {
      // Evaluate until no datapoint is left in the evaluation range, then once more on the empty range.
      while (this.series.size > 0) await this.evaluateNext();
      await this.evaluateNext();
    }
    return {
      ...this.summary,
      metricMinutes: this.metricMinutes,
      finalState: this.alarm.state,
    };
  }

  private async apply(event: Pending): Promise<void> {
    await this.advanceTo(event.time);
    this.watermark = event.time;
    const { matched, datum } = event;
    if (matched) this.summary.matched++;
    if (datum !== null && sameDimensions(datum.dimensions, this.options.alarm.dimensions ?? [])) {
      this.series.add(datum.timestamp, datum.value);
      this.summary.metricValues++;
      const minute = Math.floor(datum.timestamp / MINUTE_MS);
      if (minute !== this.lastMetricMinute) {
        this.metricMinutes++;
        this.lastMetricMinute = minute;
      }
    }
  }

  /**
   * Evaluates at every minute boundary up to `time`. While no datapoint is within the lookback and the
   * state held at the last evaluation, later evaluations cannot differ, so the clock jumps ahead.
   */
  private async advanceTo(time: number): Promise<void> {
    const target = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    if (this.nextEvaluation === undefined) {
      this.nextEvaluation = target;
      this.notifiedConfig = {
        ...this.options.alarm,
        configurationUpdatedAt: this.options.alarm.configurationUpdatedAt ?? target,
      };
    }
    while (this.nextEvaluation <= target) {
      const changed = await this.evaluateNext();
      if (!changed && this.series.size === 0) this.nextEvaluation = Math.max(this.nextEvaluation, target);
    }
  }

  private async evaluateNext(): Promise<boolean> {
    const at = this.nextEvaluation as number;
    this.nextEvaluation = at + MINUTE_MS;
    this.series.prune(at - this.alarm.lookbackMs);
    const change = this.alarm.evaluate(at);
    if (change === null) return false;
    this.summary.stateChanges.push(change);
    const notifications = change.actions
      .filter((arn) => SNS_ARN.test(arn))
      .map((topicArn) =>
        snsLambdaEvent(this.notifiedConfig, change, {
          topicArn,
          ...(this.options.subscriptionId === undefined
            ? {}
            : { subscriptionId: this.options.subscriptionId }),
        }),
      );
    this.summary.notifications += notifications.length;
    await this.options.onStateChange?.(change, notifications);
    return true;
  }
}
