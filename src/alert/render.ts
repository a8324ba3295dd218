import { SELF_TEST_MARK, TEST_MARK } from '../defaults.js';
import { eventFailed, type AlarmState, type CloudTrailEvent } from '../events/index.js';
import type { DoorayAttachment, DoorayMessage } from '../dooray/message.js';
import {
  eventConsoleUrl,
  wellFormed,
  type AlarmAlert,
  type Alert,
  type AlertAccount,
  type EventAlert,
  type Locale,
} from './alert.js';
import { ASSUME_ROOT_LABELS, privilegedSessionFacts } from './assume-root.js';
import { isRegionCode, regionNameFromCode } from '../events/regions.js';
import { formatTime } from './time.js';

/** How to render: language, time zone of times, and the sender shown in the room. */
export interface RenderOptions {
  locale: Locale;
  /** IANA time zone, e.g. `Asia/Seoul` (times are shown in it, with UTC beside). */
  timeZone: string;
  botName: string;
  botIconImage?: string;
}

/** Longest text of one attachment, in characters; longer texts are cut with `…` (Dooray publishes no limit). */
export const MAX_ATTACHMENT_TEXT = 3_000;
/** Longest line of a session digest, in characters (longer lines are cut with `…`). */
export const MAX_DIGEST_LINE_TEXT = 200;
/** Longest single field value (reason, rule, description), in characters. */
export const MAX_FIELD_TEXT = 800;

const HEADLINE: Record<Locale, Record<AlarmState, (subject: string) => string>> = {
  ko: {
    ALARM: (s) => `${s} 경보 발생하였습니다`,
    OK: (s) => `${s} 경보 해제되었습니다`,
    INSUFFICIENT_DATA: (s) => `${s} 경보 데이터 부족 상태입니다`,
  },
  en: {
    ALARM: (s) => `${s} alarm triggered`,
    OK: (s) => `${s} alarm resolved`,
    INSUFFICIENT_DATA: (s) => `${s} alarm has insufficient data`,
  },
};

const EVENT_HEADLINE: Record<Locale, (subject: string) => string> = {
  ko: (s) => `${s} 사용이 감지되었습니다`,
  en: (s) => `${s} usage detected`,
};

const STATE_LABEL: Record<Locale, Record<AlarmState, string>> = {
  ko: { ALARM: 'ALARM (경보)', OK: 'OK (정상)', INSUFFICIENT_DATA: 'INSUFFICIENT_DATA (데이터 부족)' },
  en: { ALARM: 'ALARM', OK: 'OK', INSUFFICIENT_DATA: 'INSUFFICIENT_DATA' },
};

const COLOR: Record<AlarmState, string> = { ALARM: 'red', OK: 'green', INSUFFICIENT_DATA: 'yellow' };

