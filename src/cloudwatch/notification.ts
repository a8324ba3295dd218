/**
 * The alarm notification CloudWatch publishes to SNS, and the event SNS hands to a subscribed Lambda.
 *
 * Sources: CloudWatch User Guide, "Notifying users on alarm changes", section "Schema of Amazon SNS
 * notifications when alarms change state"; Lambda Developer Guide, "Using AWS Lambda with Amazon SNS" (example
 * event); real notifications (2021 to 2025) for the field order and value formats (held by
 * test/cloudwatch/notification.test.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AlarmStateChange, AlarmStatistic, MetricAlarmConfig } from './alarm.js';
import { CloudWatchConfigError } from './errors.js';
import { regionNameFromCode } from '../events/regions.js';
import { alarmTimestamp, javaDouble } from './format.js';

const STATISTIC_NAMES: Record<AlarmStatistic, string> = {
  Sum: 'SUM',
  SampleCount: 'SAMPLE_COUNT',
  Average: 'AVERAGE',
  Minimum: 'MINIMUM',
  Maximum: 'MAXIMUM',
};

/** The long region name CloudWatch writes (`Asia Pacific (Seoul)`). @throws CloudWatchConfigError for an unknown code. */
export function regionDisplayName(region: string): string {
  const name = regionNameFromCode(region);
  if (name === undefined) throw new CloudWatchConfigError(`unknown region ${region}`, 'region');
  return name;
}

/** `arn:aws:cloudwatch:<region>:<account>:alarm:<name>` (the name is not escaped). */
export function alarmArn(c: Pick<MetricAlarmConfig, 'region' | 'accountId' | 'alarmName'>): string {
  return `arn:aws:cloudwatch:${c.region}:${c.accountId}:alarm:${c.alarmName}`;
}

/** The SNS Subject CloudWatch sets: `ALARM: "<name>" in <Region long name>`. */
export function alarmSubject(c: MetricAlarmConfig, change: AlarmStateChange): string {
  return `${change.newState}: "${c.alarmName}" in ${regionDisplayName(c.region)}`;
}

const s = (v: string | null): string => JSON.stringify(v);
const list = (v: readonly string[] | undefined): string => JSON.stringify(v ?? []);

/**
 * The notification's `Message`: compact JSON, keys in the order real messages have (AlarmName,
 * AlarmDescription, AWSAccountId, AlarmConfigurationUpdatedTimestamp, NewStateValue, NewStateReason,
 * StateChangeTime, Region, AlarmArn, OldStateValue, OKActions, AlarmActions, InsufficientDataActions, Trigger),
 * `Statistic` in upper snake case, `Threshold` always with a decimal point, times as
 * `yyyy-MM-ddTHH:mm:ss.SSS+0000`, `DatapointsToAlarm` only when set, `TreatMissingData` `""` when unset,
 * non-ASCII and `/` unescaped. `AlarmConfigurationUpdatedTimestamp` defaults to the change time.
 * @throws CloudWatchConfigError for an unknown region.
 */
