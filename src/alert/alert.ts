import { createHash } from 'node:crypto';
import { ALARM_NAME, DEFAULT_SUBJECTS as SUBJECTS, SELF_TEST_MARK, TEST_MARK } from '../defaults.js';
import {
  readCloudTrailEvent,
  type AlarmNotification,
  type AlarmState,
  type CloudTrailEvent,
  type CloudTrailInput,
  type Input,
  type Origin,
} from '../events/index.js';
import { consoleOrigin, isRegionCode, regionCodeFromArn, regionCodeFromName } from '../events/regions.js';
import type { PrivilegedRootSession, RootCredentialsRemovedAlert } from './assume-root.js';
import { verifyTestMark, type TestMarkKeyLookup, type TestMarkTrust } from './test-mark.js';

/** Languages of rendered messages. */
export type Locale = 'ko' | 'en';

/** How urgent an alert is: ALARM is critical, INSUFFICIENT_DATA a warning, OK information. */
export type Severity = 'critical' | 'warning' | 'info';

/**
 * A test mark: `manual` for `[테스트]`/`[TEST]` (send-test, fire, the demo's real-room mode), `scheduled` for
 * `[정기 테스트]`/`[SCHEDULED TEST]` (the periodic self-test).
 */
export type TestMark = 'manual' | 'scheduled';

/**
 * Why enrichment shows no events: the alarm's metric has no metric filter, the lookup was denied, throttled,
 * ran out of its time budget or failed otherwise, or the filter's log group had no matching event in the window.
 */
export type EnrichmentGap = 'no-filter' | 'access-denied' | 'throttled' | 'timeout' | 'error' | 'no-events';

/**
 * The CloudTrail events behind an alarm, found by enrichment (`src/lambda/enrich.ts`), or why none are shown.
 * - `events`: up to the shown limit of events not yet reported (`shown`, oldest first), events the fast path
 *   already announced (`alreadyReported`, one line each), and how many further matches were left out (`more`);
 * - `unavailable`: the plain alarm message goes out with a note saying why (`gap`).
 */
export type Enrichment =
  | { kind: 'events'; shown: CloudTrailEvent[]; alreadyReported: CloudTrailEvent[]; more: number }
  | { kind: 'unavailable'; gap: EnrichmentGap };

/** One alert to deliver: an alarm state change with everything the message shows. */
export interface AlarmAlert {
  kind: 'alarm';
  alarmName: string;
  state: AlarmState;
  severity: Severity;
  /** The subject of the headline (`root 계정` for `root-alert`; unknown names give the alarm name). */
  subject: string;
  /**
   * Present when the alert is a trusted test (the self-test alarm, or a reason signed with the test-mark key,
   * see `src/alert/test-mark.ts`); the headline is then marked.
   */
  test?: TestMark;
  /**
   * Present when the state reason claims a test mark that could not be verified: the alert is rendered as real
   * (`발생`), in red, with a note that the claim is not verified.
   */
  unverifiedTest?: TestMark;
  notification: AlarmNotification;
  /** Region code, from the alarm ARN, the carrier, or the Region display name. */
  regionCode?: string;
  /** The CloudWatch console page of the alarm in its Region. */
  consoleUrl?: string;
  /** When the state changed; for messages without a time (the guide's test event), when SNS sent it or now. */
  time: Date;
  timeSource: 'state-change' | 'sns' | 'received';
  /**
   * `AlarmArn|StateChangeTime|NewStateValue` when both fields exist: one alarm state change is one message,
   * however often SNS or Lambda deliver it (`docs/architecture.md`, "Delivery"); else the input's
   * {@link fallbackDedupeKey}.
   */
  dedupeKey?: string;
  origin: Origin;
  /**
   * What could not be read: a fallback (the SNS Subject), optional fields left out, no readable state. Set
   * whenever the alert is degraded.
   */
  note?: string;
  /**
   * Set when the message could not be read as an alarm notification (a degraded alert): the text as received,
   * uncut; rendered cleaned and cut in its own attachment (`src/alert/render.ts`, degraded alerts).
   */
  raw?: string;
  /** The CloudTrail events behind the alarm (from the handler's enrichment step, when configured). */
  readonly enrichment?: Enrichment;
  /** The account alias (`iam:ListAccountAliases`, the handler's context step), when it can be had. */
  readonly accountAlias?: string;
  /** The alarm's account from AWS Organizations (the handler's context step), when looked up. */
  readonly account?: AlertAccount;
  /**
   * The member accounts the enriched CloudTrail events came from (an organization trail), in first-seen order,
   * when looked up; at most `MAX_EVENT_ACCOUNTS` of them (`src/lambda/steps/context.ts`).
   */
  readonly eventAccounts?: readonly AlertAccount[];
}

