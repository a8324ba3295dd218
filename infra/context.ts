import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ALARM_STATES,
  DEFAULT_FORWARDER_REGIONS,
  HOOK_URL_PARAMETER_NAME,
  REGION_CODE,
} from '../src/defaults.js';
import type { HookUrlSource } from './hook-url.js';
import type { AlarmState, SecuAlertDoorayStackProps } from './stack.js';

/**
 * The `-c key=value` context keys the app reads (https://docs.aws.amazon.com/cdk/v2/guide/context.html), each
 * with what it sets. Values from the command line are strings; `cdk.json` may also give booleans and numbers.
 */
export const CONTEXT_KEYS = {
  stackName: 'CloudFormation stack name (default SecuAlertDooray)',
  trailLogGroupName: 'existing log group a trail delivers to; omit to create a trail',
  trailLogRetentionDays: 'retention of the new trail log group, days (default 365)',
  trailBucketExpirationDays: 'days before trail log files expire in S3 (default 365)',
  alarmName: 'alarm name (default root-alert)',
  topicName: 'topic name (default root-alert)',
  functionName: 'function name (default secu-alert-dooray)',
  existingTopicArn: 'subscribe to this existing topic instead of creating one',
  createAlarm: 'false: an existing alarm already notifies existingTopicArn',
  encryptTopics: 'true: encrypt the topics with a new customer-managed KMS key',
  hookUrlParameter: 'SSM SecureString parameter name holding the URL (default /secu-alert-dooray/hook-url)',
  hookUrlSecretArn: 'Secrets Manager secret ARN holding the URL',
  hookUrlKmsKeyArn: 'customer-managed KMS key of that parameter or secret',
  plainHookUrl:
    "true: the guide's DOORAY_HOOK_URL, given at deploy time as the NoEcho parameter DoorayHookUrl",
  reservedConcurrency: 'reserved concurrency of the function, e.g. 1 (default none)',
  functionLogRetentionDays: 'retention of the function log group, days (default 90)',
  maxEventAgeSeconds: 'maximum age of an asynchronous event, seconds (60–21600, default 21600)',
  botName: 'DEFAULT_BOT_NAME',
  botIcon: 'DEFAULT_BOT_ICON',
  notifyStates: 'NOTIFY_STATES, comma-separated (ALARM, OK, INSUFFICIENT_DATA)',
  subjectMap: 'SUBJECT_MAP, a JSON object',
  locale: 'ALERT_LOCALE (ko or en)',
  timezone: 'ALERT_TIMEZONE',
  minIntervalMs: 'DOORAY_MIN_INTERVAL_MS',
  allowedHosts: 'DOORAY_ALLOWED_HOSTS, comma-separated',
  opsEmail:
    'email subscribed to the operations topic (failed deliveries, dead-letter queues, failed rule invocations); required unless noOpsContact=true',
  noOpsContact: 'true: deploy without an operations contact (synth warns; failures then reach nobody)',
  selfTest: 'false: no periodic self-test',
  selfTestSchedule: 'EventBridge Scheduler expression of the self-test (default cron(0 10 1 * ? *))',
  selfTestTimeZone: 'time zone of that expression (default Asia/Seoul)',
  fastPath: 'false: no EventBridge fast path (and no forwarder stacks)',
  fastPathRegions:
    'Regions that forward their root-usage events to the main Region, comma-separated: the whole list (default: every Region enabled by default, DEFAULT_FORWARDER_REGIONS; add opt-in Regions the account enabled)',
  region:
    'main Region of the stack; forwarder stacks are made only when it is known (else CDK_DEFAULT_REGION)',
} as const;

/** A context key the app reads. */
export type ContextKey = keyof typeof CONTEXT_KEYS;

/** Default stack name. */
export const DEFAULT_STACK_NAME = 'SecuAlertDooray';

const RETENTION_DAYS = new Set<number>(
  Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number'),
);

/** The stack name and props that the context asks for. */
export interface AppSettings {
  readonly stackName: string;
  readonly props: SecuAlertDoorayStackProps;
  /** The main Region, when `-c region` gives it. */
  readonly region?: string;
  /** Regions that get a forwarder stack (empty when the fast path is off). */
  readonly fastPathRegions: readonly string[];
  /** `-c noOpsContact=true`: no operations contact, knowingly. */
  readonly noOpsContact: boolean;
}

/**
 * Reads the context into typed stack props, rejecting malformed values and the webhook URL itself (context
 * values are recorded in the cloud assembly; the URL must only reach AWS at deploy time).
 * @param get the context lookup, e.g. `(key) => app.node.tryGetContext(key)`
 */
