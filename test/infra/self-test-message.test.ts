import { beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlarmAlert, type Alert } from '../../src/alert/alert.js';
import { render } from '../../src/alert/render.js';
import { parseLambdaEvent } from '../../src/events/index.js';
import { only, selfTestSchedule, synth } from './synth.js';

const ACCOUNT = '111122223333';
const REGION = 'ap-northeast-2';

/**
 * What CloudWatch publishes when the schedule's `SetAlarmState` call flips the self-test alarm at `time`: the
 * alarm notification JSON (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-sns-notifications.html)
 * of the alarm the call names, with the state reason the call gives.
 */
function published(
  call: { AlarmName: string; StateValue: string; StateReason: string },
  time: string,
): string {
  return JSON.stringify({
    AlarmName: call.AlarmName,
    AlarmDescription: 'secu-alert-dooray self-test',
    AWSAccountId: ACCOUNT,
    NewStateValue: call.StateValue,
    NewStateReason: call.StateReason,
    StateChangeTime: time.replace('Z', '.000+0000'),
    Region: 'Asia Pacific (Seoul)',
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${call.AlarmName}`,
    OldStateValue: 'OK',
  });
}

/** The handler's path for an SNS event carrying `message`: parse → alert. */
function alertOf(message: string, selfTestAlarmName?: string): AlarmAlert {
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
  const alert = toAlert(input, {
    notifyStates: ['ALARM'],
    subjectMap: {},
    locale: 'ko',
    now: new Date(),
    ...(selfTestAlarmName === undefined ? {} : { testMarks: { selfTestAlarmName } }),
  });
  if (alert.kind !== 'alarm')
    throw new Error(alert.kind === 'skip' ? `skipped: ${alert.reason}` : 'not an alarm');
  return alert;
}

describe('the scheduled self-test through the self-test alarm, as the handler reads it', () => {
  let call: { AlarmName: string; StateValue: string; StateReason: string };
  let selfTestAlarmName: string;
  let december: Alert;
  let january: Alert;
  beforeAll(() => {
    const { template } = synth();
    const target = selfTestSchedule(template).properties.Target as { Input: string };
    call = JSON.parse(target.Input) as typeof call;
    const fn = only(template, 'AWS::Lambda::Function').properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    selfTestAlarmName = fn.Environment.Variables['SELF_TEST_ALARM_NAME'] as string;
    december = alertOf(published(call, '2026-12-01T01:00:00Z'), selfTestAlarmName);
    january = alertOf(published(call, '2027-01-01T01:00:00Z'), selfTestAlarmName);
  });

  it('the schedule flips the alarm the function trusts as the self-test (not root-alert)', () => {
    expect(call.AlarmName).toBe('root-alert-self-test');
    expect(selfTestAlarmName).toBe('root-alert-self-test');
    expect(call.StateValue).toBe('ALARM');
  });

  it('is a trusted scheduled test, not an unverified claim', () => {
    expect(december).toMatchObject({ alarmName: 'root-alert-self-test', state: 'ALARM', test: 'scheduled' });
    expect(december).not.toHaveProperty('unverifiedTest');
    expect(december.time.toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('renders with the [정기 테스트] mark', () => {
    const message = render(december, { locale: 'ko', timeZone: 'Asia/Seoul', botName: 'AlarmBot' });
    expect(message.text.startsWith('[정기 테스트]')).toBe(true);
    expect(JSON.stringify(message)).not.toContain('검증되지 않았습니다');
  });

  it('without SELF_TEST_ALARM_NAME the same text is only an unverified claim', () => {
    expect(alertOf(published(call, '2026-12-01T01:00:00Z'))).toMatchObject({ unverifiedTest: 'scheduled' });
  });

  it('gets a different dedupe key every run, so the handler does not drop it as a repeat', () => {
    expect(december.dedupeKey).toBeDefined();
    expect(january.dedupeKey).toBeDefined();
    expect(december.dedupeKey).not.toBe(january.dedupeKey);
  });
});