/**
 * An account as a message names it, from AWS Organizations (`src/lambda/organization.ts`, `MemberAccount`):
 * the id, and what could be had of its name (untrusted text), OU path and state; `gap` says what is missing.
 * Never the e-mail.
 */
export interface AlertAccount {
  /** The 12-digit account id. */
  id: string;
  name?: string;
  /** OU names from the one under the root down to the account's parent; empty directly under the root. */
  ouPath?: readonly string[];
  /** `ACTIVE`, `SUSPENDED`, … */
  status?: string;
  /** Which lookups failed and why (`account`, `ou-path`; `timeout`, `access-denied`…). */
  gap?: readonly { step: string; reason: string }[];
}

/** One event of a session digest: enough for one line of the digest message. */
export interface DigestLine {
  eventId?: string;
  eventName: string;
  eventSource: string;
  /** Epoch ms. */
  eventTime?: number;
  failed: boolean;
}

/** One root-usage CloudTrail event from EventBridge (the fast path): one message per event, or a digest. */
export interface EventAlert {
  kind: 'event';
  severity: 'critical';
  /** The subject of the headline: the subject map's entry for the alarm `root-alert` (`root 계정`). */
  subject: string;
  event: CloudTrailEvent;
  /** Where the event happened: its `awsRegion`, or the EventBridge Region for `global` sign-in events. */
  regionCode?: string;
  /** The event's time, else the envelope's, else now. */
  time: Date;
  /**
   * {@link eventDedupeKey} of the `eventID`, shared with the alarm path's enrichment; without an `eventID`, the
   * input's {@link fallbackDedupeKey}.
   */
  dedupeKey?: string;
  /** The account alias (`iam:ListAccountAliases`, the handler's context step), when it can be had. */
  readonly accountAlias?: string;
  /** From flood control: the message sums up the session's held events instead of showing this one alone. */
  readonly digest?: Digest;
  /** The event's account from AWS Organizations (the handler's context step), when looked up. */
  readonly account?: AlertAccount;
  /**
   * Set when the root event came from a privileged root session (`sts:AssumeRoot`, joined on its access key):
   * the message says so, with the caller, task policy and source IP, and no MFA line.
   */
  readonly privilegedSession?: PrivilegedRootSession;
  /** Set when root was used in an account whose root credentials were removed: the most urgent alert. */
  readonly removedCredentials?: RootCredentialsRemovedAlert;
  origin: Origin;
  /** Set when the record was cut at its depth limit (`MAX_RECORD_DEPTH`). */
  note?: string;
}

/**
 * A session digest: the root session's events held since its last message (`lines`, oldest first), how many
 * more were counted only (`more`), and how many stay held for the next digest (`following`).
 */
export interface Digest {
  session: string;
  lines: DigestLine[];
  /** Events counted only (beyond what the session store keeps): see the CloudTrail console. */
  more: number;
  /** Events still held after this message, named in the session's next digest. */
  following?: number;
}

/** One alert to deliver: an alarm state change or a fast-path CloudTrail event. */
export type Alert = AlarmAlert | EventAlert;

/** An alarm alert as read from its input ({@link toAlert}), before the handler adds what it looks up. */
export type AlarmDraft = Omit<AlarmAlert, 'enrichment' | 'accountAlias' | 'account' | 'eventAccounts'>;
/** A fast-path event alert as read from its input ({@link toAlert}), before flood control and context. */
export type EventDraft = Omit<
  EventAlert,
  'digest' | 'accountAlias' | 'account' | 'privilegedSession' | 'removedCredentials'
>;
/** What {@link toAlert} reads from one input; {@link completeAlert} makes it the {@link Alert}. */
export type AlertDraft = AlarmDraft | EventDraft;

/**
 * What the handler's steps add to a draft: the account alias, the account from AWS Organizations, an alarm's
 * enrichment and the member accounts of its events, an event's digest, privileged root session and
 * removed-credentials verdict.
 */
