import { describe, expect, it } from 'vitest';
import {
  MAX_RUNBOOK_TEXT,
  RUNBOOK_PAGES,
  RunbookConfigError,
  cloudTrailEventHistoryUrl,
  insightsString,
  logsInsightsUrl,
  parseRunbookText,
  runbookAttachment,
  sessionEventsLink,
  sessionEventsLinks,
  sessionQuery,
  sessionWindow,
  type SessionRef,
} from '../src/alert/runbook.js';
import { checkDoorayMessage } from '../src/dooray/receiver.js';

const from = new Date('2026-11-29T08:00:00Z');
const to = new Date('2026-11-29T09:15:00Z');
const session: SessionRef = {
  region: 'us-east-1',
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  userName: 'root',
  accountId: '111122223333',
  from,
  to,
};

/** The fragment's query of an event-history link, parsed as the console's router would. */
function fragmentParams(url: string): URLSearchParams {
  const hash = new URL(url).hash;
  expect(hash.startsWith('#/events?')).toBe(true);
  return new URLSearchParams(hash.slice('#/events?'.length));
}

/** Decodes one `insightsString` back (`*xx` → byte). */
function insightsDecode(value: string): string {
  return decodeURIComponent(value.replace(/\*([0-9a-f]{2})/g, '%$1'));
}

describe('CloudTrail event history link', () => {
  it('filters by access key id and the time window in the event Region', () => {
    const url = cloudTrailEventHistoryUrl(session)!;
    expect(url).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events?' +
        'StartTime=2026-11-29T08%3A00%3A00.000Z&EndTime=2026-11-29T09%3A15%3A00.000Z&AccessKeyId=ASIAEXAMPLEKEY000001',
    );
    expect(Object.fromEntries(fragmentParams(url))).toEqual({
      StartTime: '2026-11-29T08:00:00.000Z',
      EndTime: '2026-11-29T09:15:00.000Z',
      AccessKeyId: 'ASIAEXAMPLEKEY000001',
    });
  });

  it('falls back to the user name, one lookup attribute only', () => {
    const params = fragmentParams(cloudTrailEventHistoryUrl({ ...session, accessKeyId: undefined })!);
    expect([...params.keys()]).toEqual(['StartTime', 'EndTime', 'Username']);
    expect(params.get('Username')).toBe('root');
  });

  it('keeps hostile values inside their encoded parameter', () => {
    const hostile = 'root&EventName=DeleteTrail#/events/evil?x=1 %41\u202e';
    const url = cloudTrailEventHistoryUrl({ ...session, accessKeyId: undefined, userName: hostile })!;
    expect(url.split('#')).toHaveLength(2); // no second fragment
    const params = fragmentParams(url);
    expect([...params.keys()]).toEqual(['StartTime', 'EndTime', 'Username']);
    expect(params.get('Username')).toBe(hostile);
    const key = cloudTrailEventHistoryUrl({ ...session, accessKeyId: 'AKIA&Username=admin' })!;
    expect(Object.fromEntries(fragmentParams(key))).toMatchObject({ AccessKeyId: 'AKIA&Username=admin' });
    expect([...fragmentParams(key).keys()]).toEqual(['StartTime', 'EndTime', 'AccessKeyId']);
  });

  it('uses the partition console host and refuses a malformed Region or time', () => {
    expect(cloudTrailEventHistoryUrl({ ...session, region: 'cn-north-1' })).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\/cloudtrailv2\/home\?region=cn-north-1#/,
    );
    expect(cloudTrailEventHistoryUrl({ ...session, region: 'evil.example.com/x' })).toBeUndefined();
    expect(cloudTrailEventHistoryUrl({ ...session, from: new Date('nope') })).toBeUndefined();
  });
});

