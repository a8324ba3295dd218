import {
  DEFAULT_BOT_NAME,
  DEFAULT_LOCALE,
  DEFAULT_MIN_INTERVAL_MS,
  DEFAULT_NOTIFY_STATES,
  DEFAULT_TIMEZONE,
  ENV,
} from '../defaults.js';
import type { Locale } from '../alert/alert.js';
import { isValidTimeZone } from '../alert/time.js';
import { HookUrlError, insideLambda, isHostPattern, parseHookUrl } from '../dooray/url.js';
import { ALARM_STATES, type AlarmState } from '../events/index.js';
import type { TestMarkKeySource } from '../alert/test-mark.js';

/** Where the webhook URL comes from: the env variable itself, an SSM SecureString parameter, or a secret. */
export type HookUrlSource =
  { kind: 'env'; url: string } | { kind: 'parameter'; name: string } | { kind: 'secret'; arn: string };

/** The handler's configuration (DESIGN.md "Configuration"), validated. */
export interface HandlerConfig {
  hookUrlSource: HookUrlSource;
  botName: string;
  botIconImage?: string;
  notifyStates: AlarmState[];
  /** `SUBJECT_MAP`, merged by `toAlert` over the locale's defaults. */
  subjectMap: Record<string, string>;
  locale: Locale;
  /** IANA time zone for times in messages. */
  timeZone: string;
  /** Least time between posts to one hook in a container, in ms. */
  minIntervalMs: number;
  allowedHosts: string[];
  /**
   * DynamoDB table shared by invocations that remembers delivered alerts and announced CloudTrail events
   * (`DEDUPE_TABLE_NAME`); absent: each container remembers in memory only.
   */
  dedupeTableName?: string;
  /** The stack's self-test alarm (`SELF_TEST_ALARM_NAME`): its alerts are trusted tests. */
  selfTestAlarmName?: string;
  /** The test-mark key (`TEST_MARK_KEY_SECRET_ARN`, or plain `TEST_MARK_KEY` for local runs and tests). */
  testMarkKey?: TestMarkKeySource;
}