const LABELS = {
  ko: {
    reason: '사유',
    state: '상태',
    account: '계정',
    region: '리전',
    time: '시각',
    snsTime: '시각(SNS 발송)',
    received: '시각(수신)',
    metric: '메트릭',
    condition: '조건',
    expressions: '수식',
    rule: '규칙',
    children: '원인 경보',
    description: '설명',
    note: '참고',
    event: '이벤트',
    who: '주체',
    sourceIp: '출발지 IP',
    userAgent: '클라이언트',
    mfa: 'MFA',
    result: '결과',
    yes: '사용',
    no: '미사용',
    success: '성공',
    failure: '실패',
    events: (n: number) => `CloudTrail 이벤트 ${n}건`,
    more: (n: number) => `외 ${n}건은 CloudTrail 콘솔에서 확인하세요`,
    already: '이미 보고됨',
    digest: (n: number) => `이 세션의 이벤트 ${n}건 (지난 메시지 이후)`,
    following: (n: number) => `외 ${n}건은 다음 메시지에서 이어집니다`,
    session: '세션',
    failed: '실패',
    unverified: (mark: string) => `상태 사유에 ${mark} 표시가 있으나 검증되지 않았습니다`,
    gap: {
      'no-filter': '이 메트릭의 메트릭 필터를 찾지 못해 CloudTrail 이벤트를 조회하지 않았습니다',
      'access-denied':
        'CloudTrail 이벤트 조회 권한이 없습니다 (logs:DescribeMetricFilters, logs:FilterLogEvents)',
      throttled: 'CloudTrail 이벤트 조회가 제한(throttling)되었습니다. CloudTrail 콘솔에서 확인하세요',
      timeout: 'CloudTrail 이벤트 조회가 시간 안에 끝나지 않았습니다. CloudTrail 콘솔에서 확인하세요',
      error: 'CloudTrail 이벤트 조회에 실패했습니다. CloudTrail 콘솔에서 확인하세요',
      'no-events': '조회 구간에서 일치하는 CloudTrail 이벤트를 찾지 못했습니다',
    },
  },
  en: {
    reason: 'Reason',
    state: 'State',
    account: 'Account',
    region: 'Region',
    time: 'Time',
    snsTime: 'Time (SNS sent)',
    received: 'Time (received)',
    metric: 'Metric',
    condition: 'Condition',
    expressions: 'Expressions',
    rule: 'Rule',
    children: 'Triggered by',
    description: 'Description',
    note: 'Note',
    event: 'Event',
    who: 'Who',
    sourceIp: 'Source IP',
    userAgent: 'Client',
    mfa: 'MFA',
    result: 'Result',
    yes: 'used',
    no: 'not used',
    success: 'success',
    failure: 'failure',
    events: (n: number) => `${n} CloudTrail event${n === 1 ? '' : 's'}`,
    more: (n: number) => `${n} more in the CloudTrail console`,
    already: 'already reported',
    digest: (n: number) => `${n} event${n === 1 ? '' : 's'} of this session since its last message`,
    following: (n: number) => `${n} more follow in the next message`,
    session: 'Session',
    failed: 'failed',
    unverified: (mark: string) => `the state reason claims ${mark}, but the mark is not verified`,
    gap: {
      'no-filter': 'no metric filter found for this metric: CloudTrail events not looked up',
      'access-denied':
        'not allowed to look up CloudTrail events (logs:DescribeMetricFilters, logs:FilterLogEvents)',
      throttled: 'the CloudTrail event lookup was throttled: see the CloudTrail console',
      timeout: 'the CloudTrail event lookup did not finish in time: see the CloudTrail console',
      error: 'the CloudTrail event lookup failed: see the CloudTrail console',
      'no-events': 'no matching CloudTrail event found in the lookup window',
    },
  },
} as const;

const OPERATOR: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  LessThanLowerThreshold: '< band',
  GreaterThanUpperThreshold: '> band',
};

/**
 * Characters that may change how a value reads, all removed: C0/C1 controls but newline and tab; the line and
 * paragraph separators U+2028/U+2029 (renderers start a new line at them); zero-width characters (U+200B–U+200D,
 * U+2060–U+2064, U+FEFF, U+180E, soft hyphen U+00AD: they hide text or split a word that looks whole); and the
 * bidirectional controls U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 (they make text read backwards).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Removes the {@link UNSAFE} characters (keeping newline and tab), replaces lone surrogates and cuts `text` to
 * `max` characters with `…`, so that untrusted input cannot break the message. Markup is left alone: use
 * {@link plain} (through {@link oneLine}) on every value that comes from an event.
 */
export function clean(text: string, max: number = MAX_FIELD_TEXT): string {
  const stripped = wellFormed(text).replace(UNSAFE, '');
  return stripped.length > max ? `${stripped.slice(0, max - 1)}…` : stripped;
}

/**
 * Markup that a Dooray message may interpret, each replaced by a look-alike that no markdown reads as markup.
 * Dooray documents no markup for incoming-webhook messages (the incoming-hook guide,
 * https://docs.toast.com/ko/Dooray/Messenger/ko/incoming-hook-guide/, is silent); its command guide shows
 * mentions as markdown links with a `dooray://` target (`[@name](dooray://tenant/members/id "member")`,
 * https://github.com/TOAST-DOCS/Dooray-Messenger, `ko/integration_guide.md` of 2018), and senders post
 * markdown (`**bold**`, `[label](url)`, `* item`) that the room renders. As the subset is unknown and whether
 * backslash escapes are honoured is unknown too, values are defanged rather than escaped:
 * - `[` `]` → `［` `］`: no link, image, reference or mention badge can form;
 * - `<` `>` → `＜` `＞`: no autolink (`<https://…>`), HTML tag or quote;
 * - `` ` `` → `ˋ`: no code span or block;
 * - `*` `_` `~` → `∗` `＿` `∼`: no emphasis, strike-through or list bullet;
 * - `@` → `＠`: no `@`-mention and no e-mail autolink;
 * - `://` → `:⁄⁄` (U+2044) and `www.` → `www․` (U+2024): no bare URL is autolinked (`https://…`,
 *   `dooray://…`, `www.…`);
 * - `#` at the start of a line → `＃`: no heading.
 * Line breaks are handled by {@link oneLine}. The only links in our messages are the `titleLink`s we build.
 */