describe('Logs Insights link', () => {
  const logGroup = { region: 'ap-northeast-2', names: ['aws-cloudtrail-logs-111122223333'] };

  it('runs the session query over the log group for the absolute window', () => {
    const url = logsInsightsUrl(session, logGroup)!;
    const prefix =
      'https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#logsV2:logs-insights$3FqueryDetail$3D';
    expect(url.startsWith(prefix)).toBe(true);
    const detail = url.slice(prefix.length);
    expect(detail).toMatch(
      /^~\(end~'2026-11-29T09\*3a15\*3a00\.000Z~start~'2026-11-29T08\*3a00\*3a00\.000Z~timeType~'ABSOLUTE~tz~'UTC~editorString~'[^~'()]+~source~\(~'aws-cloudtrail-logs-111122223333\)\)$/,
    );
    const editor = /editorString~'([^~]+)~/.exec(detail)![1]!;
    expect(insightsDecode(editor)).toBe(sessionQuery(session));
    expect(sessionQuery(session)).toContain(
      'filter userIdentity.accessKeyId = "ASIAEXAMPLEKEY000001" and recipientAccountId = "111122223333"',
    );
    // Only URL-safe characters: nothing a browser or chat client would re-encode or cut.
    expect(url).toMatch(/^[A-Za-z0-9_.~'()*$:/?#=-]+$/);
  });

  it('leaves malformed values out of the query and encodes log group names', () => {
    const hostile = { ...session, accessKeyId: 'X" or 1=1 | limit 1', accountId: '1234"' };
    expect(sessionQuery(hostile)).toContain('| filter userIdentity.type = "Root"\n');
    expect(sessionQuery(hostile)).not.toContain('1=1');
    const url = logsInsightsUrl(hostile, { region: 'us-east-1', names: ["/x~'(evil)~source~(~'other)"] })!;
    const source = /~source~\((.*)\)\)$/.exec(url)![1]!;
    expect(source.startsWith("~'")).toBe(true);
    expect(source.slice(2)).not.toMatch(/[~'()]/);
    expect(insightsDecode(source.slice(2))).toBe("/x~'(evil)~source~(~'other)");
  });

  it('insightsString leaves no separator or percent sign, and round-trips UTF-8', () => {
    for (const value of ["a~b'c(d)e*f!g%h", '보안 긴급 🚨', 'line\nbreak']) {
      const encoded = insightsString(value);
      expect(encoded).toMatch(/^[A-Za-z0-9_.\-*]*$/);
      expect(insightsDecode(encoded)).toBe(value);
    }
  });

  it('prefers Logs Insights when the log group is known, else event history', () => {
    expect(sessionEventsLinks(session, logGroup).map((l) => l.kind)).toEqual([
      'logs-insights',
      'event-history',
    ]);
    expect(sessionEventsLink(session, logGroup)?.kind).toBe('logs-insights');
    expect(sessionEventsLink(session)?.kind).toBe('event-history');
    expect(sessionEventsLinks({ ...session, region: 'bad' }, { region: 'bad', names: ['x'] })).toEqual([]);
  });
});

describe('sessionWindow', () => {
  const t = new Date('2026-11-29T09:00:00Z');
  it('starts at the session start when plausible, else one hour before; ends 15 minutes after', () => {
    expect(sessionWindow(t, new Date('2026-11-29T08:40:00Z'))).toEqual({
      from: new Date('2026-11-29T08:40:00Z'),
      to: new Date('2026-11-29T09:15:00Z'),
    });
    expect(sessionWindow(t).from).toEqual(new Date('2026-11-29T08:00:00Z'));
    expect(sessionWindow(t, new Date('2026-11-29T10:00:00Z')).from).toEqual(new Date('2026-11-29T08:00:00Z'));
    expect(sessionWindow(t, new Date('2026-11-20T00:00:00Z')).from).toEqual(new Date('2026-11-29T08:00:00Z'));
  });
});

describe('runbook attachment', () => {
  it('Korean: owner check, session events, root lock-down with the AWS pages, then the links', () => {
    const links = sessionEventsLinks(session);
    const a = runbookAttachment('ko', { links });
    expect(a.title).toBe('지금 할 일');
    expect(a.color).toBe('red');
    const text = a.text!;
    expect(text).toContain('계정 소유자에게 본인 작업인지');
    for (const url of Object.values(RUNBOOK_PAGES)) expect(text).toContain(url);
    expect(text.split('\n').at(-1)).toBe(`세션 이벤트 (CloudTrail 이벤트 기록): ${links[0]!.url}`);
    expect(checkDoorayMessage({ botName: 'AlarmBot', text: 'x', attachments: [a] })).toEqual([]);
  });

  it('English variant', () => {
    const text = runbookAttachment('en').text!;
    expect(text).toContain('Confirm with the account owner');
    expect(text).toContain(RUNBOOK_PAGES.rootAccessKeys);
  });

  it('an override replaces the steps; the session links stay', () => {
    const override = parseRunbookText(
      '1. 보안팀(내선 1234)에 전화하세요.\r\n2. 위키의 root 절차를 따르세요.',
    )!;
    const a = runbookAttachment('ko', { override, links: sessionEventsLinks(session) });
    expect(a.text!.split('\n')).toEqual([
      '1. 보안팀(내선 1234)에 전화하세요.',
      '2. 위키의 root 절차를 따르세요.',
      expect.stringMatching(/^세션 이벤트 \(CloudTrail 이벤트 기록\): https:/),
    ]);
  });

  it('parseRunbookText: blank is none; too long or control characters are refused', () => {
    expect(parseRunbookText(undefined)).toBeUndefined();
    expect(parseRunbookText('  \n')).toBeUndefined();
    expect(() => parseRunbookText('x'.repeat(MAX_RUNBOOK_TEXT + 1))).toThrow(RunbookConfigError);
    expect(() => parseRunbookText('a\u0007b')).toThrow('RUNBOOK_TEXT holds control characters');
  });
});