export function alarmNotificationMessage(c: MetricAlarmConfig, change: AlarmStateChange): string {
  const dims = (c.dimensions ?? []).map((d) => `{"value":${s(d.value)},"name":${s(d.name)}}`).join(',');
  const trigger =
    `{"MetricName":${s(c.metricName)},"Namespace":${s(c.namespace)},"StatisticType":"Statistic",` +
    `"Statistic":${s(STATISTIC_NAMES[c.statistic])},"Unit":${s(c.unit ?? null)},"Dimensions":[${dims}],` +
    `"Period":${c.period},"EvaluationPeriods":${c.evaluationPeriods},` +
    (c.datapointsToAlarm === undefined ? '' : `"DatapointsToAlarm":${c.datapointsToAlarm},`) +
    `"ComparisonOperator":${s(c.comparisonOperator)},"Threshold":${javaDouble(c.threshold)},` +
    `"TreatMissingData":${s(c.treatMissingData ?? '')},"EvaluateLowSampleCountPercentile":""}`;
  return (
    `{"AlarmName":${s(c.alarmName)},"AlarmDescription":${s(c.alarmDescription ?? null)},` +
    `"AWSAccountId":${s(c.accountId)},` +
    `"AlarmConfigurationUpdatedTimestamp":${s(alarmTimestamp(c.configurationUpdatedAt ?? change.time))},` +
    `"NewStateValue":${s(change.newState)},"NewStateReason":${s(change.reason)},` +
    `"StateChangeTime":${s(alarmTimestamp(change.time))},"Region":${s(regionDisplayName(c.region))},` +
    `"AlarmArn":${s(alarmArn(c))},"OldStateValue":${s(change.oldState)},` +
    `"OKActions":${list(c.okActions)},"AlarmActions":${list(c.alarmActions)},` +
    `"InsufficientDataActions":${list(c.insufficientDataActions)},"Trigger":${trigger}}`
  );
}

/** The SNS record of a Lambda event (`Records[0]`), with the Lambda casing `SigningCertUrl`/`UnsubscribeUrl`. */
export interface SnsLambdaRecord {
  EventSource: 'aws:sns';
  EventVersion: '1.0';
  EventSubscriptionArn: string;
  Sns: {
    Type: 'Notification';
    MessageId: string;
    TopicArn: string;
    Subject: string;
    Message: string;
    Timestamp: string;
    SignatureVersion: '1';
    Signature: string;
    SigningCertUrl: string;
    UnsubscribeUrl: string;
    MessageAttributes: Record<string, never>;
  };
}

/** The event SNS passes to a subscribed Lambda function: `{ Records: [record] }`. */
export interface SnsLambdaEvent {
  Records: SnsLambdaRecord[];
}

/** How the notification is published: topic, subscription, ids and publish time. */
export interface SnsPublishOptions {
  /** `arn:aws:sns:<region>:<account>:<topic>`. */
  topicArn: string;
  /** Subscription id appended to the topic ARN (a UUID); random when omitted. */
  subscriptionId?: string;
  /** SNS MessageId (a UUID); random when omitted. */
  messageId?: string;
  /** Publish time in ms; SNS stamps a few tens of ms after StateChangeTime, so the default is change time + 40 ms. */
  publishedAt?: number;
}

/**
 * Wraps an alarm notification in the SNS → Lambda event, keys in the order of a real Lambda-delivered alarm
 * notification (a 2021 alarm on a log metric in a custom namespace; the Lambda Developer Guide's SNS example event
 * has the same keys). `Signature` is a base64 SHA-256 digest of the message, **not** a real SNS signature (offline: no
 * signing key); `SigningCertUrl` and `UnsubscribeUrl` have the real shapes for the topic's region.
 * @throws CloudWatchConfigError for a topic ARN that is not an SNS ARN or an unknown region.
 */
export function snsLambdaEvent(
  c: MetricAlarmConfig,
  change: AlarmStateChange,
  options: SnsPublishOptions,
): SnsLambdaEvent {
  const arn = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})(\.fifo)?$/.exec(
    options.topicArn,
  );
  if (arn === null) throw new CloudWatchConfigError(`not an SNS topic ARN: ${options.topicArn}`, 'topicArn');
  const region = arn[1] as string;
  regionDisplayName(region);
  const subscriptionArn = `${options.topicArn}:${options.subscriptionId ?? randomUUID()}`;
  const message = alarmNotificationMessage(c, change);
  const cert = createHash('sha256').update(region).digest('hex').slice(0, 32);
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: options.messageId ?? randomUUID(),
          TopicArn: options.topicArn,
          Subject: alarmSubject(c, change),
          Message: message,
          Timestamp: new Date(options.publishedAt ?? change.time + 40).toISOString(),
          SignatureVersion: '1',
          Signature: createHash('sha256').update(message).digest('base64'),
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-${cert}.pem`,
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: {},
        },
      },
    ],
  };
}
