/**
 * The EventBridge fast path beside the alarm path, for `simulate --fast-path`: each root-usage record reaches
 * the handler `eventBridgeDelayMs` after its eventTime (in an EventBridge envelope), while the alarm path sees it
 * `logsDelayMs` after its eventTime (the delay CloudTrail takes to deliver to CloudWatch Logs) and then goes
 * through the alarm emulation. Both paths share the handler and its dedupe store, so the alarm message lists
 * what the fast path already announced. The handler runs on the model's clock ({@link FastPathModel.clock}), so
 * flood control holds and digests in modelled time, and the scheduled flush (`FLUSH_INPUT`, every
 * `FLUSH_PERIOD_MS`, as the stack's schedule) runs while an announced-or-held event is still unnamed. The
 * time-to-alert of each event is read from what actually happened in the run: when a fast-path message (its
 * own, its session's digest, or a flushed digest) or an ALARM notification first covered it.
 */
import { eventDedupeKey, isRootUsage } from '../alert/alert.js';
import { FLUSH_INPUT, FLUSH_PERIOD_MS } from '../defaults.js';
import { isRegionCode } from '../events/regions.js';
import { readCloudTrailEvent, type CloudTrailEvent } from '../events/index.js';
import { lookupWindow, type Enricher } from '../lambda/enrich.js';
import type { AlertHandler, DedupeStore } from '../lambda/handler.js';

/** One root-usage record and when each path first reported it (modelled epoch ms). */
export interface PathOutcome {
  event: CloudTrailEvent;
  /** eventTime, epoch ms. */
  eventTime: number;
  /** When a fast-path message first covered the event; undefined if none did (held, never digested). */
  fastAt?: number;
  /** When the alarm path first reported it: the ALARM state change whose data included it. */
  alarmAt?: number;
  /** False when the event's Region is not forwarded to the fast path (it reaches the room only by the alarm). */
  forwarded: boolean;
}

/** Options of {@link FastPathModel}. */
export interface FastPathModelOptions {
  /** The handler's dedupe store: a key there means the event was announced. */
  dedupe: DedupeStore;
  /**
   * Regions whose root events reach the fast path ('all', or the Region codes): the stack's EventBridge rule
   * sees its own Region, and forwarder rules bring the others; events of other Regions reach the room only
   * through the alarm path.
   */
  forwardedRegions: 'all' | ReadonlySet<string>;
  eventBridgeDelayMs: number;
  logsDelayMs: number;
  /** The handler's `DIGEST_MAX_DELAY_MS`: the flush runs until this long (and a period) after the last event. */
  digestMaxDelayMs: number;
  /** Prints one line per fast-path decision. */
  print: (line: string) => void;
}

interface Queued {
  at: number;
  record: Record<string, unknown>;
  outcome: PathOutcome;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The EventBridge envelope EventBridge gives a CloudTrail record (sign-ins: their own detail-type). */
function envelope(
  record: Record<string, unknown>,
  event: CloudTrailEvent,
  time: number,
): Record<string, unknown> {
  const signIn = event.eventSource === 'signin.amazonaws.com';
  return {
    version: '0',
    id: event.eventId ?? `simulated-${time}`,
    'detail-type': signIn ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail',
    source: signIn ? 'aws.signin' : `aws.${event.eventSource.split('.')[0] ?? 'unknown'}`,
    account: event.accountId ?? '',
    time: iso(time),
    region: event.awsRegion && isRegionCode(event.awsRegion) ? event.awsRegion : 'us-east-1',
    resources: [],
    detail: record,
  };
}

/** Replays the fast path in modelled time next to the alarm emulation of a `Simulation`. */
export class FastPathModel {
  private readonly queue: Queued[] = [];
  /** Records the metric filter matched, with the time they reach CloudWatch Logs. */
  private readonly logs: { arrival: number; eventTime: number; event: CloudTrailEvent }[] = [];
  readonly outcomes: PathOutcome[] = [];
  /** Forwarded outcomes with an eventID that no fast-path message has named yet. */
  private unnamed: PathOutcome[] = [];
  /** Modelled time of the last step, and the process time when it was set. */
  private modelled = 0;
  private setAt = Date.now();
  /** The next scheduled flush (modelled epoch ms), once an event has reached the handler. */
  private nextFlush = Infinity;
  /** The flush stops this long after the last fast-path event: every held event is due by then. */
  private flushUntil = -Infinity;

  constructor(private readonly options: FastPathModelOptions) {}

  /**
   * The handler's clock: modelled epoch ms of the step being run, advancing with the real time the step takes
   * (so that the handler's deadlines and retries still count real milliseconds).
   */
  readonly clock = (): number => this.modelled + (Date.now() - this.setAt);

  private setTime(at: number): void {
    this.modelled = at;
    this.setAt = Date.now();
  }

