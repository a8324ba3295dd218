import { SELF_TEST_MARK, TEST_MARK } from '../defaults.js';
import { eventFailed, type AlarmState, type CloudTrailEvent } from '../events/index.js';
import type { DoorayAttachment, DoorayMessage } from '../dooray/message.js';
import {
  eventConsoleUrl,
  wellFormed,
  type AlarmAlert,
  type Alert,
  type EventAlert,
  type Locale,
} from './alert.js';
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

/** Control characters (but newline and tab) and bidirectional-override characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Removes control characters (keeping newline and tab) and bidirectional overrides (U+202A–U+202E,
 * U+2066–U+2069, which could make text read backwards), replaces lone surrogates and cuts `text` to `max`
 * characters with `…`, so that untrusted input cannot break the message.
 */
export function clean(text: string, max: number = MAX_FIELD_TEXT): string {
  const stripped = wellFormed(text).replace(UNSAFE, '');
  return stripped.length > max ? `${stripped.slice(0, max - 1)}…` : stripped;
}

/** {@link clean} for a value shown on one line: newlines become spaces, so a value cannot forge more lines. */
export function oneLine(text: string, max: number = MAX_FIELD_TEXT): string {
  return clean(text.replace(/[\r\n]+/g, ' '), max);
}

/**
 * The headline `text` of an alert: `{subject} 경보 발생하였습니다` etc. for alarms, marked when the alert is a
 * test; `{subject} 사용이 감지되었습니다` (`root 계정 사용이 감지되었습니다`) for fast-path events.
 */
export function headline(alert: Alert, locale: Locale): string {
  if (alert.kind === 'event') return EVENT_HEADLINE[locale](clean(alert.subject, 200));
  const text = HEADLINE[locale][alert.state](clean(alert.subject, 200));
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
      title: clean(`${alert.alarmName} · ${STATE_LABEL[options.locale][alert.state]}`, 300),
      ...(alert.consoleUrl ? { titleLink: alert.consoleUrl } : {}),
      text: clean(factLines(alert, options).join('\n'), MAX_ATTACHMENT_TEXT),
      color: COLOR[alert.state],
    },
  ];
  const e = alert.enrichment;
  if (e?.kind !== 'events') return attachments;
  for (const event of e.shown) attachments.push(eventAttachment(event, options, undefined, alert.regionCode));
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
    `${L.session}: ${digest.session.split('|').slice(1).join('|')}${account ? ` · ${L.account}: ${alert.accountAlias ? `${account} (${alert.accountAlias})` : account}` : ''}`,
  );
  return {
    title: L.digest(digest.lines.length + (digest.following ?? 0) + digest.more),
    text: clean(lines.join('\n'), MAX_ATTACHMENT_TEXT),
    color: 'red',
  };
}

/** `2026-11-29 18:00:00 KST · ConsoleLogin (signin.amazonaws.com) · eventID`: an event in one line. */
function eventOneLine(event: CloudTrailEvent, options: RenderOptions): string {
  return [
    event.eventTime ? formatTime(event.eventTime, options.timeZone) : undefined,
    `${event.eventName} (${event.eventSource})`,
    event.eventId,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
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
): DoorayAttachment {
  const region =
    alert?.regionCode ??
    (event.awsRegion && isRegionCode(event.awsRegion) ? event.awsRegion : fallbackRegion);
  return {
    title: clean(`${event.eventName} · ${event.eventSource}`, 300),
    // eventIDs are UUIDs; a longer one is not a real event's and makes no link.
    ...(event.eventId && event.eventId.length <= 128 && region
      ? { titleLink: eventConsoleUrl(region, event.eventId) }
      : {}),
    text: clean(eventLines(event, options, alert?.accountAlias).join('\n'), MAX_ATTACHMENT_TEXT),
    color: 'red',
  };
}

function eventLines(event: CloudTrailEvent, options: RenderOptions, alias: string | undefined): string[] {
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
  add(L.account, event.accountId && alias ? `${event.accountId} (${alias})` : event.accountId);
  add(L.sourceIp, event.sourceIp);
  add(L.userAgent, event.userAgent === undefined ? undefined : shortUserAgent(event.userAgent));
  add(
    L.region,
    event.awsRegion && isRegionCode(event.awsRegion)
      ? `${regionNameFromCode(event.awsRegion) ?? event.awsRegion} (${event.awsRegion})`
      : event.awsRegion,
  );
  if (event.mfaUsed !== undefined) add(L.mfa, event.mfaUsed ? L.yes : L.no);
  add(
    L.result,
    !eventFailed(event)
      ? L.success
      : event.errorCode
        ? `${L.failure}: ${event.errorCode}${event.errorMessage ? ` (${clean(event.errorMessage, 200)})` : ''}`
        : `${L.failure}: ${event.signInResult ?? ''}`,
  );
  add('eventID', event.eventId);
  return lines;
}

function factLines(alert: AlarmAlert, options: RenderOptions): string[] {
  const L = LABELS[options.locale];
  const n = alert.notification;
  const lines: string[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`${label}: ${oneLine(value)}`);
  };
  add(L.reason, n.reason);
  add(L.state, n.oldState ? `${n.oldState} → ${n.newState}` : n.newState);
  add(L.account, n.accountId && alert.accountAlias ? `${n.accountId} (${alert.accountAlias})` : n.accountId);
  add(L.region, regionText(alert));
  const timeLabel =
    alert.timeSource === 'state-change' ? L.time : alert.timeSource === 'sns' ? L.snsTime : L.received;
  const utc = formatTime(alert.time, 'UTC');
  add(timeLabel, options.timeZone === 'UTC' ? utc : `${formatTime(alert.time, options.timeZone)} (${utc})`);
  if (n.metric) {
    const dims = Object.entries(n.metric.dimensions)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    add(L.metric, `${n.metric.namespace} / ${n.metric.name}${dims ? ` [${dims}]` : ''}`);
  }
  for (const e of n.expressions ?? [])
    add(L.expressions, `${e.id} = ${e.expression}${e.label ? ` (${e.label})` : ''}`);
  add(L.condition, conditionText(alert, options.locale));
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
  const op = OPERATOR[n.comparisonOperator] ?? n.comparisonOperator;
  const stat = n.metric?.statistic ? `${n.metric.statistic} ` : '';
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
