import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alarmNotificationMessage,
  snsLambdaEvent,
  CloudWatchConfigError,
  guideAlarmConfig,
  type AlarmStateChange,
  type MetricAlarmConfig,
} from '../../src/cloudwatch/index.js';
import { describeWithSamples, SAMPLES_DIR } from '../helpers/samples.js';

const TOPIC = 'arn:aws:sns:ap-northeast-2:111122223333:root-alert';

const guide: MetricAlarmConfig = guideAlarmConfig(
  { accountId: '111122223333', region: 'ap-northeast-2' },
  { alarmActions: [TOPIC], configurationUpdatedAt: Date.parse('2026-11-02T01:00:00.123Z') },
);

const change: AlarmStateChange = {
  oldState: 'OK',
  newState: 'ALARM',
  reason:
    'Threshold Crossed: 1 datapoint [1.0 (02/11/26 02:58:00)] was greater than or equal to the threshold (1.0).',
  time: Date.parse('2026-11-02T03:03:00.000Z'),
  actions: [TOPIC],
};

/** Keys of a JSON object text in the order they appear. */
function keysInOrder(json: string): string[] {
  return Object.keys(JSON.parse(json) as object);
}

describe('alarm notification Message', () => {
  it('is compact JSON with the real field order and formats', () => {
    expect(alarmNotificationMessage(guide, change)).toBe(
      '{"AlarmName":"root-alert","AlarmDescription":null,"AWSAccountId":"111122223333",' +
        '"AlarmConfigurationUpdatedTimestamp":"2026-11-02T01:00:00.123+0000","NewStateValue":"ALARM",' +
        '"NewStateReason":"Threshold Crossed: 1 datapoint [1.0 (02/11/26 02:58:00)] was greater than or equal to the threshold (1.0).",' +
        '"StateChangeTime":"2026-11-02T03:03:00.000+0000","Region":"Asia Pacific (Seoul)",' +
        '"AlarmArn":"arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert","OldStateValue":"OK",' +
        '"OKActions":[],"AlarmActions":["arn:aws:sns:ap-northeast-2:111122223333:root-alert"],"InsufficientDataActions":[],' +
        '"Trigger":{"MetricName":"RootAccountUsageCount","Namespace":"CloudTrailMetrics","StatisticType":"Statistic",' +
        '"Statistic":"SUM","Unit":null,"Dimensions":[],"Period":300,"EvaluationPeriods":1,' +
        '"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1.0,"TreatMissingData":"notBreaching",' +
        '"EvaluateLowSampleCountPercentile":""}}',
    );
  });

  it('shows DatapointsToAlarm only when set, dimensions value-first, unset TreatMissingData as ""', () => {
    const message = alarmNotificationMessage(
      {
        ...guide,
        alarmDescription: '루트 계정 사용',
        datapointsToAlarm: 1,
        treatMissingData: undefined,
        statistic: 'SampleCount',
        unit: 'Count',
        threshold: 2.5,
        dimensions: [{ name: 'eventName', value: 'ConsoleLogin' }],
      },
      change,
    );
    expect(message).toContain('"AlarmDescription":"루트 계정 사용"');
    expect(message).toContain(
      '"Statistic":"SAMPLE_COUNT","Unit":"Count","Dimensions":[{"value":"ConsoleLogin","name":"eventName"}],' +
        '"Period":300,"EvaluationPeriods":1,"DatapointsToAlarm":1,"ComparisonOperator"',
    );
    expect(message).toContain('"Threshold":2.5,"TreatMissingData":"",');
  });

  it('the SNS → Lambda envelope: key order, Subject, Timestamp, Lambda casing', () => {
    const event = snsLambdaEvent(guide, change, {
      topicArn: TOPIC,
      subscriptionId: '0b6e1a34-7d1f-4a57-9a43-4b1b0f1d2c3e',
      messageId: '5f1e0b8a-2c57-5b7b-9d1c-6e0f3a4b5c6d',
    });
    const record = event.Records[0];
    expect(Object.keys(record ?? {})).toEqual(['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
    expect(Object.keys(record?.Sns ?? {})).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertUrl',
      'UnsubscribeUrl',
      'MessageAttributes',
    ]);
    expect(record?.EventSubscriptionArn).toBe(`${TOPIC}:0b6e1a34-7d1f-4a57-9a43-4b1b0f1d2c3e`);
    expect(record?.Sns.Subject).toBe('ALARM: "root-alert" in Asia Pacific (Seoul)');
    expect(record?.Sns.Timestamp).toBe('2026-11-02T03:03:00.040Z');
    expect(record?.Sns.Message).toBe(alarmNotificationMessage(guide, change));
    expect(record?.Sns.UnsubscribeUrl).toBe(
      `https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:0b6e1a34-7d1f-4a57-9a43-4b1b0f1d2c3e`,
    );
    expect(record?.Sns.SigningCertUrl).toMatch(
      /^https:\/\/sns\.ap-northeast-2\.amazonaws\.com\/SimpleNotificationService-[0-9a-f]{32}\.pem$/,
    );
  });

  it('rejects a topic that is not an SNS ARN', () => {
    expect(() => snsLambdaEvent(guide, change, { topicArn: 'root-alert' })).toThrow(CloudWatchConfigError);
  });
});