const MARKUP: Readonly<Record<string, string>> = {
  '[': '\uFF3B',
  ']': '\uFF3D',
  '<': '\uFF1C',
  '>': '\uFF1E',
  '`': '\u02CB',
  '*': '\u2217',
  _: '\uFF3F',
  '~': '\u223C',
  '@': '\uFF20',
};

/** Defangs the markup of {@link MARKUP} in `text` (one character for one: lengths are kept). */
export function plain(text: string): string {
  return text
    .replace(/[[\]<>`*_~@]/g, (c) => MARKUP[c] ?? c)
    .replace(/:\/\//g, ':\u2044\u2044')
    .replace(/\b(www)\./gi, '$1\u2024')
    .replace(/^(\s*)#/gm, '$1\uFF03');
}

/**
 * {@link clean} and {@link plain} for a value shown on one line: every line break becomes a space, so a value
 * cannot forge more lines, and markup is defanged, so it cannot forge a link, mention or emphasis.
 */
export function oneLine(text: string, max: number = MAX_FIELD_TEXT): string {
  return plain(clean(text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' '), max));
}

/**
 * The headline `text` of an alert: `{subject} 경보 발생하였습니다` etc. for alarms, marked when the alert is a
 * test; `{subject} 사용이 감지되었습니다` (`root 계정 사용이 감지되었습니다`) for fast-path events.
 */
export function headline(alert: Alert, locale: Locale): string {
  if (alert.kind === 'event')
    return organizationHeadline(alert, locale, EVENT_HEADLINE[locale](oneLine(alert.subject, 200)));
  const text = HEADLINE[locale][alert.state](oneLine(alert.subject, 200));
  if (alert.test === 'scheduled') return `${SELF_TEST_MARK[locale]} ${text}`;
  if (alert.test === 'manual') return `${TEST_MARK[locale]} ${text}`;
  return text;
}

/**
 * Renders an alert to a Dooray message. Alarms: the headline as `text` (exactly `root 계정 경보 발생하였습니다`
 * for the guide's test event), one attachment with the alarm name and state as title, the CloudWatch console
 * page as titleLink, the state's colour (ALARM `red`, OK `green`, INSUFFICIENT_DATA `yellow`) and the facts as
 * lines; with enrichment, one more attachment per CloudTrail event shown and one listing the events already
 * reported and the count of the rest. Fast-path events: `root 계정 사용이 감지되었습니다` and one red
 * attachment for the event, linked to it in the CloudTrail console.
 */
export function render(alert: Alert, options: RenderOptions): DoorayMessage {
  const attachments =
    alert.kind === 'alarm'
      ? alarmAttachments(alert, options)
      : alert.digest
        ? [digestAttachment(alert, alert.digest, options)]
        : [eventAttachment(alert.event, options, alert)];
  return {
    botName: options.botName,
    ...(options.botIconImage ? { botIconImage: options.botIconImage } : {}),
    text: headline(alert, options.locale),
    attachments,
  };
}

function alarmAttachments(alert: AlarmAlert, options: RenderOptions): DoorayAttachment[] {
  const L = LABELS[options.locale];
  const attachments: DoorayAttachment[] = [
    {
      title: `${oneLine(alert.alarmName, 280)} · ${stateLabel(alert, options.locale)}`,
      ...(alert.consoleUrl ? { titleLink: alert.consoleUrl } : {}),
      text: clean(factLines(alert, options).join('\n'), MAX_ATTACHMENT_TEXT),
      // An unverified test claim is shown as what it may be: a real alarm someone tried to pass off as a drill.
      color: alert.unverifiedTest ? 'red' : COLOR[alert.state],
    },
  ];
  if (alert.raw !== undefined) attachments.push(rawAttachment(alert.raw, options.locale));
  const e = alert.enrichment;
  if (e?.kind !== 'events') return attachments;
  for (const event of e.shown) {
    attachments.push(eventAttachment(event, options, undefined, alert.regionCode, alert.eventAccounts));
  }
  const summary: string[] = e.alreadyReported.map((event) => `${L.already}: ${eventOneLine(event, options)}`);
  if (e.more > 0) summary.push(L.more(e.more));
  if (summary.length > 0) {
    attachments.push({
      title: L.events(e.shown.length + e.alreadyReported.length + e.more),
      text: clean(summary.join('\n'), MAX_ATTACHMENT_TEXT),
    });
  }
  return attachments;
}

/**
 * A session digest (flood control): one line per held event (`time · eventName (eventSource) · result ·
 * eventID`, at most {@link MAX_DIGEST_LINE_TEXT} characters), the count of those that follow in the next message
 * and of those only counted, and the session (access key or source IP).
 */
function digestAttachment(
  alert: EventAlert,
  digest: NonNullable<EventAlert['digest']>,
  options: RenderOptions,
): DoorayAttachment {
  const L = LABELS[options.locale];
  let lines = digest.lines.map((line) =>
    oneLine(
      [
        line.eventTime === undefined ? undefined : formatTime(new Date(line.eventTime), options.timeZone),
        `${line.eventName} (${line.eventSource})`,
        line.failed ? L.failed : L.success,
        line.eventId,
      ]
        .filter((part) => part !== undefined)
        .join(' · '),
      MAX_DIGEST_LINE_TEXT,
    ),
  );
  // Whole lines only: drop from the end into the count of the rest until the text fits.
  let more = digest.more;
  while (lines.length > 0 && lines.join('\n').length > MAX_ATTACHMENT_TEXT - 300) {
    lines = lines.slice(0, -1);
    more++;
  }
  if (digest.following) lines.push(L.following(digest.following));
  if (more > 0) lines.push(L.more(more));
  const account = alert.event.accountId;
  lines.push(
    oneLine(
      `${L.session}: ${digest.session.split('|').slice(1).join('|')}${account ? ` · ${L.account}: ${alert.accountAlias ? `${account} (${alert.accountAlias})` : account}` : ''}`,
      400,
    ),
  );
  return {
    title: L.digest(digest.lines.length + (digest.following ?? 0) + digest.more),
    text: clean(lines.join('\n'), MAX_ATTACHMENT_TEXT),
    color: 'red',
  };
}

/** `2026-11-29 18:00:00 KST · ConsoleLogin (signin.amazonaws.com) · eventID`: an event in one line. */
function eventOneLine(event: CloudTrailEvent, options: RenderOptions): string {
  return oneLine(
    [
      event.eventTime ? formatTime(event.eventTime, options.timeZone) : undefined,
      `${event.eventName} (${event.eventSource})`,
      event.eventId,
    ]
      .filter((part) => part !== undefined)
      .join(' · '),
    400,
  );
}

/**
 * Shortens a user agent for a message: the browser and its version for browsers (`Firefox/62.0`), the first
 * product token for SDKs and CLIs (`aws-cli/2.15.0`), AWS console agents as they are; at most 60 characters.
 */
export function shortUserAgent(userAgent: string): string {
  if (/^Mozilla\//.test(userAgent)) {
    const browser = /\b(Edg|OPR|Firefox|Chrome|Version)\/[\d.]+/.exec(userAgent);
    const os = /\((Windows|Macintosh|X11|iPhone|iPad|Linux|Android)/.exec(userAgent)?.[1];
    if (browser) {
      const name = browser[0].startsWith('Version/') ? browser[0].replace('Version', 'Safari') : browser[0];
      return os ? `${name} (${os})` : name;
    }
  }
  const first = userAgent.startsWith('[') ? userAgent : (userAgent.split(' ')[0] ?? userAgent);
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

/**
 * One CloudTrail event as an attachment: `eventName · eventSource` as title, linked to the event in the
 * CloudTrail console; red when root used it without MFA or it failed, else yellow.
 */
function eventAttachment(
  event: CloudTrailEvent,
  options: RenderOptions,
  alert?: EventAlert,
  fallbackRegion?: string,
  accounts?: readonly AlertAccount[],
): DoorayAttachment {
  const region =
    alert?.regionCode ??
    (event.awsRegion && isRegionCode(event.awsRegion) ? event.awsRegion : fallbackRegion);
  return {
    title: `${oneLine(event.eventName, 140)} · ${oneLine(event.eventSource, 140)}`,
    // eventIDs are UUIDs; a longer one is not a real event's and makes no link.
    ...(event.eventId && event.eventId.length <= 128 && region
      ? { titleLink: eventConsoleUrl(region, event.eventId) }
      : {}),
    text: clean(
      eventLines(event, options, alert?.accountAlias, alert?.note, alert ?? accounts).join('\n'),
      MAX_ATTACHMENT_TEXT,
    ),
    color: 'red',
  };
}

function eventLines(
  event: CloudTrailEvent,
  options: RenderOptions,
  alias: string | undefined,
  note?: string,
  org?: EventAlert | readonly AlertAccount[],
): string[] {
  const L = LABELS[options.locale];
  const lines: string[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`${label}: ${oneLine(value)}`);
  };
  if (event.eventTime) {
    const utc = formatTime(event.eventTime, 'UTC');
    add(
      L.time,
      options.timeZone === 'UTC' ? utc : `${formatTime(event.eventTime, options.timeZone)} (${utc})`,
    );
  }
  add(L.event, `${event.eventName} (${event.eventSource})`);
  add(L.who, event.arn ?? event.identityType);
  const session = org && !Array.isArray(org) ? (org as EventAlert).privilegedSession : undefined;
  if (session) {
    for (const fact of privilegedSessionFacts(session, options.locale)) add(fact.label, fact.value);
  }
  const account = eventAccount(event.accountId, org);
  if (account) lines.push(...accountLines(account, alias, options.locale));
  else add(L.account, event.accountId && alias ? `${event.accountId} (${alias})` : event.accountId);
  // A privileged session's facts carry this event's source IP beside the AssumeRoot call's.
  if (!session) add(L.sourceIp, event.sourceIp);
  add(L.userAgent, event.userAgent === undefined ? undefined : shortUserAgent(event.userAgent));
  add(
    L.region,
    event.awsRegion && isRegionCode(event.awsRegion)
      ? `${regionNameFromCode(event.awsRegion) ?? event.awsRegion} (${event.awsRegion})`
      : event.awsRegion,
  );
  // A privileged root session's mfaAuthenticated says nothing of root MFA (src/alert/assume-root.ts): no line.
  if (event.mfaUsed !== undefined && !session) add(L.mfa, event.mfaUsed ? L.yes : L.no);
  add(
    L.result,
    !eventFailed(event)
      ? L.success
      : event.errorCode
        ? `${L.failure}: ${event.errorCode}${event.errorMessage ? ` (${oneLine(event.errorMessage, 200)})` : ''}`
        : `${L.failure}: ${event.signInResult ?? ''}`,
  );
  add('eventID', event.eventId);
  add(L.note, note);
  return lines;
}

function factLines(alert: AlarmAlert, options: RenderOptions): string[] {
  const L = LABELS[options.locale];
  const n = alert.notification;
  const lines: string[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`${label}: ${oneLine(value)}`);
  };
  // For values built here whose untrusted parts are already defanged (our own `[`, `>` stay).
  const addBuilt = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`${label}: ${clean(value.replace(/\s+/g, ' '))}`);
  };
  if (alert.unverifiedTest) {
    const mark = (alert.unverifiedTest === 'scheduled' ? SELF_TEST_MARK : TEST_MARK)[options.locale];
    addBuilt(L.note, L.unverified(mark));
  }
  add(L.reason, n.reason);
  add(
    L.state,
    n.stateAssumed
      ? DEGRADED_LABELS[options.locale].unknownState
      : n.oldState
        ? `${n.oldState} → ${n.newState}`
        : n.newState,
  );
  if (alert.account) lines.push(...accountLines(alert.account, alert.accountAlias, options.locale));
  else
    add(
      L.account,
      n.accountId && alert.accountAlias ? `${n.accountId} (${alert.accountAlias})` : n.accountId,
    );
  lines.push(...eventAccountLines(alert.eventAccounts, options.locale));
  add(L.region, regionText(alert));
  const timeLabel =
    alert.timeSource === 'state-change' ? L.time : alert.timeSource === 'sns' ? L.snsTime : L.received;
  const utc = formatTime(alert.time, 'UTC');
  add(timeLabel, options.timeZone === 'UTC' ? utc : `${formatTime(alert.time, options.timeZone)} (${utc})`);
  if (n.metric) {
    const dims = Object.entries(n.metric.dimensions)
      .map(([k, v]) => `${oneLine(k, 200)}=${oneLine(v, 200)}`)
      .join(', ');
    addBuilt(
      L.metric,
      `${oneLine(n.metric.namespace, 256)} / ${oneLine(n.metric.name, 256)}${dims ? ` [${dims}]` : ''}`,
    );
  }
  for (const e of n.expressions ?? [])
    add(L.expressions, `${e.id} = ${e.expression}${e.label ? ` (${e.label})` : ''}`);
  addBuilt(L.condition, conditionText(alert, options.locale));
  add(L.rule, n.alarmRule);
  if (n.triggeringChildren?.length) {
    add(L.children, n.triggeringChildren.map((arn) => arn.split(':alarm:')[1] ?? arn).join(', '));
  }
  add(L.description, n.description);
  add(L.note, alert.note);
  if (alert.enrichment?.kind === 'unavailable') add(L.note, L.gap[alert.enrichment.gap]);
  return lines;
}

function regionText(alert: AlarmAlert): string | undefined {
  const n = alert.notification;
  const code = alert.regionCode;
  const name = n.regionName ?? (code ? regionNameFromCode(code) : undefined);
  if (name && code) return `${name} (${code})`;
  return name ?? code;
}

function conditionText(alert: AlarmAlert, locale: Locale): string | undefined {
  const n = alert.notification;
  if (!n.comparisonOperator) return undefined;
  const op = OPERATOR[n.comparisonOperator] ?? oneLine(n.comparisonOperator, 100);
  const stat = n.metric?.statistic ? `${oneLine(n.metric.statistic, 100)} ` : '';
  const threshold = n.threshold === undefined ? '' : ` ${n.threshold}`;
  let window = '';
  if (n.periodSeconds !== undefined && n.evaluationPeriods !== undefined) {
    const m = n.datapointsToAlarm ?? n.evaluationPeriods;
    window =
      locale === 'ko'
        ? ` (${n.periodSeconds}초 × ${n.evaluationPeriods}${m !== n.evaluationPeriods ? `, ${m}개 이상` : ''})`
        : ` (${m} of ${n.evaluationPeriods} × ${n.periodSeconds} s)`;
  }
  return `${stat}${op}${threshold}${window}`;
}

// Degraded alerts: a message on the alarm path that could not be read in full is delivered anyway, as the
// guide's Lambda did (`{Subject or "unknown"} 경보 발생하였습니다`), with a note saying what could not be read
// (the alert's `note`, among the facts) and the text as received in an attachment of its own.

/** Longest text as received shown in a degraded alert, in characters (cut with `…`). */
export const MAX_RAW_TEXT = 1_500;

const DEGRADED_LABELS = {
  ko: {
    unknownState: '알 수 없음 (메시지에서 상태를 읽지 못해 ALARM으로 처리)',
    unknownTitle: '상태 알 수 없음',
    raw: '받은 메시지 원문 (경보 알림으로 읽지 못함)',
  },
  en: {
    unknownState: 'unknown (not readable in the message: treated as ALARM)',
    unknownTitle: 'state unknown',
    raw: 'Message as received (not readable as an alarm notification)',
  },
} as const;

/** The state in an alarm attachment's title: the state's label, or "state unknown" when it was assumed. */
function stateLabel(alert: AlarmAlert, locale: Locale): string {
  return alert.notification.stateAssumed
    ? DEGRADED_LABELS[locale].unknownTitle
    : STATE_LABEL[locale][alert.state];
}

/**
 * The text as received of a degraded alert, as one attachment: untrusted, so on one line with markup defanged
 * ({@link oneLine}) and cut to {@link MAX_RAW_TEXT} characters.
 */
function rawAttachment(raw: string, locale: Locale): DoorayAttachment {
  return {
    title: DEGRADED_LABELS[locale].raw,
    text: raw === '' ? '-' : oneLine(raw, MAX_RAW_TEXT),
  };
}

const ORG_LABELS = {
  ko: {
    account: '계정',
    ou: 'OU',
    root: '루트 바로 아래',
    state: '상태',
    eventAccounts: '이벤트 계정',
    note: '참고',
    gap: (steps: string) => `AWS Organizations에서 계정 정보를 다 가져오지 못했습니다 (${steps})`,
    steps: { account: '계정 이름', 'ou-path': 'OU 경로', alias: '별칭' } as Record<string, string>,
  },
  en: {
    account: 'Account',
    ou: 'OU',
    root: 'directly under the root',
    state: 'State',
    eventAccounts: 'Event accounts',
    note: 'Note',
    gap: (steps: string) => `account facts incomplete from AWS Organizations (${steps})`,
    steps: { account: 'account name', 'ou-path': 'OU path', alias: 'alias' } as Record<string, string>,
  },
} as const;

/**
 * The headline of a fast-path event, marked for organizations: `[최우선 긴급] 루트 자격 증명이 제거된 계정에서
 * root 사용 · …` when root acted in an account whose root credentials were removed (the most urgent alert),
 * `… (AssumeRoot 세션)` for a privileged root session.
 */
function organizationHeadline(alert: EventAlert, locale: Locale, text: string): string {
  const labels = ASSUME_ROOT_LABELS[locale];
  if (alert.removedCredentials) {
    return `[${labels.mostUrgent}] ${alert.removedCredentials.label[locale]} · ${text}`;
  }
  if (alert.privilegedSession) return `${text} (${labels.session})`;
  return text;
}

/** The looked-up account of an event: the alert's own, else the alarm's member account of that id. */
function eventAccount(
  accountId: string | undefined,
  org: EventAlert | readonly AlertAccount[] | undefined,
): AlertAccount | undefined {
  if (org === undefined || accountId === undefined) return undefined;
  if (!Array.isArray(org)) return (org as EventAlert).account;
  return (org as readonly AlertAccount[]).find((account) => account.id === accountId);
}

/** `이름 (222222222222) · OU: Workloads/Prod`: the account's name is untrusted text, defanged as one line. */
function accountValue(account: AlertAccount, alias: string | undefined, locale: Locale): string {
  const L = ORG_LABELS[locale];
  const id = alias ? `${account.id}, ${alias}` : account.id;
  const parts = [account.name ? `${account.name} (${id})` : alias ? `${account.id} (${alias})` : account.id];
  if (account.ouPath) parts.push(`${L.ou}: ${account.ouPath.length > 0 ? account.ouPath.join('/') : L.root}`);
  if (account.status && account.status !== 'ACTIVE') parts.push(`${L.state}: ${account.status}`);
  return oneLine(parts.join(' · '), 400);
}

/** The account line of a message from AWS Organizations, and a note when a lookup failed. */
function accountLines(account: AlertAccount, alias: string | undefined, locale: Locale): string[] {
  const L = ORG_LABELS[locale];
  const lines = [`${L.account}: ${accountValue(account, alias, locale)}`];
  if (account.gap?.length) {
    const steps = account.gap.map((g) => `${L.steps[g.step] ?? g.step}: ${g.reason}`).join(', ');
    lines.push(`${L.note}: ${oneLine(L.gap(steps), 400)}`);
  }
  return lines;
}

/** One line per member account the alarm's events came from (an organization trail). */
function eventAccountLines(accounts: readonly AlertAccount[] | undefined, locale: Locale): string[] {
  if (!accounts?.length) return [];
  const L = ORG_LABELS[locale];
  return accounts.map((account) => `${L.eventAccounts}: ${accountValue(account, undefined, locale)}`);
}
