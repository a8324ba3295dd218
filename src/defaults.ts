/**
 * The seed guide's names and defaults, in one place with no imports, so that the Lambda, the CLI and the CDK
 * app (`infra/`) agree. Source: the guide in `shared/seed/` (sections 2–8) and DESIGN.md "Defaults".
 */

/**
 * The CIS AWS Foundations Benchmark filter pattern for root-account usage, exactly as the guide and AWS
 * Security Hub control CloudWatch.1 give it. Security Hub fails a metric filter whose pattern differs from this
 * string (beyond whitespace), so never rewrite it.
 */
export const ROOT_USAGE_FILTER_PATTERN =
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';

/** CloudWatch metric namespace the guide's metric filter publishes to. */
export const METRIC_NAMESPACE = 'CloudTrailMetrics';
/** CloudWatch metric name the guide's metric filter publishes to (value 1 per matching record). */
export const METRIC_NAME = 'RootAccountUsageCount';
/** Metric value emitted per matching CloudTrail record. */
export const METRIC_VALUE = 1;

/** Alarm name, also the SNS topic name, of the guide. */
export const ALARM_NAME = 'root-alert';
/** SNS topic name of the guide (standard topic). */
export const TOPIC_NAME = 'root-alert';
/** Alarm threshold: Sum ≥ 1. */
export const ALARM_THRESHOLD = 1;
/** Alarm period in seconds (300 s) and evaluation periods (1). */
export const ALARM_PERIOD_SECONDS = 300;
export const ALARM_EVALUATION_PERIODS = 1;

/** Lambda function name of the guide. */
export const FUNCTION_NAME = 'secu-alert-dooray';
/** Default SSM SecureString parameter name for the webhook URL (our addition; the guide uses an env var). */
export const HOOK_URL_PARAMETER_NAME = '/secu-alert-dooray/hook-url';

/** Lambda time budget (DESIGN.md "Time budget"): timeout in seconds and memory in MB. */
export const LAMBDA_TIMEOUT_SECONDS = 60;
export const LAMBDA_MEMORY_MB = 256;
/** Longest time spent looking up the CloudTrail events behind an alarm (enrichment), in ms. */
export const ENRICHMENT_BUDGET_MS = 5_000;
/** Most CloudTrail events shown in full in one alarm message. */
export const MAX_EVENTS_SHOWN = 5;
/** Safety margin kept before the Lambda timeout when delivering, in ms. */
export const DELIVERY_DEADLINE_MARGIN_MS = 3_000;

/**
 * EventBridge detail-types of CloudTrail events the fast path takes. Real sign-in events say
 * `AWS Console Sign In via CloudTrail`; the EventBridge User Guide spells it `AWS Console Signin via CloudTrail`
 * ("AWS service events delivered via AWS CloudTrail",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html): both are accepted.
 */
export const CLOUDTRAIL_DETAIL_TYPES = [
  'AWS API Call via CloudTrail',
  'AWS Console Sign In via CloudTrail',
  'AWS Console Signin via CloudTrail',
] as const;

/**
 * Regions whose CloudTrail events reach EventBridge only there: console sign-ins, IAM and other global services
 * record their events in us-east-1 (AWS CloudTrail User Guide, "AWS Management Console sign-in events").
 */
export const DEFAULT_FORWARDER_REGIONS = ['us-east-1'] as const;

/** Partition key (string) and TTL attribute (number, epoch seconds) of the dedupe table (`DEDUPE_TABLE_NAME`). */
export const DEDUPE_KEY_ATTRIBUTE = 'pk';
export const DEDUPE_TTL_ATTRIBUTE = 'expiresAt';

/** Environment variable names of the handler (DESIGN.md "Configuration"). */
export const ENV = {
  hookUrl: 'DOORAY_HOOK_URL',
  hookUrlParameter: 'DOORAY_HOOK_URL_PARAMETER',
  hookUrlSecretArn: 'DOORAY_HOOK_URL_SECRET_ARN',
  botName: 'DEFAULT_BOT_NAME',
  botIcon: 'DEFAULT_BOT_ICON',
  notifyStates: 'NOTIFY_STATES',
  subjectMap: 'SUBJECT_MAP',
  locale: 'ALERT_LOCALE',
  timezone: 'ALERT_TIMEZONE',
  minIntervalMs: 'DOORAY_MIN_INTERVAL_MS',
  allowedHosts: 'DOORAY_ALLOWED_HOSTS',
  dedupeTable: 'DEDUPE_TABLE_NAME',
  selfTestAlarmName: 'SELF_TEST_ALARM_NAME',
  testMarkKeySecretArn: 'TEST_MARK_KEY_SECRET_ARN',
  testMarkKey: 'TEST_MARK_KEY',
} as const;

/** The guide's default bot name (`DEFAULT_BOT_NAME`). */
export const DEFAULT_BOT_NAME = 'AlarmBot';
/** The guide's subject map: alarm name → subject used in the message text. */
export const DEFAULT_SUBJECT_MAP: Readonly<Record<string, string>> = { 'root-alert': 'root 계정' };
/** Alarm states that send a message unless `NOTIFY_STATES` says otherwise. */
export const DEFAULT_NOTIFY_STATES = ['ALARM'] as const;
/** Default locale and time zone of rendered messages. */
export const DEFAULT_LOCALE = 'ko';
export const DEFAULT_TIMEZONE = 'Asia/Seoul';
/** Least time between two posts to one Dooray hook, in ms: Dooray takes one message per second per hook. */
export const DEFAULT_MIN_INTERVAL_MS = 1_000;
/** Per-attempt HTTP timeout for a Dooray post, in ms (the guide's 5 s). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 5_000;
/** First retry back-off, in ms (the guide's 0.8 s), doubled per attempt, with jitter. */
export const DEFAULT_BACKOFF_BASE_MS = 800;
/** How long a webhook URL read from SSM or Secrets Manager is cached, in ms (DESIGN.md: 300 s). */
export const HOOK_URL_CACHE_MS = 300_000;

/** Mark put in front of texts sent on purpose as a test (DESIGN.md "Configuration"). */
export const TEST_MARK = { ko: '[테스트]', en: '[TEST]' } as const;
/** Mark of the scheduled self-test. */
export const SELF_TEST_MARK = { ko: '[정기 테스트]', en: '[SCHEDULED TEST]' } as const;
