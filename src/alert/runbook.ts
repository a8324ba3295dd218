/**
 * "What to do now" for critical alerts: a short runbook (Korean, or English) with the AWS pages to act on, and a
 * link to the session's events (CloudTrail event history, or a CloudWatch Logs Insights query over the trail's
 * log group). The runbook text is configurable (`RUNBOOK_TEXT`); the session links are built here from our own
 * values, every parameter encoded, so untrusted CloudTrail fields cannot add or change a parameter.
 */

import type { DoorayAttachment } from '../dooray/message.js';
import { consoleOrigin, isRegionCode } from '../events/regions.js';
import type { SeverityLocale } from './severity.js';

/** AWS pages the runbook points to (IAM User Guide, CloudTrail User Guide). */
export const RUNBOOK_PAGES = {
  /** Working with CloudTrail event history. */
  eventHistory: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html',
  /** Change the password for the AWS account root user. */
  rootPassword: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-password.html',
  /** Delete access keys for the root user. */
  rootAccessKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html',
  /** Multi-factor authentication for the AWS account root user. */
  rootMfa: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
  /** Centralize root access for member accounts (AWS Organizations). */
  centralizedRoot: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html',
} as const;

/** Env variable whose text replaces the built-in runbook steps (the session links are still added). */
export const RUNBOOK_TEXT_ENV = 'RUNBOOK_TEXT';
/** Longest runbook override, in characters (the attachment must stay well under Dooray's message size). */
export const MAX_RUNBOOK_TEXT = 1_500;

const STEPS: Readonly<Record<SeverityLocale, readonly string[]>> = {
  ko: [
    '1. 계정 소유자에게 본인 작업인지 바로 확인하세요. 아니라면 침해로 보고 아래를 진행하세요.',
    `2. 이 세션의 이벤트를 확인하세요 (누가, 어디서, 무엇을). CloudTrail 이벤트 기록 보는 법: ${RUNBOOK_PAGES.eventHistory}`,
    '3. root를 잠그세요:',
    `  - root 암호 변경: ${RUNBOOK_PAGES.rootPassword}`,
    `  - root 액세스 키 삭제: ${RUNBOOK_PAGES.rootAccessKeys}`,
    `  - root MFA 확인·활성화: ${RUNBOOK_PAGES.rootMfa}`,
    `  - 조직 계정이면 root 액세스 중앙 관리 검토: ${RUNBOOK_PAGES.centralizedRoot}`,
  ],
  en: [
    '1. Confirm with the account owner right away that this was them. If not, treat it as a compromise and go on.',
    `2. Look at this session's events (who, from where, what). How to use CloudTrail event history: ${RUNBOOK_PAGES.eventHistory}`,
    '3. Lock root down:',
    `  - change the root password: ${RUNBOOK_PAGES.rootPassword}`,
    `  - delete root access keys: ${RUNBOOK_PAGES.rootAccessKeys}`,
    `  - check or enable root MFA: ${RUNBOOK_PAGES.rootMfa}`,
    `  - in an organization, consider centralized root access: ${RUNBOOK_PAGES.centralizedRoot}`,
  ],
};

const TITLE: Readonly<Record<SeverityLocale, string>> = { ko: '지금 할 일', en: 'What to do now' };

/** A link to the session's events, built by {@link cloudTrailEventHistoryUrl} or {@link logsInsightsUrl}. */
export interface SessionLink {
  kind: 'event-history' | 'logs-insights';
  url: string;
}

const LINK_LABEL: Readonly<Record<SeverityLocale, Record<SessionLink['kind'], string>>> = {
  ko: {
    'event-history': '세션 이벤트 (CloudTrail 이벤트 기록)',
    'logs-insights': '세션 이벤트 (Logs Insights 쿼리)',
  },
  en: {
    'event-history': 'Session events (CloudTrail event history)',
    'logs-insights': 'Session events (Logs Insights query)',
  },
};

/** `RUNBOOK_TEXT` is not valid; the message names the variable. */
export class RunbookConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunbookConfigError';
  }
}

/**
 * Reads the runbook override (`RUNBOOK_TEXT`): plain text (lines separated by `\n`), at most
 * {@link MAX_RUNBOOK_TEXT} characters. Blank or absent: undefined (the built-in steps). Throws
 * {@link RunbookConfigError} when too long or holding control characters other than newline and tab.
 */
