import { DEFAULT_SUBJECT_MAP, SELF_TEST_MARK, TEST_MARK } from '../defaults.js';
import type { AlarmNotification, AlarmState, Input, Origin } from '../events/index.js';
import { consoleOrigin, regionCodeFromArn, regionCodeFromName } from '../events/regions.js';

/** Languages of rendered messages. */
export type Locale = 'ko' | 'en';

/** How urgent an alert is: ALARM is critical, INSUFFICIENT_DATA a warning, OK information. */
export type Severity = 'critical' | 'warning' | 'info';

/**
 * A test mark: `manual` for `[테스트]`/`[TEST]` (send-test, fire, the demo's real-room mode), `scheduled` for
 * `[정기 테스트]`/`[SCHEDULED TEST]` (the periodic self-test).
 */
export type TestMark = 'manual' | 'scheduled';

/** One alert to deliver: an alarm state change with everything the message shows. */
export interface Alert {
  kind: 'alarm';
  alarmName: string;
  state: AlarmState;
  severity: Severity;
  /** The subject of the headline (`root 계정` for `root-alert`; unknown names give the alarm name). */
  subject: string;
  /** Present when the alert is a test on purpose; the headline is then marked. */
  test?: TestMark;
  notification: AlarmNotification;
  /** Region code, from the alarm ARN, the carrier, or the Region display name. */
  regionCode?: string;
  /** The CloudWatch console page of the alarm in its Region. */
  consoleUrl?: string;
  /** When the state changed; for messages without a time (the guide's test event), when SNS sent it or now. */
  time: Date;
  timeSource: 'state-change' | 'sns' | 'received';
  /** `AlarmArn + StateChangeTime + NewStateValue`, only when both fields exist (DESIGN.md "Delivery semantics"). */
  dedupeKey?: string;
  origin: Origin;
  /** Set when the input was read from a fallback (the SNS Subject). */
  note?: string;
}

/** An input that sends no message, with the reason (logged). */
export interface Skip {
  kind: 'skip';
  reason: string;
  alarmName?: string;
  state?: string;
  origin: Origin;
}

/** What {@link toAlert} needs to decide. */
export interface AlertOptions {
  /** States that send a message (`NOTIFY_STATES`). */
  notifyStates: readonly AlarmState[];
  /** Alarm name → subject, merged over the locale's defaults (`SUBJECT_MAP`). */
  subjectMap: Readonly<Record<string, string>>;
  locale: Locale;
  /** Used as the alert time when the notification and its carrier have none. */
  now: Date;
}

/** Default subject map per locale: the guide's `root-alert` → `root 계정`, in English `root account`. */
export const DEFAULT_SUBJECTS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  ko: DEFAULT_SUBJECT_MAP,
  en: { 'root-alert': 'root account' },
};

/** Reads a test mark at the start of an alarm's state reason (`[테스트] …`, `[정기 테스트] …`). */
export function testMarkOf(reason: string | undefined): TestMark | undefined {
  const start = reason?.trimStart() ?? '';
  if (start.startsWith(SELF_TEST_MARK.ko) || start.startsWith(SELF_TEST_MARK.en)) return 'scheduled';
  if (start.startsWith(TEST_MARK.ko) || start.startsWith(TEST_MARK.en)) return 'manual';
  return undefined;
}

const SEVERITY: Record<AlarmState, Severity> = {
  ALARM: 'critical',
  INSUFFICIENT_DATA: 'warning',
  OK: 'info',
};

/**
 * Decides what one input becomes: an {@link Alert} when it is an alarm notification whose new state is in
 * `notifyStates`, else a {@link Skip} with the reason.
 */
export function toAlert(input: Input, options: AlertOptions): Alert | Skip {
  if (input.kind === 'unsupported') return { kind: 'skip', reason: input.reason, origin: input.origin };
  const n = input.notification;
  if (!options.notifyStates.includes(n.newState)) {
    return {
      kind: 'skip',
      reason: `state ${n.newState} is not in NOTIFY_STATES (${options.notifyStates.join(',')})`,
      alarmName: n.alarmName,
      state: n.newState,
      origin: input.origin,
    };
  }
  const regionCode =
    regionCodeFromArn(n.alarmArn) ??
    n.regionCode ??
    (n.regionName === undefined ? undefined : regionCodeFromName(n.regionName));
  const subjects = { ...DEFAULT_SUBJECTS[options.locale], ...options.subjectMap };
  const [time, timeSource]: [Date, Alert['timeSource']] = n.stateChangeTime
    ? [n.stateChangeTime, 'state-change']
    : input.origin.timestamp
      ? [input.origin.timestamp, 'sns']
      : [options.now, 'received'];
  const test = testMarkOf(n.reason);
  return {
    kind: 'alarm',
    alarmName: n.alarmName,
    state: n.newState,
    severity: SEVERITY[n.newState],
    subject: (Object.hasOwn(subjects, n.alarmName) ? subjects[n.alarmName] : undefined) ?? n.alarmName,
    ...(test ? { test } : {}),
    notification: n,
    ...(regionCode ? { regionCode, consoleUrl: alarmConsoleUrl(regionCode, n.alarmName) } : {}),
    time,
    timeSource,
    ...(n.alarmArn && n.stateChangeTime
      ? { dedupeKey: `${n.alarmArn}|${n.stateChangeTime.toISOString()}|${n.newState}` }
      : {}),
    origin: input.origin,
    ...(input.note ? { note: input.note } : {}),
  };
}

/**
 * The CloudWatch console page of an alarm:
 * `https://<region>.console.aws.amazon.com/cloudwatch/home?region=<region>#alarmsV2:alarm/<name>` (China and
 * GovCloud use their partitions' console hosts).
 */
export function alarmConsoleUrl(regionCode: string, alarmName: string): string {
  return `${consoleOrigin(regionCode)}/cloudwatch/home?region=${regionCode}#alarmsV2:alarm/${encodeURIComponent(wellFormed(alarmName))}`;
}

/**
 * Replaces lone UTF-16 surrogates (invalid in JSON text from a hostile or broken sender) with U+FFFD, so that
 * `encodeURIComponent` and renderers never throw on them.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
