import { describe, expect, it } from 'vitest';
import { parseAlarmSubject, parseAlarmTime, parseLambdaEvent, type AlarmInput } from '../src/events/index.js';
import { describeWithSamples, readFixture, readSample } from './helpers/samples.js';
import { isRegionCode } from '../src/events/regions.js';

const alarm = (event: unknown): AlarmInput => {
  const [input] = parseLambdaEvent(event);
  if (input?.kind !== 'alarm') throw new Error(`not an alarm: ${JSON.stringify(input)}`);
  return input;
};

const snsEvent = (message: string, subject?: string) => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      Sns: { Type: 'Notification', Message: message, ...(subject ? { Subject: subject } : {}) },
    },
  ],
});

describe('parseLambdaEvent over the project fixtures', () => {
  it("reads the guide's minimal test event (no TopicArn, MessageId, Timestamp; 3-field message)", () => {
    const input = alarm(readFixture('sns/guide-test-event.json'));
    expect(input.origin).toMatchObject({ carrier: 'sns', index: 0, subject: 'ALARM: root-alert' });
    expect(input.notification).toEqual({
      kind: 'minimal',
      alarmName: 'root-alert',
      newState: 'ALARM',
      reason: 'manual test',
    });
  });

  it('reads a metric alarm with Trigger, times and Region display name', () => {
    const n = alarm(readFixture('sns/root-alert-alarm.json')).notification;
    expect(n).toMatchObject({
      kind: 'metric',
      alarmName: 'root-alert',
      newState: 'ALARM',
      oldState: 'OK',
      accountId: '210987654321',
      regionName: 'Asia Pacific (Seoul)',
      metric: {
        namespace: 'CloudTrailMetrics',
        name: 'RootAccountUsageCount',
        dimensions: {},
        statistic: 'SUM',
      },
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      periodSeconds: 300,
      evaluationPeriods: 1,
    });
    expect(n.metric).not.toHaveProperty('unit'); // Unit null
    expect(n.stateChangeTime?.toISOString()).toBe('2026-11-28T23:46:12.408Z');
  });

  it('reads metric-math and composite alarms and the direct Lambda alarm action', () => {
    const math = alarm(readFixture('sns/metric-math-alarm.json')).notification;
    expect(math.kind).toBe('metric-math');
    expect(math.expressions).toEqual([
      { id: 'e1', expression: 'FILL(m1, 0)', label: 'Root API calls (gaps as 0)' },
    ]);
    expect(math.metric?.name).toBe('RootAccountUsageCount');
    expect(math).not.toHaveProperty('description'); // AlarmDescription null

    const composite = alarm(readFixture('sns/composite-alarm.json')).notification;
    expect(composite.kind).toBe('composite');
    expect(composite.alarmRule).toMatch(/^ALARM\(arn:aws:cloudwatch:/);
    expect(composite.triggeringChildren).toEqual([
      'arn:aws:cloudwatch:ap-northeast-2:210987654321:alarm:root-alert',
    ]);
    expect(composite).not.toHaveProperty('description'); // AlarmDescription ""

    const action = alarm(readFixture('lambda/alarm-action-event.json'));
    expect(action.origin.carrier).toBe('alarm-action');
    expect(action.notification).toMatchObject({
      kind: 'metric',
      alarmName: 'root-alert',
      newState: 'ALARM',
      oldState: 'OK',
      regionCode: 'ap-northeast-2',
    });
  });

  it('reads every record of a multi-record event, in order (the guide read only the first)', () => {
    const one = readFixture<{ Records: unknown[] }>('sns/root-alert-alarm.json');
    const two = readFixture<{ Records: unknown[] }>('sns/composite-alarm.json');
    const inputs = parseLambdaEvent({ Records: [...one.Records, ...two.Records] });
    expect(inputs.map((i) => (i.kind === 'alarm' ? i.notification.alarmName : i.kind))).toEqual([
      'root-alert',
      'security-baseline',
    ]);
    expect(inputs.map((i) => i.origin.index)).toEqual([0, 1]);
  });

  it('reads an SQS event whose bodies are SNS notifications (URL casing) or raw alarm messages', () => {
    const sns = readFixture<{ Records: { Sns: Record<string, unknown> }[] }>('sns/root-alert-alarm.json')
      .Records[0]!.Sns;
    const { SigningCertUrl, UnsubscribeUrl, ...rest } = sns;
    const httpShape = { ...rest, SigningCertURL: SigningCertUrl, UnsubscribeURL: UnsubscribeUrl };
    const inputs = parseLambdaEvent({
      Records: [
        { messageId: 'a', eventSource: 'aws:sqs', body: JSON.stringify(httpShape) },
        { messageId: 'b', eventSource: 'aws:sqs', body: sns['Message'] },
      ],
    });
    expect(inputs.map((i) => i.kind)).toEqual(['alarm', 'alarm']);
    expect(inputs[0]?.origin).toMatchObject({
      carrier: 'sqs',
      topicArn: 'arn:aws:sns:ap-northeast-2:210987654321:root-alert',
    });
  });

  it('reads one SNS HTTP notification and a bare alarm notification', () => {
    const sns = readFixture<{ Records: { Sns: Record<string, unknown> }[] }>('sns/composite-alarm.json')
      .Records[0]!.Sns;
    expect(alarm(sns).origin.carrier).toBe('sns-http');
    expect(alarm(JSON.parse(sns['Message'] as string)).origin.carrier).toBe('bare');
  });

  it('falls back to the Subject when the Message is not JSON', () => {
    const input = alarm(snsEvent('Root usage!', 'ALARM: "root-alert" in Asia Pacific (Seoul)'));
    expect(input.notification).toEqual({
      kind: 'minimal',
      alarmName: 'root-alert',
      newState: 'ALARM',
      regionName: 'Asia Pacific (Seoul)',
    });
    expect(input.note).toMatch(/Subject/);
  });
});

describe('parseAlarmSubject and parseAlarmTime', () => {
  it.each([
    [
      'ALARM: "root-alert" in Asia Pacific (Seoul)',
      { alarmName: 'root-alert', newState: 'ALARM', regionName: 'Asia Pacific (Seoul)' },
    ],
    [
      'OK: "name with spaces" in US East (N. Virginia)',
      { alarmName: 'name with spaces', newState: 'OK', regionName: 'US East (N. Virginia)' },
    ],
    ['ALARM: root-alert', { alarmName: 'root-alert', newState: 'ALARM' }],
    [
      '\'OK: "DBMigrationRequired" in EU (London)',
      { alarmName: 'DBMigrationRequired', newState: 'OK', regionName: 'EU (London)' },
    ],
    [
      'INSUFFICIENT_DATA: "x" in EU (Ireland)',
      { alarmName: 'x', newState: 'INSUFFICIENT_DATA', regionName: 'EU (Ireland)' },
    ],
  ])('%s', (subject, want) => expect(parseAlarmSubject(subject)).toEqual(want));

  it.each(['TestInvoke', 'ALARM:', 'PANIC: "x" in y', '', undefined])('rejects %s', (subject) =>
    expect(parseAlarmSubject(subject)).toBeUndefined(),
  );

  it("parses CloudWatch's +0000 times and rejects garbage", () => {
    expect(parseAlarmTime('2021-11-10T02:45:55.640+0000')?.toISOString()).toBe('2021-11-10T02:45:55.640Z');
    expect(parseAlarmTime('2021-11-10T11:45:55.640+0900')?.toISOString()).toBe('2021-11-10T02:45:55.640Z');
    expect(parseAlarmTime('yesterday')).toBeUndefined();
  });
});

describeWithSamples('parseLambdaEvent over ../shared/samples/sns', () => {
  const index = readSample<{ file: string; NewStateValue: string; alarm_kind: string }[]>('sns/INDEX.json');
  it.each(index.map((e) => [e.file, e] as const))('%s', (file, entry) => {
    const input = alarm(readSample(`sns/${file}`));
    expect(input.notification.newState).toBe(entry.NewStateValue);
    const kind = entry.alarm_kind === 'seed/minimal' ? 'minimal' : entry.alarm_kind;
    expect(input.notification.kind).toBe(kind);
  });
});

describe('isRegionCode: the one Region form shared by the handler, the CLI and the CDK app', () => {
  it.each([
    'us-east-1',
    'ap-northeast-2',
    'us-gov-west-1',
    'cn-north-1',
    'eu-central-2',
    'il-central-1',
    'mx-central-1',
    'ap-southeast-5',
    'us-isob-east-1',
  ])('%s is a Region code', (code) => expect(isRegionCode(code)).toBe(true));
  it.each(['global', 'us-east', 'US-EAST-1', 'us-east-1a', 'ap-northeast-123', 'x-east-1', ''])(
    '%s is not',
    (code) => expect(isRegionCode(code)).toBe(false),
  );
});