/**
 * A configuration variable is missing or invalid. The message names the variable and never repeats the
 * webhook URL.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+/;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Reads and validates the handler configuration from environment variables (DESIGN.md's table):
 * exactly one of `DOORAY_HOOK_URL`, `DOORAY_HOOK_URL_PARAMETER`, `DOORAY_HOOK_URL_SECRET_ARN`; `DEFAULT_BOT_NAME`
 * (default `AlarmBot`), `DEFAULT_BOT_ICON`, `NOTIFY_STATES` (default `ALARM`), `SUBJECT_MAP` (JSON object),
 * `ALERT_LOCALE` (`ko`/`en`), `ALERT_TIMEZONE` (IANA, default `Asia/Seoul`), `DOORAY_MIN_INTERVAL_MS` (default
 * 1000), `DOORAY_ALLOWED_HOSTS` (comma-separated), `DEDUPE_TABLE_NAME` (a DynamoDB table name),
 * `SELF_TEST_ALARM_NAME`, at most one of `TEST_MARK_KEY_SECRET_ARN` and `TEST_MARK_KEY` (≥ 16 characters). Throws
 * {@link ConfigError} naming the variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): HandlerConfig {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const allowedHosts = list(get(ENV.allowedHosts));
  const badHost = allowedHosts.findIndex((host) => !isHostPattern(host));
  if (badHost >= 0) {
    // Never echo the entry: a hook URL pasted here by mistake carries its token.
    throw new ConfigError(
      `${ENV.allowedHosts} entry ${badHost + 1} of ${allowedHosts.length} is not a host name: give host names (hooks.example.com) or *. followed by at least two labels (*.example.com), not URLs`,
    );
  }
  const sources = [ENV.hookUrl, ENV.hookUrlParameter, ENV.hookUrlSecretArn].filter(
    (name) => get(name) !== undefined,
  );
  if (sources.length !== 1) {
    throw new ConfigError(
      `set exactly one of ${ENV.hookUrl}, ${ENV.hookUrlParameter} or ${ENV.hookUrlSecretArn} ` +
        `(${sources.length === 0 ? 'none is set' : `${sources.join(' and ')} are set`})`,
    );
  }
  const [sourceName] = sources;
  const sourceValue = (sourceName && get(sourceName)) ?? '';
  let hookUrlSource: HookUrlSource;
  if (sourceName === ENV.hookUrl) {
    const url = sourceValue;
    try {
      parseHookUrl(url, allowedHosts, ENV.hookUrl, { lambda: insideLambda(env) });
    } catch (error) {
      throw new ConfigError(error instanceof HookUrlError ? error.message : `${ENV.hookUrl} is invalid`);
    }
    hookUrlSource = { kind: 'env', url };
  } else if (sourceName === ENV.hookUrlParameter) {
    const name = sourceValue;
    if (!/^[a-zA-Z0-9_.\-/]+$/.test(name) && !name.startsWith('arn:')) {
      throw new ConfigError(`${ENV.hookUrlParameter} is not a valid SSM parameter name`);
    }
    hookUrlSource = { kind: 'parameter', name };
  } else {
    const arn = sourceValue;
    if (!SECRET_ARN.test(arn)) {
      throw new ConfigError(`${ENV.hookUrlSecretArn} is not a Secrets Manager secret ARN`);
    }
    hookUrlSource = { kind: 'secret', arn };
  }

  const notifyStates = list(get(ENV.notifyStates) ?? DEFAULT_NOTIFY_STATES.join(',')).map((s) =>
    s.toUpperCase(),
  );
  const badState = notifyStates.find((s) => !(ALARM_STATES as readonly string[]).includes(s));
  if (badState !== undefined || notifyStates.length === 0) {
    throw new ConfigError(
      `${ENV.notifyStates} must list states among ${ALARM_STATES.join(', ')}` +
        (badState === undefined ? '' : `; "${badState.slice(0, 40)}" is not one`),
    );
  }

  let subjectMap: Record<string, string> = {};
  const subjectMapText = get(ENV.subjectMap);
  if (subjectMapText !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(subjectMapText);
    } catch {
      throw new ConfigError(
        `${ENV.subjectMap} is not valid JSON (expected an object of alarm name → subject)`,
      );
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.values(parsed).some((v) => typeof v !== 'string' || v.trim() === '')
    ) {
      throw new ConfigError(`${ENV.subjectMap} must be a JSON object whose values are non-empty strings`);
    }
    subjectMap = parsed as Record<string, string>;
  }

  const locale = (get(ENV.locale) ?? DEFAULT_LOCALE).toLowerCase();
  if (locale !== 'ko' && locale !== 'en') throw new ConfigError(`${ENV.locale} must be ko or en`);

  const timeZone = get(ENV.timezone) ?? DEFAULT_TIMEZONE;
  if (!isValidTimeZone(timeZone)) throw new ConfigError(`${ENV.timezone} is not a known IANA time zone`);

  const intervalText = get(ENV.minIntervalMs);
  const minIntervalMs = intervalText === undefined ? DEFAULT_MIN_INTERVAL_MS : Number(intervalText);
  if ((intervalText !== undefined && !/^\d+$/.test(intervalText)) || minIntervalMs > 60_000) {
    throw new ConfigError(`${ENV.minIntervalMs} must be a whole number of ms from 0 to 60000`);
  }

  const botIconImage = get(ENV.botIcon);
  if (botIconImage !== undefined && !/^https?:\/\/\S+$/.test(botIconImage)) {
    throw new ConfigError(`${ENV.botIcon} must be an http(s) image URL`);
  }

  const dedupeTableName = get(ENV.dedupeTable);
  if (dedupeTableName !== undefined && !/^[a-zA-Z0-9_.-]{3,255}$/.test(dedupeTableName)) {
    throw new ConfigError(`${ENV.dedupeTable} is not a DynamoDB table name (3–255 of a-z A-Z 0-9 _ . -)`);
  }

  const testMarkKeyArn = get(ENV.testMarkKeySecretArn);
  const testMarkKeyText = get(ENV.testMarkKey);
  if (testMarkKeyArn !== undefined && testMarkKeyText !== undefined) {
    throw new ConfigError(`set at most one of ${ENV.testMarkKeySecretArn} and ${ENV.testMarkKey}`);
  }
  if (testMarkKeyArn !== undefined && !SECRET_ARN.test(testMarkKeyArn)) {
    throw new ConfigError(`${ENV.testMarkKeySecretArn} is not a Secrets Manager secret ARN`);
  }
  if (testMarkKeyText !== undefined && testMarkKeyText.length < 16) {
    throw new ConfigError(`${ENV.testMarkKey} must be at least 16 characters`);
  }
  const testMarkKey: TestMarkKeySource | undefined = testMarkKeyArn
    ? { kind: 'secret', arn: testMarkKeyArn }
    : testMarkKeyText
      ? { kind: 'plain', key: testMarkKeyText }
      : undefined;
  const selfTestAlarmName = get(ENV.selfTestAlarmName);

  return {
    hookUrlSource,
    botName: get(ENV.botName) ?? DEFAULT_BOT_NAME,
    ...(botIconImage ? { botIconImage } : {}),
    notifyStates: notifyStates as AlarmState[],
    subjectMap,
    locale,
    timeZone,
    minIntervalMs,
    allowedHosts,
    ...(dedupeTableName ? { dedupeTableName } : {}),
    ...(selfTestAlarmName ? { selfTestAlarmName } : {}),
    ...(testMarkKey ? { testMarkKey } : {}),
  };
}