describeWithSamples('notification shape against real SNS samples', () => {
  const dir = join(SAMPLES_DIR, 'sns');
  const ours = snsLambdaEvent(guide, change, { topicArn: TOPIC });
  const ourRecord = ours.Records[0] as NonNullable<(typeof ours.Records)[0]>;
  const ourMessage = ourRecord.Sns.Message;

  it('the 2021 Lambda-delivered metric-filter alarm: same envelope keys and order; message keys in the same order', () => {
    const sample = JSON.parse(
      readFileSync(join(dir, 'metric-alarm-ALARM-log-metric-custom-namespace-2021.json'), 'utf8'),
    ) as {
      Records: { Sns: Record<string, unknown> & { Message: string; Subject: string } }[];
    };
    const real = sample.Records[0] as (typeof sample.Records)[0];
    expect(Object.keys(ours)).toEqual(Object.keys(sample));
    expect(Object.keys(ourRecord)).toEqual(Object.keys(real));
    expect(Object.keys(ourRecord.Sns)).toEqual(Object.keys(real.Sns));
    // The 2021 message predates AlarmConfigurationUpdatedTimestamp and the action lists: every key it has
    // appears in ours, in the same relative order.
    const realKeys = keysInOrder(real.Sns.Message);
    const ourKeys = keysInOrder(ourMessage);
    expect(ourKeys.filter((k) => realKeys.includes(k))).toEqual(realKeys);
    const realTrigger = keysInOrder(
      JSON.stringify((JSON.parse(real.Sns.Message) as { Trigger: object }).Trigger),
    );
    const ourTrigger = keysInOrder(JSON.stringify((JSON.parse(ourMessage) as { Trigger: object }).Trigger));
    expect(ourTrigger).toEqual(realTrigger);
    // Same value formats: upper-case statistic, float threshold, +0000 timestamps, Subject form.
    expect(real.Sns.Message).toMatch(/"Statistic":"SUM",.*"Threshold":1\.0,/);
    expect(ourMessage).toMatch(/"Statistic":"SUM",.*"Threshold":1\.0,/);
    const stamp = /"StateChangeTime":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000"/;
    expect(real.Sns.Message).toMatch(stamp);
    expect(ourMessage).toMatch(stamp);
    expect(real.Sns.Subject).toMatch(/^ALARM: ".+" in US East \(N\. Virginia\)$/);
    expect(JSON.parse(real.Sns.Message)).toMatchObject({ Region: 'US East (N. Virginia)' });
  });

  it('the 2025 Tokyo metric-filter alarm quoted in the reference is reproduced byte for byte', () => {
    const reference = readFileSync(join(SAMPLES_DIR, '..', 'reference', 'cloudwatch-semantics.md'), 'utf8');
    const line = reference.split('\n').find((l) => l.startsWith('{"AlarmName":"ErrorAlarm"'));
    expect(line).toBeDefined();
    const real = JSON.parse(line as string) as Record<string, unknown> & {
      Trigger: Record<string, unknown>;
      OKActions: string[];
      AlarmActions: string[];
    };
    const message = alarmNotificationMessage(
      {
        alarmName: real['AlarmName'] as string,
        alarmDescription: real['AlarmDescription'] as string,
        accountId: real['AWSAccountId'] as string,
        region: 'ap-northeast-1',
        namespace: real.Trigger['Namespace'] as string,
        metricName: real.Trigger['MetricName'] as string,
        statistic: 'Sum',
        unit: null,
        period: real.Trigger['Period'] as number,
        evaluationPeriods: real.Trigger['EvaluationPeriods'] as number,
        threshold: real.Trigger['Threshold'] as number,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'missing',
        okActions: real.OKActions,
        alarmActions: real.AlarmActions,
        insufficientDataActions: [],
        configurationUpdatedAt: Date.parse(
          (real['AlarmConfigurationUpdatedTimestamp'] as string).replace('+0000', 'Z'),
        ),
      },
      {
        oldState: 'INSUFFICIENT_DATA',
        newState: 'ALARM',
        reason: real['NewStateReason'] as string,
        time: Date.parse((real['StateChangeTime'] as string).replace('+0000', 'Z')),
        actions: real.AlarmActions,
      },
    );
    expect(message).toBe(line);
  });
});
