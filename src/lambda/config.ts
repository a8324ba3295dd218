export { HOOK_URL_VARIABLES, hookUrlSourceProblem } from '../defaults.js';
import {
  DEFAULT_BOT_NAME,
  DEFAULT_LOCALE,
  DEFAULT_DIGEST_MAX_DELAY_MS,
  DEFAULT_MIN_INTERVAL_MS,
  MAX_DIGEST_MAX_DELAY_MS,
  MIN_DIGEST_MAX_DELAY_MS,
  DEFAULT_NOTIFY_STATES,
  DEFAULT_TIMEZONE,
  ENV,
  hookUrlSourceProblem,
} from '../defaults.js';
import * as z from 'zod';
import type { Locale } from '../alert/alert.js';
import { isValidTimeZone } from '../alert/time.js';
import { HookUrlError, insideLambda, isHostPattern, parseHookUrl } from '../dooray/url.js';
import { ALARM_STATES, type AlarmState } from '../events/index.js';
import type { TestMarkKeySource } from '../alert/test-mark.js';

/** Where the webhook URL comes from: the env variable itself, an SSM SecureString parameter, or a secret. */
export type HookUrlSource =
  { kind: 'env'; url: string } | { kind: 'parameter'; name: string } | { kind: 'secret'; arn: string };

/** The handler's configuration (the variables of {@link CONFIG_SCHEMA}, README "Configuration"), validated. */
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
  /**
   * Flood control's bound (`DIGEST_MAX_DELAY_MS`), in ms: a held fast-path event is named in a delivered
   * digest at most this long after it was held (default `DEFAULT_DIGEST_MAX_DELAY_MS`, 5 minutes).
   */
  digestMaxDelayMs: number;
  /**
   * `ORGANIZATION_LOOKUP=true`: organization mode, every alert's account is looked up in AWS Organizations (name,
   * OU path), the function's own too. Otherwise only accounts other than the function's own are looked up.
   */
  organizationLookup: boolean;
  /**
   * `ROOT_CREDENTIALS_REMOVED_ACCOUNTS`: member accounts whose root credentials were removed (centralized root
   * access); a root sign-in, password recovery or `CreateLoginProfile` there is the most urgent alert.
   */
  rootCredentialsRemovedAccounts: string[];
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

/** SSM parameter names (`/a/b`, `a.b-c_d`) or a parameter ARN (Systems Manager API Reference, "PutParameter"). */
export const SSM_PARAMETER_NAME = /^[a-zA-Z0-9_.\-/]+$/;
/** A Secrets Manager secret ARN in any partition. */
export const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+/;
/** A DynamoDB table name: 3–255 of `a-z A-Z 0-9 _ . -` (Amazon DynamoDB Developer Guide, "Naming rules"). */
export const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
/** Largest `DOORAY_MIN_INTERVAL_MS`, in ms. */
export const MAX_MIN_INTERVAL_MS = 60_000;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** An environment variable: trimmed; unset or blank reads as undefined. */
const variable = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
  z.string().optional(),
);

/** A variable that, when set, must satisfy `valid`; `message` names the variable. */
const checked = (valid: (value: string) => boolean, message: string) =>
  variable.refine((value) => value === undefined || valid(value), message);

/**
 * The Lambda configuration as one zod schema over the environment (variable names from `ENV` in
 * `src/defaults.ts`, defaults of the guide). Every error message names its variable and never repeats the
 * webhook URL; {@link loadConfig} throws the first as a {@link ConfigError}.
 */
