import { describe, expect, it } from 'vitest';
import { toAlert, type AlarmAlert, type AlertOptions } from '../src/alert/alert.js';
import { regionCodeFromArn, regionCodeFromName } from '../src/events/regions.js';
import { clean, oneLine, render, type RenderOptions } from '../src/alert/render.js';
import { formatTime } from '../src/alert/time.js';
import { signTestMark } from '../src/alert/test-mark.js';
import { parseLambdaEvent } from '../src/events/index.js';
import { readFixture } from './helpers/samples.js';

const now = new Date('2026-11-29T03:00:00Z');
const options: AlertOptions = { notifyStates: ['ALARM', 'OK'], subjectMap: {}, locale: 'ko', now };
const ko: RenderOptions = { locale: 'ko', timeZone: 'Asia/Seoul', botName: 'AlarmBot' };

function alertOf(event: unknown, opts: Partial<AlertOptions> = {}): AlarmAlert {
  const [input] = parseLambdaEvent(event);
  const result = toAlert(input!, { ...options, ...opts });
  if (result.kind !== 'alarm')
    throw new Error(result.kind === 'skip' ? `skipped: ${result.reason}` : 'not an alarm');
  return result;
}

describe('toAlert and render', () => {
  it("renders the guide's test event exactly as the guide: text 'root 계정 경보 발생하였습니다'", () => {
    const message = render(alertOf(readFixture('sns/guide-test-event.json')), ko);
    expect(message.text).toBe('root 계정 경보 발생하였습니다');
    expect(message.botName).toBe('AlarmBot');
    expect(message).not.toHaveProperty('botIconImage');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments?.[0]).toMatchObject({ title: 'root-alert · ALARM (경보)', color: 'red' });
    expect(message.attachments?.[0]).not.toHaveProperty('titleLink'); // no region known
    expect(message.attachments?.[0]?.text).toContain('사유: manual test');
    expect(message.attachments?.[0]?.text).toContain(
      '시각(수신): 2026-11-29 12:00:00 KST (2026-11-29 03:00:00 UTC)',
    );
  });

  it('renders a metric alarm with console link, state change, account, region, KST time, metric and condition', () => {
    const alert = alertOf(readFixture('sns/root-alert-alarm.json'));
    expect(alert.dedupeKey).toBe(
      'arn:aws:cloudwatch:ap-northeast-2:210987654321:alarm:root-alert|2026-11-28T23:46:12.408Z|ALARM',
    );
    const [attachment] = render(alert, ko).attachments ?? [];
    expect(attachment?.titleLink).toBe(
      'https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/root-alert',
    );
    expect(attachment?.text?.split('\n')).toEqual([
      expect.stringMatching(/^사유: Threshold Crossed: 1 out of the last 1 datapoints/),
      '상태: OK → ALARM',
      '계정: 210987654321',
      '리전: Asia Pacific (Seoul) (ap-northeast-2)',
      '시각: 2026-11-29 08:46:12 KST (2026-11-28 23:46:12 UTC)',
      '메트릭: CloudTrailMetrics / RootAccountUsageCount',
      '조건: SUM >= 1 (300초 × 1)',
      '설명: CIS 1.7 / CloudWatch.1: root account usage',
    ]);
  });

  it('renders OK in green with the recovery text, and English texts with ALERT_LOCALE=en', () => {
    const ok = alertOf(readFixture('sns/root-alert-ok.json'));
    expect(render(ok, ko)).toMatchObject({
      text: 'root 계정 경보 해제되었습니다',
      attachments: [{ color: 'green' }],
    });
    const en = { ...ko, locale: 'en' as const };
    expect(render(alertOf(readFixture('sns/root-alert-ok.json'), { locale: 'en' }), en).text).toBe(
      'root account alarm resolved',
    );
    const alarm = render(alertOf(readFixture('sns/root-alert-alarm.json'), { locale: 'en' }), en);
    expect(alarm.text).toBe('root account alarm triggered');
    expect(alarm.attachments?.[0]?.text).toContain('State: OK → ALARM');
    expect(alarm.attachments?.[0]?.text).toContain('Condition: SUM >= 1 (1 of 1 × 300 s)');
  });

  it('uses the subject map (SUBJECT_MAP merged over defaults) and the alarm name for unknown alarms', () => {
    const math = readFixture('sns/metric-math-alarm.json');
    expect(render(alertOf(math), ko).text).toBe('root-api-calls-per-hour 경보 발생하였습니다');
    expect(
      render(alertOf(math, { subjectMap: { 'root-api-calls-per-hour': 'root API 호출' } }), ko).text,
    ).toBe('root API 호출 경보 발생하였습니다');
    const guide = readFixture('sns/guide-test-event.json');
    expect(render(alertOf(guide, { subjectMap: { 'root-alert': '루트' } }), ko).text).toBe(
      '루트 경보 발생하였습니다',
    );
  });

  it('marks trusted tests: signed [테스트] reasons, and the self-test alarm as [정기 테스트]', () => {
    const key = 'k'.repeat(32);
    const changed = new Date('2026-11-29T01:00:00Z');
    const event = (reason: string, name = 'root-alert') => ({
      AlarmName: name,
      NewStateValue: 'ALARM',
      NewStateReason: reason,
      StateChangeTime: changed.toISOString(),
    });
    const signed = signTestMark(key, { alarmName: 'root-alert', issuedAt: changed });
    expect(
      render(alertOf(event(`[테스트] by ops at 10:00 ${signed}`), { testMarks: { key } }), ko).text,
    ).toBe('[테스트] root 계정 경보 발생하였습니다');
    expect(
      render(
        alertOf(event('[정기 테스트] monthly', 'self-test'), {
          testMarks: { selfTestAlarmName: 'self-test' },
        }),
        ko,
      ).text,
    ).toBe('[정기 테스트] self-test 경보 발생하였습니다');
  });

  it('adds botIconImage only when set', () => {
    const alert = alertOf(readFixture('sns/guide-test-event.json'));
    expect(
      render(alert, { ...ko, botIconImage: 'https://static.dooray.com/static_images/dooray-bot.png' })
        .botIconImage,
    ).toBe('https://static.dooray.com/static_images/dooray-bot.png');
  });

  it('skips states outside NOTIFY_STATES with a reason', () => {
    const [input] = parseLambdaEvent(readFixture('sns/root-alert-ok.json'));
    expect(toAlert(input!, { ...options, notifyStates: ['ALARM'] })).toMatchObject({
      kind: 'skip',
      reason: 'state OK is not in NOTIFY_STATES (ALARM)',
      alarmName: 'root-alert',
    });
  });

  it('strips control characters and bidirectional overrides, and cuts long fields', () => {
    expect(clean('a\u0000b\u001bc\nd\te')).toBe('abc\nd\te');
    expect(clean('evil\u202Etxt.exe\u2066x\u2069')).toBe('eviltxt.exex');
    expect(oneLine('one\r\n결과: 성공\ntwo')).toBe('one 결과: 성공 two');
    expect(clean('x'.repeat(2_000), 100)).toHaveLength(100);
  });
});

describe('regions and times', () => {
  it('maps display names and ARNs to region codes', () => {
    expect(regionCodeFromName('Asia Pacific (Seoul)')).toBe('ap-northeast-2');
    expect(regionCodeFromName('EU (Ireland)')).toBe('eu-west-1');
    expect(regionCodeFromName('US - N. Virginia')).toBe('us-east-1');
    expect(regionCodeFromName('EXAMPLE')).toBeUndefined();
    expect(regionCodeFromArn('arn:aws:cloudwatch:ap-northeast-2:1:alarm:x')).toBe('ap-northeast-2');
    expect(regionCodeFromArn('arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE')).toBeUndefined();
  });

  it('formats KST and other zones', () => {
    const t = new Date('2026-11-28T23:46:12.408Z');
    expect(formatTime(t, 'Asia/Seoul')).toBe('2026-11-29 08:46:12 KST');
    expect(formatTime(t, 'UTC')).toBe('2026-11-28 23:46:12 UTC');
    expect(formatTime(t, 'Asia/Tokyo')).toBe('2026-11-29 08:46:12 GMT+9');
  });
});