export function parseRunbookText(text: string | undefined, source = RUNBOOK_TEXT_ENV): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const normalized = text.replace(/\r\n?/g, '\n').trim();
  if (normalized.length > MAX_RUNBOOK_TEXT) {
    throw new RunbookConfigError(`${source} is longer than ${MAX_RUNBOOK_TEXT} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(normalized)) {
    throw new RunbookConfigError(`${source} holds control characters`);
  }
  return normalized;
}

/**
 * The runbook as one Dooray attachment (for critical alerts only; the renderer decides): title `지금 할 일` /
 * `What to do now`, the built-in steps or `override`, then one line per session link. Colour `red`, as the
 * critical severity (`src/alert/severity.ts`).
 */
export function runbookAttachment(
  locale: SeverityLocale,
  options: { links?: readonly SessionLink[]; override?: string } = {},
): DoorayAttachment {
  const lines = options.override !== undefined ? options.override.split('\n') : [...STEPS[locale]];
  for (const link of options.links ?? []) lines.push(`${LINK_LABEL[locale][link.kind]}: ${link.url}`);
  return { title: TITLE[locale], text: lines.join('\n'), color: 'red' };
}

/** The session whose events to show: where and when, and who (an access key id or a user name). */
export interface SessionRef {
  /** Region whose event history to open: the event's `awsRegion` (`us-east-1` for sign-ins and IAM). */
  region: string;
  /** `userIdentity.accessKeyId` (console sessions use temporary `ASIA…` keys): the best session filter. */
  accessKeyId?: string;
  /** CloudTrail's user name for the lookup (`root` for the root user; an IAM user's name). */
  userName?: string;
  /** The account (`userIdentity.accountId`); narrows the Logs Insights query of an organization trail. */
  accountId?: string;
  /** Start and end of the time window. */
  from: Date;
  to: Date;
}

/** Default window around an event: from the session start (or one hour before) to 15 minutes after. */
export function sessionWindow(
  eventTime: Date,
  sessionStart?: Date,
  options: { beforeMs?: number; afterMs?: number } = {},
): { from: Date; to: Date } {
  const before = options.beforeMs ?? 3_600_000;
  const after = options.afterMs ?? 900_000;
  const start =
    sessionStart &&
    sessionStart.getTime() <= eventTime.getTime() &&
    eventTime.getTime() - sessionStart.getTime() <= 12 * 3_600_000
      ? sessionStart
      : new Date(eventTime.getTime() - before);
  return { from: start, to: new Date(eventTime.getTime() + after) };
}

const validDate = (d: Date): boolean => Number.isFinite(d.getTime());

/**
 * The CloudTrail console's event history, filtered to the session and the time window:
 * `https://<region>.console.aws.amazon.com/cloudtrailv2/home?region=<region>#/events?StartTime=<ISO>&EndTime=<ISO>&AccessKeyId=<id>`
 * (or `&Username=<name>` when there is no access key id). The filter names are the LookupEvents attribute keys,
 * and the console takes one at a time, as the API does (AWS CloudTrail API Reference, LookupAttribute:
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupAttribute.html). AWS does not document
 * the console's address format; this is the form the console itself shows in its address bar for a filtered
 * event history, also used in AWS support replies. Every value is encoded with `encodeURIComponent`, so `&`, `=`
 * and `#` in a value stay inside it. Returns undefined for a malformed Region or window.
 */
export function cloudTrailEventHistoryUrl(session: SessionRef): string | undefined {
  if (!isRegionCode(session.region) || !validDate(session.from) || !validDate(session.to)) return undefined;
  const params: [string, string][] = [
    ['StartTime', session.from.toISOString()],
    ['EndTime', session.to.toISOString()],
  ];
  if (session.accessKeyId) params.push(['AccessKeyId', session.accessKeyId]);
  else if (session.userName) params.push(['Username', session.userName]);
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${consoleOrigin(session.region)}/cloudtrailv2/home?region=${session.region}#/events?${query}`;
}

/**
 * Encodes a string for the Logs Insights console's `queryDetail` (a JSURL-like notation: `~` separates, `'`
 * starts a string, `(`/`)` group): the value is percent-encoded as by `encodeURIComponent`, also `'()*!~`, then
 * every `%` becomes `*` (`:` → `*3a`, space → `*20`; UTF-8 bytes one by one). No `~ ' ( ) %` is left, so a value
 * cannot end its string or add a field.
 */
export function insightsString(value: string): string {
  return encodeURIComponent(value)
    .replace(/['()*!~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%([0-9A-F]{2})/g, (_, hex: string) => `*${hex.toLowerCase()}`);
}

const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * The Logs Insights query for a session: the events of the access key id when it is well formed, else the root
 * user's events (of the account when known), oldest first. Only values that pass strict patterns go into the
 * query text (access key ids `[A-Z0-9]{16,128}`, account ids of 12 digits); others are left out.
 */
export function sessionQuery(session: Pick<SessionRef, 'accessKeyId' | 'accountId'>): string {
  const filters: string[] = [];
  if (session.accessKeyId && ACCESS_KEY_ID.test(session.accessKeyId)) {
    filters.push(`userIdentity.accessKeyId = "${session.accessKeyId}"`);
  } else filters.push('userIdentity.type = "Root"');
  if (session.accountId && ACCOUNT_ID.test(session.accountId)) {
    filters.push(`recipientAccountId = "${session.accountId}"`);
  }
  return [
    'fields @timestamp, eventSource, eventName, awsRegion, sourceIPAddress, errorCode, userAgent',
    `| filter ${filters.join(' and ')}`,
    '| sort @timestamp asc',
    '| limit 1000',
  ].join('\n');
}

/**
 * A CloudWatch Logs Insights console link that runs {@link sessionQuery} over the trail's log group(s) for the
 * time window: `https://<region>.console.aws.amazon.com/cloudwatch/home?region=<region>#logsV2:logs-insights$3FqueryDetail$3D~(end~'<ISO>~start~'<ISO>~timeType~'ABSOLUTE~tz~'UTC~editorString~'<query>~source~(~'<log group>))`.
 * AWS does not document this format either; it is what the console writes for a query (the `?` and `=` of the
 * inner route as `$3F`, `$3D`), and what well-known integrations such as Grafana's CloudWatch data source build.
 * Each string goes through {@link insightsString}. `region` is the log group's Region (where the trail
 * delivers). Returns undefined for a malformed Region or window, or no log group.
 * Logs Insights: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AnalyzingLogData.html
 */
export function logsInsightsUrl(
  session: Omit<SessionRef, 'region'>,
  logGroup: { region: string; names: readonly string[] },
): string | undefined {
  if (!isRegionCode(logGroup.region) || logGroup.names.length === 0) return undefined;
  if (!validDate(session.from) || !validDate(session.to)) return undefined;
  const detail =
    `~(end~'${insightsString(session.to.toISOString())}` +
    `~start~'${insightsString(session.from.toISOString())}` +
    `~timeType~'ABSOLUTE~tz~'UTC` +
    `~editorString~'${insightsString(sessionQuery(session))}` +
    `~source~(${logGroup.names.map((n) => `~'${insightsString(n)}`).join('')}))`;
  return `${consoleOrigin(logGroup.region)}/cloudwatch/home?region=${logGroup.region}#logsV2:logs-insights$3FqueryDetail$3D${detail}`;
}

/**
 * The links to a session's events: a Logs Insights query when the trail's log group is known (it covers every
 * Region of a multi-Region trail), then the event history of the event's Region (free, no log group needed,
 * but one Region and one filter). Either may be missing when its inputs are malformed; the list may be empty.
 */
export function sessionEventsLinks(
  session: SessionRef,
  logGroup?: { region: string; names: readonly string[] },
): SessionLink[] {
  const links: SessionLink[] = [];
  const insights = logGroup ? logsInsightsUrl(session, logGroup) : undefined;
  if (insights) links.push({ kind: 'logs-insights', url: insights });
  const history = cloudTrailEventHistoryUrl(session);
  if (history) links.push({ kind: 'event-history', url: history });
  return links;
}

/** The preferred single link of {@link sessionEventsLinks} (Logs Insights when possible), or undefined. */
export function sessionEventsLink(
  session: SessionRef,
  logGroup?: { region: string; names: readonly string[] },
): SessionLink | undefined {
  return sessionEventsLinks(session, logGroup)[0];
}