export const CONFIG_SCHEMA = z
  .object({
    [ENV.allowedHosts]: variable.transform(list).superRefine((hosts, ctx) => {
      const bad = hosts.findIndex((host) => !isHostPattern(host));
      if (bad >= 0) {
        // Never echo the entry: a hook URL pasted here by mistake carries its token.
        ctx.addIssue({
          code: 'custom',
          message: `${ENV.allowedHosts} entry ${bad + 1} of ${hosts.length} is not a host name: give host names (hooks.example.com) or *. followed by at least two labels (*.example.com), not URLs`,
        });
      }
    }),
    [ENV.hookUrl]: variable,
    [ENV.hookUrlParameter]: checked(
      (name) => SSM_PARAMETER_NAME.test(name) || name.startsWith('arn:'),
      `${ENV.hookUrlParameter} is not a valid SSM parameter name`,
    ),
    [ENV.hookUrlSecretArn]: checked(
      (arn) => SECRET_ARN.test(arn),
      `${ENV.hookUrlSecretArn} is not a Secrets Manager secret ARN`,
    ),
    [ENV.notifyStates]: variable
      .transform((value) => list(value ?? DEFAULT_NOTIFY_STATES.join(',')).map((s) => s.toUpperCase()))
      .superRefine((states, ctx) => {
        const bad = states.find((s) => !(ALARM_STATES as readonly string[]).includes(s));
        if (bad !== undefined || states.length === 0) {
          ctx.addIssue({
            code: 'custom',
            message:
              `${ENV.notifyStates} must list states among ${ALARM_STATES.join(', ')}` +
              (bad === undefined ? '' : `; "${bad.slice(0, 40)}" is not one`),
          });
        }
      })
      .transform((states) => states as AlarmState[]),
    [ENV.subjectMap]: variable.transform((text, ctx): Record<string, string> => {
      if (text === undefined) return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `${ENV.subjectMap} is not valid JSON (expected an object of alarm name → subject)`,
        });
        return z.NEVER;
      }
      const map = z.record(z.string(), z.string().trim().min(1)).safeParse(parsed);
      if (!map.success || Array.isArray(parsed)) {
        ctx.addIssue({
          code: 'custom',
          message: `${ENV.subjectMap} must be a JSON object whose values are non-empty strings`,
        });
        return z.NEVER;
      }
      return parsed as Record<string, string>;
    }),
    [ENV.locale]: variable
      .transform((value) => (value ?? DEFAULT_LOCALE).toLowerCase())
      .pipe(z.enum(['ko', 'en'], { error: `${ENV.locale} must be ko or en` })),
    [ENV.timezone]: variable
      .transform((value) => value ?? DEFAULT_TIMEZONE)
      .refine(isValidTimeZone, `${ENV.timezone} is not a known IANA time zone`),
    [ENV.minIntervalMs]: checked(
      (text) => /^\d+$/.test(text) && Number(text) <= MAX_MIN_INTERVAL_MS,
      `${ENV.minIntervalMs} must be a whole number of ms from 0 to ${MAX_MIN_INTERVAL_MS}`,
    ).transform((text) => (text === undefined ? DEFAULT_MIN_INTERVAL_MS : Number(text))),
    [ENV.botIcon]: checked(
      (url) => /^https?:\/\/\S+$/.test(url),
      `${ENV.botIcon} must be an http(s) image URL`,
    ),
    [ENV.dedupeTable]: checked(
      (name) => TABLE_NAME.test(name),
      `${ENV.dedupeTable} is not a DynamoDB table name (3–255 of a-z A-Z 0-9 _ . -)`,
    ),
    [ENV.botName]: variable.transform((value) => value ?? DEFAULT_BOT_NAME),
    [ENV.selfTestAlarmName]: variable,
    [ENV.testMarkKeySecretArn]: checked(
      (arn) => SECRET_ARN.test(arn),
      `${ENV.testMarkKeySecretArn} is not a Secrets Manager secret ARN`,
    ),
    [ENV.testMarkKey]: checked(
      (key) => key.length >= 16,
      `${ENV.testMarkKey} must be at least 16 characters`,
    ),
    [ENV.organizationLookup]: variable
      .transform((value) => (value ?? 'false').toLowerCase())
      .pipe(z.enum(['true', 'false'], { error: `${ENV.organizationLookup} must be true or false` }))
      .transform((value) => value === 'true'),
    [ENV.rootCredentialsRemovedAccounts]: variable.transform(list).superRefine((ids, ctx) => {
      const bad = ids.find((id) => !/^\d{12}$/.test(id));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${ENV.rootCredentialsRemovedAccounts} must list 12-digit account ids separated by commas; "${bad.slice(0, 20)}" is not one`,
        });
      }
    }),
    /** Set by Lambda: inside it, the webhook must be https on 443 to a Dooray (or allowed) host. */
    AWS_LAMBDA_FUNCTION_NAME: variable,
    [ENV.digestMaxDelayMs]: checked(
      (text) =>
        /^\d+$/.test(text) &&
        Number(text) >= MIN_DIGEST_MAX_DELAY_MS &&
        Number(text) <= MAX_DIGEST_MAX_DELAY_MS,
      `${ENV.digestMaxDelayMs} must be a whole number of ms from ${MIN_DIGEST_MAX_DELAY_MS} to ${MAX_DIGEST_MAX_DELAY_MS}`,
    ).transform((text) => (text === undefined ? DEFAULT_DIGEST_MAX_DELAY_MS : Number(text))),
  })
  .transform((env, ctx): HandlerConfig => {
    const problem = hookUrlSourceProblem((name) => env[name as keyof typeof env] !== undefined);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    const url = env[ENV.hookUrl];
    const parameter = env[ENV.hookUrlParameter];
    const arn = env[ENV.hookUrlSecretArn];
    let hookUrlSource: HookUrlSource;
    if (url !== undefined) {
      try {
        parseHookUrl(url, env[ENV.allowedHosts], ENV.hookUrl, {
          lambda: insideLambda({ AWS_LAMBDA_FUNCTION_NAME: env.AWS_LAMBDA_FUNCTION_NAME }),
        });
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: error instanceof HookUrlError ? error.message : `${ENV.hookUrl} is invalid`,
        });
        return z.NEVER;
      }
      hookUrlSource = { kind: 'env', url };
    } else if (parameter !== undefined) {
      hookUrlSource = { kind: 'parameter', name: parameter };
    } else {
      hookUrlSource = { kind: 'secret', arn: arn ?? '' };
    }
    const testMarkKeyArn = env[ENV.testMarkKeySecretArn];
    const testMarkKeyText = env[ENV.testMarkKey];
    if (testMarkKeyArn !== undefined && testMarkKeyText !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `set at most one of ${ENV.testMarkKeySecretArn} and ${ENV.testMarkKey}`,
      });
      return z.NEVER;
    }
    const testMarkKey: TestMarkKeySource | undefined = testMarkKeyArn
      ? { kind: 'secret', arn: testMarkKeyArn }
      : testMarkKeyText
        ? { kind: 'plain', key: testMarkKeyText }
        : undefined;
    const selfTestAlarmName = env[ENV.selfTestAlarmName];
    const botIconImage = env[ENV.botIcon];
    const dedupeTableName = env[ENV.dedupeTable];
    return {
      hookUrlSource,
      botName: env[ENV.botName],
      ...(botIconImage ? { botIconImage } : {}),
      notifyStates: env[ENV.notifyStates],
      subjectMap: env[ENV.subjectMap],
      locale: env[ENV.locale] as Locale,
      timeZone: env[ENV.timezone],
      minIntervalMs: env[ENV.minIntervalMs],
      allowedHosts: env[ENV.allowedHosts],
      ...(dedupeTableName ? { dedupeTableName } : {}),
      ...(selfTestAlarmName ? { selfTestAlarmName } : {}),
      ...(testMarkKey ? { testMarkKey } : {}),
      digestMaxDelayMs: env[ENV.digestMaxDelayMs],
      organizationLookup: env[ENV.organizationLookup],
      rootCredentialsRemovedAccounts: env[ENV.rootCredentialsRemovedAccounts],
    };
  });

/**
 * Reads and validates the handler configuration from environment variables with {@link CONFIG_SCHEMA}:
 * exactly one of `DOORAY_HOOK_URL`, `DOORAY_HOOK_URL_PARAMETER`, `DOORAY_HOOK_URL_SECRET_ARN`; `DEFAULT_BOT_NAME`
 * (default `AlarmBot`), `DEFAULT_BOT_ICON`, `NOTIFY_STATES` (default `ALARM`), `SUBJECT_MAP` (JSON object),
 * `ALERT_LOCALE` (`ko`/`en`), `ALERT_TIMEZONE` (IANA, default `Asia/Seoul`), `DOORAY_MIN_INTERVAL_MS` (default
 * 1000), `DOORAY_ALLOWED_HOSTS` (comma-separated), `DEDUPE_TABLE_NAME` (a DynamoDB table name),
 * `DIGEST_MAX_DELAY_MS` (60000–3600000, default 300000),
 * `SELF_TEST_ALARM_NAME`, at most one of `TEST_MARK_KEY_SECRET_ARN` and `TEST_MARK_KEY` (≥ 16 characters),
 * `ORGANIZATION_LOOKUP` (`true`/`false`, default false), `ROOT_CREDENTIALS_REMOVED_ACCOUNTS` (comma-separated
 * 12-digit account ids). Throws
 * {@link ConfigError} naming the variable (the first problem found).
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): HandlerConfig {
  const result = CONFIG_SCHEMA.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues[0]?.message ?? 'the configuration is invalid');
  }
  return result.data;
}
