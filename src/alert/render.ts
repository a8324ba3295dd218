import { SELF_TEST_MARK, TEST_MARK } from '../defaults.js';
import type { AlarmState } from '../events/index.js';
import type { DoorayAttachment, DoorayMessage } from '../dooray/message.js';
import { wellFormed, type Alert, type Locale } from './alert.js';
import { regionNameFromCode } from '../events/regions.js';
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
 * Removes control characters (keeping newline and tab), replaces lone surrogates and cuts `text` to `max`
 * characters with `…`, so that untrusted input cannot break the message.
 */
export function clean(text: string, max: number = MAX_FIELD_TEXT): string {
  // eslint-disable-next-line no-control-regex
  const stripped = wellFormed(text).replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
  return stripped.length > max ? `${stripped.slice(0, max - 1)}…` : stripped;
}

/** The headline `text` of an alert: `{subject} 경보 발생하였습니다` etc., marked when the alert is a test. */
export function headline(alert: Alert, locale: Locale): string {
  const text = HEADLINE[locale][alert.state](clean(alert.subject, 200));
  if (alert.test === 'scheduled') return `${SELF_TEST_MARK[locale]} ${text}`;
  if (alert.test === 'manual') return `${TEST_MARK[locale]} ${text}`;
  return text;
}

/**
 * Renders an alert to a Dooray message: the headline as `text` (exactly `root 계정 경보 발생하였습니다` for the
 * guide's test event), and one attachment with the alarm name and state as title, the CloudWatch console page
 * as titleLink, the state's colour (ALARM `red`, OK `green`, INSUFFICIENT_DATA `yellow`) and the facts as lines.
 */
export function render(alert: Alert, options: RenderOptions): DoorayMessage {
  const attachment: DoorayAttachment = {
    title: clean(`${alert.alarmName} · ${STATE_LABEL[options.locale][alert.state]}`, 300),
    ...(alert.consoleUrl ? { titleLink: alert.consoleUrl } : {}),
    text: clean(factLines(alert, options).join('\n'), MAX_ATTACHMENT_TEXT),
    color: COLOR[alert.state],
  };
  return {
    botName: options.botName,
    ...(options.botIconImage ? { botIconImage: options.botIconImage } : {}),
    text: headline(alert, options.locale),
    attachments: [attachment],
  };
}

function factLines(alert: Alert, options: RenderOptions): string[] {
  const L = LABELS[options.locale];
  const n = alert.notification;
  const lines: string[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`${label}: ${clean(value)}`);
  };
  add(L.reason, n.reason);
  add(L.state, n.oldState ? `${n.oldState} → ${n.newState}` : n.newState);
  add(L.account, n.accountId);
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
  return lines;
}

function regionText(alert: Alert): string | undefined {
  const n = alert.notification;
  const code = alert.regionCode;
  const name = n.regionName ?? (code ? regionNameFromCode(code) : undefined);
  if (name && code) return `${name} (${code})`;
  return name ?? code;
}

function conditionText(alert: Alert, locale: Locale): string | undefined {
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
