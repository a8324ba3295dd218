/**
 * The seed guide's names and defaults, in one place with no imports, so that the Lambda, the CLI and the CDK
 * app (`infra/`) agree: the reference guide's names (see `README.md`) and the project's
 * defaults (`docs/architecture.md`, "Where to change what").
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

/** Lambda time budget (`docs/architecture.md`, steps and their budgets): timeout in seconds and memory in MB. */
export const LAMBDA_TIMEOUT_SECONDS = 60;
export const LAMBDA_MEMORY_MB = 256;
/** Longest time spent looking up the CloudTrail events behind an alarm (enrichment), in ms. */
export const ENRICHMENT_BUDGET_MS = 5_000;
/** Most CloudTrail events shown in full in one alarm message. */
export const MAX_EVENTS_SHOWN = 5;
/** Safety margin kept before the Lambda timeout when delivering, in ms. */
export const DELIVERY_DEADLINE_MARGIN_MS = 3_000;
/**
 * Longest wait of the handler for the dedupe or session store and the account-alias lookup, in ms: a store or
 * IAM that does not answer must not hold an alert past the Lambda's budget (`src/lambda/steps/policy.ts`).
 */
export const STORE_TIMEOUT_MS = 2_000;
/**
 * Time the handler gives AWS Organizations to name an alert's account(s), in ms: an uncached lookup is a
 * `DescribeAccount` beside a `ListParents`/`DescribeOrganizationalUnit` walk (src/lambda/organization.ts).
 */
export const ORGANIZATION_BUDGET_MS = 3_000;
/**
 * Connection and request timeouts of the Lambda's own AWS SDK clients (DynamoDB, IAM), in ms, within
 * {@link STORE_TIMEOUT_MS}: a table or IAM that does not answer fails fast (Smithy `requestHandler` options).
 */
export const LAMBDA_SDK_TIMEOUTS = {
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
} as const;

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

/**
 * The three alarm states of CloudWatch (Amazon CloudWatch API Reference, "MetricAlarm" → `StateValue`,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html).
 */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
/** One of {@link ALARM_STATES}. */
export type AlarmState = (typeof ALARM_STATES)[number];

/**
 * The form of an AWS Region code, the one definition used by the handler, the CLI and the CDK app: a
 * two-letter area, an optional partition part (`-gov`, `-iso`, `-isob`…), a direction or place, and a number
 * (`us-east-1`, `ap-northeast-2`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`, `il-central-1`, `mx-central-1`,
 * `ap-southeast-5`). Source: "AWS Regions",
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const REGION_CODE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** Environment variable names of the handler, checked by `CONFIG_SCHEMA` (`src/lambda/config.ts`). */
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
  organizationLookup: 'ORGANIZATION_LOOKUP',
  rootCredentialsRemovedAccounts: 'ROOT_CREDENTIALS_REMOVED_ACCOUNTS',
} as const;

/** The guide's default bot name (`DEFAULT_BOT_NAME`). */
export const DEFAULT_BOT_NAME = 'AlarmBot';
/**
 * The subject map, the one place for it: alarm name → subject of the message's headline, per message language
 * (`ALERT_LOCALE`); `SUBJECT_MAP` entries are merged over it. Korean is the guide's own (`root 계정`).
 */
export const DEFAULT_SUBJECTS = {
  ko: { 'root-alert': 'root 계정' },
  en: { 'root-alert': 'root account' },
} as const satisfies Readonly<Record<string, Readonly<Record<string, string>>>>;
/** The guide's subject map (Korean): alarm name → subject used in the message text. */
export const DEFAULT_SUBJECT_MAP: Readonly<Record<string, string>> = DEFAULT_SUBJECTS.ko;
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
/** How long a webhook URL read from SSM or Secrets Manager is cached, in ms: 300 s. */
export const HOOK_URL_CACHE_MS = 300_000;

/** Mark put in front of texts sent on purpose as a test (`testMarkOf`, `src/alert/alert.ts`). */
export const TEST_MARK = { ko: '[테스트]', en: '[TEST]' } as const;
/** Mark of the scheduled self-test. */
export const SELF_TEST_MARK = { ko: '[정기 테스트]', en: '[SCHEDULED TEST]' } as const;
