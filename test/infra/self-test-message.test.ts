import { beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlarmAlert, type Alert } from '../../src/alert/alert.js';
import { render } from '../../src/alert/render.js';
import { parseLambdaEvent } from '../../src/events/index.js';
import { selfTestSchedule, synth } from './synth.js';

const ACCOUNT = '111122223333';
const REGION = 'ap-northeast-2';
const ALARM_ARN = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:root-alert`;

/** What EventBridge Scheduler publishes at `scheduledTime`: the target input with tokens and the context attribute filled in. */
function published(input: unknown, alarmId: string, scheduledTime: string): string {
  const [delimiter, parts] = (input as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const values: Record<string, string> = {
    '{"Ref":"AWS::AccountId"}': ACCOUNT,
    '{"Ref":"AWS::Region"}': REGION,
    [JSON.stringify({ 'Fn::GetAtt': [alarmId, 'Arn'] })]: ALARM_ARN,
  };
  return parts
    .map((part) => (typeof part === 'string' ? part : values[JSON.stringify(part)]))
    .join(delimiter)
    .replaceAll('<aws.scheduler.scheduled-time>', scheduledTime);
}

/** The handler's path for an SNS event carrying `message`: parse → alert. */
function alertOf(message: string): AlarmAlert {
  const [input] = parseLambdaEvent({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        Sns: {
          Type: 'Notification',
          MessageId: '0f7c7e55-4a31-4b8b-9c6e-6f0e6ad9a1a1',
          TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:root-alert`,
          Subject: null,
          Message: message,
          Timestamp: '2026-12-01T01:00:00.123Z',
        },
      },
    ],
  });
  if (input === undefined) throw new Error('no input');
  const alert = toAlert(input, { notifyStates: ['ALARM'], subjectMap: {}, locale: 'ko', now: new Date() });
  if (alert.kind !== 'alarm')
    throw new Error(alert.kind === 'skip' ? `skipped: ${alert.reason}` : 'not an alarm');
  return alert;
}

describe('the scheduled self-test notification, as the handler reads it', () => {
  let december: Alert;
  let january: Alert;
  beforeAll(() => {
    const { template } = synth();
    const input = (selfTestSchedule(template).properties.Target as { Input: unknown }).Input;
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const alarmId = Object.keys(alarms).find((id) => alarms[id]?.Properties.AlarmName === 'root-alert') ?? '';
    december = alertOf(published(input, alarmId, '2026-12-01T01:00:00Z'));
    january = alertOf(published(input, alarmId, '2027-01-01T01:00:00Z'));
  });

  // Issue 11: a `[정기 테스트]` reason is trusted only from the self-test alarm (SELF_TEST_ALARM_NAME) or with a
  // signature made with the test-mark key (src/alert/test-mark.ts). This schedule still publishes a synthetic
  // notification named root-alert, so the handler shows it as an unverified claim until it comes from the
  // stack's self-test alarm.
  it('is a root-alert ALARM notification claiming the scheduled test mark (not trusted by itself)', () => {
    expect(december).toMatchObject({
      alarmName: 'root-alert',
      state: 'ALARM',
      subject: 'root 계정',
      unverifiedTest: 'scheduled',
    });
    expect(december).not.toHaveProperty('test');
    expect(december.regionCode).toBe(REGION);
    expect(december.time.toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('renders as a real alarm with the unverified claim noted, in red', () => {
    const message = render(december, { locale: 'ko', timeZone: 'Asia/Seoul', botName: 'AlarmBot' });
    expect(message.text).toBe('root 계정 경보 발생하였습니다');
    expect(message.attachments?.[0]?.color).toBe('red');
    expect(message.attachments?.[0]?.text).toContain(
      '참고: 상태 사유에 [정기 테스트] 표시가 있으나 검증되지 않았습니다',
    );
  });

  it('gets a different dedupe key every run, so the handler does not drop it as a repeat', () => {
    expect(december.dedupeKey).toBeDefined();
    expect(january.dedupeKey).toBeDefined();
    expect(december.dedupeKey).not.toBe(january.dedupeKey);
  });
});