export interface AlertExtras {
  accountAlias?: string | undefined;
  account?: AlertAccount | undefined;
  enrichment?: Enrichment | undefined;
  eventAccounts?: readonly AlertAccount[] | undefined;
  digest?: Digest | undefined;
  privilegedSession?: PrivilegedRootSession | undefined;
  removedCredentials?: RootCredentialsRemovedAlert | undefined;
}

/**
 * Builds the alert, once, from its draft and what the handler's steps found (absent extras are left out;
 * `enrichment` applies to alarms only, `digest` to events only). The result is frozen: no step changes it later.
 */
export function completeAlert(draft: AlarmDraft, extras: AlertExtras): Readonly<AlarmAlert>;
export function completeAlert(draft: EventDraft, extras: AlertExtras): Readonly<EventAlert>;
export function completeAlert(draft: AlertDraft, extras: AlertExtras): Readonly<Alert>;
export function completeAlert(draft: AlertDraft, extras: AlertExtras): Readonly<Alert> {
  const common = {
    ...(extras.accountAlias ? { accountAlias: extras.accountAlias } : {}),
    ...(extras.account ? { account: extras.account } : {}),
  };
  return Object.freeze(
    draft.kind === 'alarm'
      ? {
          ...draft,
          ...common,
          ...(extras.enrichment ? { enrichment: extras.enrichment } : {}),
          ...(extras.eventAccounts?.length ? { eventAccounts: extras.eventAccounts } : {}),
        }
      : {
          ...draft,
          ...common,
          ...(extras.digest ? { digest: extras.digest } : {}),
          ...(extras.privilegedSession ? { privilegedSession: extras.privilegedSession } : {}),
          ...(extras.removedCredentials ? { removedCredentials: extras.removedCredentials } : {}),
        },
  );
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
  /** What makes a test mark trusted (default: nothing, so every `[테스트]` claim is unverified). */
  testMarks?: TestMarkTrust;
}

/** Default subject map per locale: the guide's `root-alert` → `root 계정`, in English `root account`. */
export const DEFAULT_SUBJECTS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = SUBJECTS;

/** The subject of an alarm's headline: `SUBJECT_MAP` over the locale's defaults, else `fallback`. */
function subjectOf(alarmName: string, options: AlertOptions, fallback: string): string {
  const subjects = { ...DEFAULT_SUBJECTS[options.locale], ...options.subjectMap };
  return (Object.hasOwn(subjects, alarmName) ? subjects[alarmName] : undefined) ?? fallback;
}

/**
 * Reads a test mark claimed at the start of an alarm's state reason (`[테스트] …`, `[정기 테스트] …`). A claim
 * only: anyone allowed `SetAlarmState` writes the reason (see {@link trustedTestMark}).
 */
export function testMarkOf(reason: string | undefined): TestMark | undefined {
  const start = reason?.trimStart() ?? '';
  if (start.startsWith(SELF_TEST_MARK.ko) || start.startsWith(SELF_TEST_MARK.en)) return 'scheduled';
  if (start.startsWith(TEST_MARK.ko) || start.startsWith(TEST_MARK.en)) return 'manual';
  return undefined;
}

/**
 * Decides whether an alarm notification is a test: trusted (`test`) when it comes from the self-test alarm
 * (`trust.selfTestAlarmName`; `scheduled` unless its reason claims `[테스트]`) or its reason claims a mark and
 * carries a valid signature (`verifyTestMark` with `trust.key`); `unverifiedTest` when the reason claims a mark
 * that is not so backed; neither otherwise.
 */
export function trustedTestMark(
  n: Pick<AlarmNotification, 'alarmName' | 'reason' | 'stateChangeTime'>,
  trust: TestMarkTrust = {},
): { test?: TestMark; unverifiedTest?: TestMark } {
  const claim = testMarkOf(n.reason);
  if (trust.selfTestAlarmName !== undefined && n.alarmName === trust.selfTestAlarmName) {
    return { test: claim ?? 'scheduled' };
  }
  if (claim === undefined) return {};
  return verifyTestMark(trust.key, n) ? { test: claim } : { unverifiedTest: claim };
}

/**
 * What the handler passes to {@link toAlert} as `testMarks` for one input: the self-test alarm's name, and the
 * test-mark key — looked up (cached, bounded in time, never throwing) only for an alarm whose reason claims a
 * mark and that is not the self-test alarm, so real alarms never wait for it.
 */
