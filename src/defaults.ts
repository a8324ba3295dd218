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
 * The handler returns or throws at least this long before the Lambda timeout, in ms, whatever its endpoints do
 * (the top-level guard of `src/lambda/handler.ts`). Less than {@link DELIVERY_DEADLINE_MARGIN_MS}: the work after
 * a successful post (remember) has the time between the two.
 */
export const HANDLER_DEADLINE_MARGIN_MS = 1_000;
/** Longest wait for the webhook URL from SSM or Secrets Manager, in ms (also bounded by the delivery deadline). */
export const HOOK_URL_TIMEOUT_MS = 4_000;
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
 * Connection and request timeouts of the Lambda's own AWS SDK clients (DynamoDB, IAM, SSM, Secrets Manager,
 * CloudWatch Logs, Organizations), in ms, within {@link STORE_TIMEOUT_MS}: an endpoint that accepts and never
 * answers fails fast. Smithy `NodeHttpHandlerOptions`: `requestTimeout` only logs a warning unless
 * `throwOnRequestTimeout` is true, which destroys the request and rejects with a `TimeoutError`
 * (https://github.com/smithy-lang/smithy-typescript/blob/main/packages/node-http-handler/src/set-request-timeout.ts).
 */
export const LAMBDA_SDK_TIMEOUTS = {
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
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
 * Regions whose root-usage events are forwarded to the main Region's fast path by default: every commercial
 * Region that AWS enables by default in a new account (those introduced before 20 March 2019). Opt-in Regions
 * (af-south-1, ap-east-1, ap-south-2, ap-southeast-3 and later, eu-south-1, eu-central-2, me-south-1, …) are
 * disabled until the account enables them: add those it has enabled with `-c fastPathRegions=` (the whole list,
 * comma-separated), see `docs/fast-path.md`. CloudTrail events reach EventBridge only in the Region they are
 * recorded in, and console sign-ins, IAM and other global services record theirs in us-east-1.
 * Sources: AWS Account Management Reference Guide, "Enable or disable AWS Regions in your account"
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html); AWS General Reference,
 * "AWS Regions" (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
 */
export const DEFAULT_FORWARDER_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

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
  digestMaxDelayMs: 'DIGEST_MAX_DELAY_MS',
  organizationLookup: 'ORGANIZATION_LOOKUP',
  rootCredentialsRemovedAccounts: 'ROOT_CREDENTIALS_REMOVED_ACCOUNTS',
} as const;

/** The variables that can carry the webhook URL; exactly one must be set. */
export const HOOK_URL_VARIABLES = [ENV.hookUrl, ENV.hookUrlParameter, ENV.hookUrlSecretArn] as const;

/**
 * The one check of "exactly one URL source": the names among {@link HOOK_URL_VARIABLES} that `isSet`, and the
 * error text when that is not exactly one (undefined when it is).
 */
export function hookUrlSourceProblem(isSet: (name: string) => boolean): string | undefined {
  const sources = HOOK_URL_VARIABLES.filter(isSet);
  if (sources.length === 1) return undefined;
  return (
    `set exactly one of ${ENV.hookUrl}, ${ENV.hookUrlParameter} or ${ENV.hookUrlSecretArn} ` +
    `(${sources.length === 0 ? 'none is set' : `${sources.join(' and ')} are set`})`
  );
}

/**
 * Flood control's bound (`DIGEST_MAX_DELAY_MS`), in ms: every fast-path event held for its root session's
 * digest is named in a delivered message at most this long after it was held (5 minutes), by the session's
 * next event or by the scheduled flush ({@link FLUSH_INPUT}).
 */
export const DEFAULT_DIGEST_MAX_DELAY_MS = 300_000;
/** Smallest and largest `DIGEST_MAX_DELAY_MS`: 1 minute (the flush schedule's rate) to 1 hour. */
export const MIN_DIGEST_MAX_DELAY_MS = 60_000;
export const MAX_DIGEST_MAX_DELAY_MS = 3_600_000;
/**
 * The input of the scheduled flush: the schedule (EventBridge Scheduler, `rate(1 minute)`,
 * {@link FLUSH_SCHEDULE_EXPRESSION}) invokes the function with exactly this JSON object as the event; the
 * handler then delivers every root session's digest that is due (`src/lambda/steps/flush.ts`). A failed
 * digest fails the invocation, so the schedule's retry policy and dead-letter queue keep it.
 */
export const FLUSH_INPUT = { secuAlert: 'flush' } as const;
/** How often the flush runs: its schedule expression and its period in ms. */
export const FLUSH_SCHEDULE_EXPRESSION = 'rate(1 minute)';
export const FLUSH_PERIOD_MS = 60_000;

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