export function settingsFromContext(get: (key: string) => unknown): AppSettings {
  for (const key of ['hookUrl', 'DOORAY_HOOK_URL']) {
    if (get(key) !== undefined) {
      throw new Error(
        `context "${key}" is not accepted: the webhook URL must not be recorded by synth. Store it in SSM ` +
          '(default), or use -c plainHookUrl=true and deploy with --parameters DoorayHookUrl=<url>.',
      );
    }
  }
  const text = (key: ContextKey): string | undefined => {
    const value = get(key);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
    return value;
  };
  const flag = (key: ContextKey): boolean | undefined => {
    const value = get(key);
    if (value === undefined || value === '') return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new Error(`context ${key} must be true or false, not ${JSON.stringify(value)}`);
  };
  const integer = (key: ContextKey, min: number, max: number): number | undefined => {
    const value = get(key);
    if (value === undefined || value === '') return undefined;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new Error(
        `context ${key} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`,
      );
    }
    return parsed;
  };
  const retention = (key: ContextKey): logs.RetentionDays | undefined => {
    const days = integer(key, 1, 3653);
    if (days !== undefined && !RETENTION_DAYS.has(days)) {
      throw new Error(`context ${key}: CloudWatch Logs does not offer a retention of ${days} days`);
    }
    return days;
  };
  const list = (key: ContextKey): string[] | undefined =>
    text(key)
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');

  const notifyStates = list('notifyStates')?.map((state) => {
    if (!(ALARM_STATES as readonly string[]).includes(state)) {
      throw new Error(`context notifyStates: unknown alarm state ${state}`);
    }
    return state as AlarmState;
  });
  const subjectMapText = text('subjectMap');
  let subjectMap: Record<string, string> | undefined;
  if (subjectMapText !== undefined) {
    const parsed: unknown = JSON.parse(subjectMapText);
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      !Object.values(parsed).every((value) => typeof value === 'string')
    ) {
      throw new Error('context subjectMap must be a JSON object of strings');
    }
    subjectMap = parsed as Record<string, string>;
  }
  const locale = text('locale');
  if (locale !== undefined && locale !== 'ko' && locale !== 'en') {
    throw new Error(`context locale must be ko or en, not ${locale}`);
  }
  const opsEmail = text('opsEmail');
  if (opsEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(opsEmail)) {
    throw new Error(`context opsEmail is not an email address: ${opsEmail}`);
  }
  const trailLogGroupName = text('trailLogGroupName');
  // Log group names: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
  if (trailLogGroupName !== undefined && !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(trailLogGroupName)) {
    throw new Error(`context trailLogGroupName is not a log group name: ${trailLogGroupName}`);
  }
  const maxEventAgeSeconds = integer('maxEventAgeSeconds', 60, 21_600);
  const selfTest = flag('selfTest');
  const region = text('region');
  const fastPath = flag('fastPath');
  const fastPathRegions =
    fastPath === false ? [] : (list('fastPathRegions') ?? [...DEFAULT_FORWARDER_REGIONS]);
  for (const code of [...(region === undefined ? [] : [region]), ...fastPathRegions]) {
    if (!REGION_CODE.test(code))
      throw new Error(`context region/fastPathRegions: not a Region code: ${code}`);
  }

  return {
    stackName: text('stackName') ?? DEFAULT_STACK_NAME,
    ...(region === undefined ? {} : { region }),
    fastPathRegions,
    noOpsContact: flag('noOpsContact') ?? false,
    props: {
      trailLogGroupName,
      trailLogRetentionDays: retention('trailLogRetentionDays'),
      trailBucketExpirationDays: integer('trailBucketExpirationDays', 1, 36_500),
      alarmName: text('alarmName'),
      topicName: text('topicName'),
      functionName: text('functionName'),
      existingTopicArn: text('existingTopicArn'),
      createAlarm: flag('createAlarm'),
      encryptTopics: flag('encryptTopics'),
      hookUrl: hookUrlFromContext(text, flag),
      reservedConcurrency: integer('reservedConcurrency', 1, 1000),
      functionLogRetentionDays: retention('functionLogRetentionDays'),
      maxEventAge: maxEventAgeSeconds === undefined ? undefined : Duration.seconds(maxEventAgeSeconds),
      botName: text('botName'),
      botIcon: text('botIcon'),
      notifyStates,
      subjectMap,
      locale,
      timezone: text('timezone'),
      minIntervalMs: integer('minIntervalMs', 0, 60_000),
      allowedHosts: list('allowedHosts'),
      opsEmail,
      selfTest:
        selfTest === false
          ? false
          : { expression: text('selfTestSchedule'), timeZone: text('selfTestTimeZone') },
      ...(fastPath === false ? { fastPath: false as const } : {}),
    },
  };
}

/** The URL source from `hookUrlParameter`, `hookUrlSecretArn` or `plainHookUrl` (at most one). */
function hookUrlFromContext(
  text: (key: ContextKey) => string | undefined,
  flag: (key: ContextKey) => boolean | undefined,
): HookUrlSource | undefined {
  const parameterName = text('hookUrlParameter');
  const secretArn = text('hookUrlSecretArn');
  const kmsKeyArn = text('hookUrlKmsKeyArn');
  const plain = flag('plainHookUrl') ?? false;
  const chosen = [parameterName !== undefined, secretArn !== undefined, plain].filter(Boolean).length;
  if (chosen > 1) throw new Error('give at most one of hookUrlParameter, hookUrlSecretArn and plainHookUrl');
  if (secretArn !== undefined) return { kind: 'secret', secretArn, kmsKeyArn };
  if (plain) {
    if (kmsKeyArn !== undefined) throw new Error('hookUrlKmsKeyArn does not apply to plainHookUrl');
    return { kind: 'plain' };
  }
  if (parameterName !== undefined || kmsKeyArn !== undefined) {
    return { kind: 'parameter', parameterName: parameterName ?? HOOK_URL_PARAMETER_NAME, kmsKeyArn };
  }
  return undefined;
}