export function createTestMarkTrust(
  selfTestAlarmName: string | undefined,
  key: TestMarkKeyLookup,
): (input: Input) => Promise<TestMarkTrust> {
  return async (input) => {
    const trust: TestMarkTrust = selfTestAlarmName === undefined ? {} : { selfTestAlarmName };
    if (input.kind !== 'alarm') return trust;
    const n = input.notification;
    if (n.alarmName === selfTestAlarmName || testMarkOf(n.reason) === undefined) return trust;
    const value = await key();
    return value === undefined ? trust : { ...trust, key: value };
  };
}

const SEVERITY: Record<AlarmState, Severity> = {
  ALARM: 'critical',
  INSUFFICIENT_DATA: 'warning',
  OK: 'info',
};

/**
 * Prefixes of fallback dedupe keys, for inputs without a natural key (an alarm message without `AlarmArn` or
 * `StateChangeTime`, such as the guide's test event; a CloudTrail record without `eventID`), so that a retried
 * batch does not post them again: the SNS `MessageId` (kept by SNS across its own redeliveries), else the
 * EventBridge event `id`, else the SHA-256 of the input's content ({@link fallbackDedupeKey}).
 */
export const FALLBACK_KEY = {
  snsMessage: 'sns-message',
  eventBridge: 'eventbridge-event',
  content: 'input-sha256',
} as const;

/**
 * The fallback dedupe key of an input without a natural key: `sns-message|<MessageId>` for SNS carriers,
 * `eventbridge-event|<id>` for EventBridge, else `input-sha256|<hex>` of the content read from it (`what`,
 * as JSON, with the carrier, topic, Subject and SNS time): the same record retried gives the same key.
 */
export function fallbackDedupeKey(origin: Origin, what: unknown): string {
  if (origin.messageId !== undefined) {
    return `${origin.carrier === 'eventbridge' ? FALLBACK_KEY.eventBridge : FALLBACK_KEY.snsMessage}|${origin.messageId}`;
  }
  const content = JSON.stringify([
    origin.carrier,
    origin.topicArn ?? null,
    origin.subject ?? null,
    origin.timestamp?.toISOString() ?? null,
    what,
  ]);
  return `${FALLBACK_KEY.content}|${createHash('sha256').update(content).digest('hex')}`;
}