  /**
   * Takes one parsed record at eventTime `time`: kept for the offline FilterLogEvents when the metric filter's
   * pattern matched it (`matched`, from the alarm path's evaluation: the record is not evaluated twice), and
   * queued for the fast path when it is root usage by the CIS pattern (what the EventBridge rule and the
   * handler take, whatever `--pattern` says) in a forwarded Region.
   */
  add(record: unknown, time: number, matched: boolean): void {
    const event = readCloudTrailEvent(record);
    if (!event || typeof record !== 'object' || record === null) return;
    if (matched) this.logs.push({ arrival: time + this.options.logsDelayMs, eventTime: time, event });
    if (!isRootUsage(record as Record<string, unknown>)) return;
    const regions = this.options.forwardedRegions;
    const forwarded = regions === 'all' || (event.awsRegion !== undefined && regions.has(event.awsRegion));
    const outcome: PathOutcome = { event, eventTime: time, forwarded };
    this.outcomes.push(outcome);
    if (!forwarded) return;
    this.unnamed.push(outcome);
    const at = time + this.options.eventBridgeDelayMs;
    const index = this.queue.findIndex((q) => q.at > at);
    const item = { at, record: record as Record<string, unknown>, outcome };
    if (index === -1) this.queue.push(item);
    else this.queue.splice(index, 0, item);
  }

  /**
   * Runs the fast-path deliveries and the scheduled flushes due by `time` (modelled epoch ms), in time order,
   * through `handle`.
   */
  async runUntil(time: number, handle: AlertHandler): Promise<void> {
    for (;;) {
      const nextEvent = this.queue[0]?.at ?? Infinity;
      const flushing = this.unnamed.length > 0 && this.nextFlush <= this.flushUntil;
      const next = Math.min(nextEvent, flushing ? this.nextFlush : Infinity);
      if (next === Infinity || next > time) return;
      this.setTime(next);
      if (next === nextEvent) await this.deliverNext(handle);
      else {
        await this.flush(next, handle);
        this.nextFlush += FLUSH_PERIOD_MS;
      }
      await this.noteNamed(next);
    }
  }

  /** One queued event through the handler, in its EventBridge envelope. */
  private async deliverNext(handle: AlertHandler): Promise<void> {
    const { at, record, outcome } = this.queue.shift() as Queued;
    if (this.nextFlush === Infinity) this.nextFlush = Math.ceil(at / FLUSH_PERIOD_MS) * FLUSH_PERIOD_MS;
    this.flushUntil = at + this.options.digestMaxDelayMs + FLUSH_PERIOD_MS;
    const name = outcome.event.eventName;
    try {
      const result = await handle(envelope(record, outcome.event, outcome.eventTime));
      for (const d of result.decisions) {
        this.options.print(
          `${iso(at)}  EventBridge ${name} → handler: ${d.outcome === 'delivered' ? `delivered (HTTP ${d.status})` : d.outcome === 'skipped' ? `skipped: ${d.reason}` : `failed: ${d.reason}`}\n`,
        );
      }
    } catch (error) {
      this.options.print(
        `${iso(at)}  EventBridge ${name} → handler: FAILED: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  }

  /** The scheduled flush at `at`: printed only when it delivered a digest (or failed). */
  private async flush(at: number, handle: AlertHandler): Promise<void> {
    try {
      const result = await handle({ ...FLUSH_INPUT });
      for (const d of result.decisions) {
        if (d.outcome !== 'delivered') continue;
        this.options.print(`${iso(at)}  scheduled flush → handler: delivered a digest (HTTP ${d.status})\n`);
      }
    } catch (error) {
      this.options.print(
        `${iso(at)}  scheduled flush → handler: FAILED: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  }

  /** Marks the events a delivered message named by `at` (the dedupe store holds their keys). */
  private async noteNamed(at: number): Promise<void> {
    // Only the events not yet named are looked up (all of them each time made long runs quadratic).
    const still: PathOutcome[] = [];
    for (const o of this.unnamed) {
      if (o.event.eventId && (await this.options.dedupe.has(eventDedupeKey(o.event.eventId)))) o.fastAt = at;
      else if (o.event.eventId) still.push(o);
    }
    this.unnamed = still;
  }

  /** Notes an alarm state change at `time`: an ALARM reports every root event whose record had arrived. */
  noteAlarm(newState: string, time: number): void {
    if (newState !== 'ALARM') return;
    for (const o of this.outcomes) {
      if (o.alarmAt === undefined && o.eventTime + this.options.logsDelayMs <= time) o.alarmAt = time;
    }
  }

  /**
   * An {@link Enricher} over the records that reached CloudWatch Logs by the alarm's state change and whose
   * eventTime lies in the lookup window of `src/lambda/enrich.ts` (the offline FilterLogEvents).
   */
  enricher(maxEvents = 50): Enricher {
    return {
      lookup: (alert) => {
        const n = alert.notification;
        if (alert.state !== 'ALARM' || !n.metric || !n.stateChangeTime) return Promise.resolve(undefined);
        const changed = n.stateChangeTime.getTime();
        const window = lookupWindow(n.stateChangeTime, n.periodSeconds ?? 300);
        const found = this.logs
          .filter((l) => l.arrival <= changed && l.eventTime >= window.start && l.eventTime <= window.end)
          .map((l) => l.event);
        return Promise.resolve(
          found.length === 0
            ? { kind: 'gap', gap: 'no-events' }
            : { kind: 'events', events: found.slice(0, maxEvents), total: found.length },
        );
      },
    };
  }
}

/** `9 s`, `6 min 26 s`: a duration for people. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 === 0 ? '' : ` ${s % 60} s`}`;
}