/** The dedupe key of a CloudTrail event, shared by both paths: `cloudtrail-event|<eventID>`. */
export function eventDedupeKey(eventId: string): string {
  return `cloudtrail-event|${eventId}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field as a JSON selector sees it: own properties only, `undefined` (never in JSON text) as absent. */
const field = (value: unknown, key: string): unknown =>
  isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;

/**
 * True when a CloudTrail record (parsed JSON) matches the CIS root-usage filter pattern
 * (`ROOT_USAGE_FILTER_PATTERN` in `src/defaults.ts`) as CloudWatch Logs would: `userIdentity.type` is the string
 * `Root`, `userIdentity.invokedBy` is absent (JSON `null` counts as present), and `eventType` is a scalar other
 * than the string `AwsServiceEvent` (a missing or null `eventType` fails the `!=` comparison, as in the offline
 * engine, `src/cloudwatch/filter-pattern.ts`). Tested against that engine in `test/fast-path.test.ts`; the fast
 * path so takes exactly the events the alarm path counts. Source: "Filter pattern syntax for metric filters",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntaxForMetricFilters.html
 */
export function isRootUsage(record: Record<string, unknown>): boolean {
  const identity = field(record, 'userIdentity');
  if (field(identity, 'type') !== 'Root' || field(identity, 'invokedBy') !== undefined) return false;
  const eventType = field(record, 'eventType');
  return (
    eventType !== undefined &&
    eventType !== null &&
    typeof eventType !== 'object' &&
    eventType !== 'AwsServiceEvent'
  );
}

/**
 * Decides what one input becomes: an {@link AlarmDraft} when it is an alarm notification whose new state is in
 * `notifyStates`; an {@link EventDraft} when it is a CloudTrail event that matches the CIS root-usage pattern;
 * else a {@link Skip} with the reason. Each draft carries its dedupe key when it has one.
 */
export function toAlert(input: Input, options: AlertOptions): AlertDraft | Skip {
  if (input.kind === 'unsupported') return { kind: 'skip', reason: input.reason, origin: input.origin };
  if (input.kind === 'cloudtrail') return eventAlert(input, options);
  if (input.kind === 'flush') {
    return { kind: 'skip', reason: 'the scheduled flush is not an alert', origin: input.origin };
  }
  const n = input.notification;
  // A state that was not readable is never a reason to skip (`stateAssumed`): only a readable one outside the list.
  if (!n.stateAssumed && !options.notifyStates.includes(n.newState)) {
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
  const [time, timeSource]: [Date, AlarmAlert['timeSource']] = n.stateChangeTime
    ? [n.stateChangeTime, 'state-change']
    : input.origin.timestamp
      ? [input.origin.timestamp, 'sns']
      : [options.now, 'received'];
  const test = trustedTestMark(n, options.testMarks);
  return {
    kind: 'alarm',
    alarmName: n.alarmName,
    state: n.newState,
    severity: SEVERITY[n.newState],
    subject: subjectOf(n.alarmName, options, n.alarmName),
    ...test,
    notification: n,
    ...(regionCode ? { regionCode, consoleUrl: alarmConsoleUrl(regionCode, n.alarmName) } : {}),
    time,
    timeSource,
    dedupeKey:
      n.alarmArn && n.stateChangeTime
        ? `${n.alarmArn}|${n.stateChangeTime.toISOString()}|${n.newState}`
        : fallbackDedupeKey(input.origin, [n, input.note ?? null, input.raw ?? null]),
    origin: input.origin,
    ...(input.note ? { note: input.note } : {}),
    ...(input.raw !== undefined ? { raw: input.raw } : {}),
  };
}

function eventAlert(input: CloudTrailInput, options: AlertOptions): EventDraft | Skip {
  const event = readCloudTrailEvent(input.detail);
  if (!event) {
    return {
      kind: 'skip',
      reason: 'the EventBridge detail is not a CloudTrail record (no eventName or eventSource)',
      origin: input.origin,
    };
  }
  if (!isRootUsage(input.detail)) {
    return {
      kind: 'skip',
      reason:
        `${event.eventName} does not match the root-usage filter pattern (userIdentity.type ` +
        `${event.identityType ?? '(none)'}; invokedBy and AwsServiceEvent are excluded as in CIS)`,
      origin: input.origin,
    };
  }
  const regionCode =
    event.awsRegion && isRegionCode(event.awsRegion)
      ? event.awsRegion
      : input.region && isRegionCode(input.region)
        ? input.region
        : undefined;
  return {
    kind: 'event',
    severity: 'critical',
    subject: subjectOf(ALARM_NAME, options, 'root'),
    event,
    ...(regionCode ? { regionCode } : {}),
    time: event.eventTime ?? input.origin.timestamp ?? options.now,
    dedupeKey: event.eventId ? eventDedupeKey(event.eventId) : fallbackDedupeKey(input.origin, input.detail),
    origin: input.origin,
    ...(input.note ? { note: input.note } : {}),
  };
}

/**
 * The alert of a session digest sent by the scheduled flush, with no new event to carry it: its `event` is the
 * last line's (name, source, eventID, time) in the session's account (the session key's first part); headline
 * and subject as for any fast-path event. Pure.
 */
export function flushDigestDraft(
  digest: Digest,
  options: Pick<AlertOptions, 'subjectMap' | 'locale' | 'now'>,
  origin: Origin,
): EventDraft {
  const last = digest.lines[digest.lines.length - 1];
  const accountId = digest.session.split('|')[0];
  return {
    kind: 'event',
    severity: 'critical',
    subject: subjectOf(ALARM_NAME, { ...options, notifyStates: [] }, 'root'),
    event: {
      eventName: last?.eventName ?? '(digest)',
      eventSource: last?.eventSource ?? '',
      ...(last?.eventId ? { eventId: last.eventId } : {}),
      ...(last?.eventTime !== undefined ? { eventTime: new Date(last.eventTime) } : {}),
      ...(accountId ? { accountId } : {}),
    },
    time: options.now,
    origin,
  };
}

/**
 * The CloudTrail console page of one event (the console's event-detail route, which AWS does not document):
 * `https://<region>.console.aws.amazon.com/cloudtrailv2/home?region=<region>#/events/<eventID>`. Event history
 * is per Region: `region` must be where the event was recorded (`us-east-1` for sign-ins and IAM).
 */
export function eventConsoleUrl(regionCode: string, eventId: string): string {
  return `${consoleOrigin(regionCode)}/cloudtrailv2/home?region=${regionCode}#/events/${encodeURIComponent(wellFormed(eventId))}`;
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
