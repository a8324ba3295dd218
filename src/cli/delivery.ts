import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SECRET_REF, settingName, SSM_PARAMETER_REF } from '../audit/hook-url-setting.js';
import { ENV } from '../defaults.js';
import { Pacer } from '../dooray/pacer.js';
import {
  createDoorayClient,
  DeliveryError,
  type AttemptRecord,
  type DoorayClient,
} from '../dooray/client.js';
import { LOCAL_TEST_MARK_KEY } from './test-event.js';
import { ConfigError, loadConfig, type HandlerConfig } from '../lambda/config.js';
import {
  createHandler,
  MemoryDedupe,
  type AlertHandler,
  type DecisionLogger,
  type HandlerDeps,
} from '../lambda/handler.js';
import { createHookUrlResolver, type HookUrlResolver } from '../lambda/hook-url.js';
import { clientConfig } from '../aws/clients.js';
import { resolveTarget, type AwsFlags } from './aws.js';
import { CliError, EXIT } from './errors.js';

/** Where `send-test` and `replay` read the webhook URL; at most one flag, else the Lambda's variables. */
export interface HookFlags {
  hookUrl?: string;
  parameter?: string;
  secret?: string;
}

/**
 * The handler configuration the Lambda would load from `env` (`loadConfig`), with the URL source replaced by
 * the one flag given (`--hook-url` → `DOORAY_HOOK_URL`, `--parameter` → `DOORAY_HOOK_URL_PARAMETER`,
 * `--secret` → `DOORAY_HOOK_URL_SECRET_ARN`). Throws a usage {@link CliError} for two flags or a bad value; a
 * parameter or secret setting that is not a name (e.g. the URL itself) is refused without quoting it.
 */
export function handlerConfigFrom(
  flags: HookFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
): HandlerConfig {
  const given = [flags.hookUrl, flags.parameter, flags.secret].filter((v) => v !== undefined);
  if (given.length > 1)
    throw new CliError('give at most one of --hook-url, --parameter, --secret', EXIT.usage);
  const merged =
    given.length === 0
      ? env
      : {
          ...env,
          [ENV.hookUrl]: flags.hookUrl ?? '',
          [ENV.hookUrlParameter]: flags.parameter ?? '',
          [ENV.hookUrlSecretArn]: flags.secret ?? '',
        };
  // A URL pasted where a name belongs is refused by name: the handler's own errors would quote the value.
  for (const [variable, flag, ref] of [
    [ENV.hookUrlParameter, '--parameter', SSM_PARAMETER_REF],
    [ENV.hookUrlSecretArn, '--secret', SECRET_REF],
  ] as const) {
    const value = merged[variable] ?? '';
    if (value.trim() !== '' && settingName(value, ref) === undefined) {
      throw new CliError(
        `${given.length === 0 ? variable : flag} holds no ${ref === SECRET_REF ? 'Secrets Manager secret ARN' : 'SSM parameter name'} (value not shown: it may be the webhook URL)`,
        EXIT.usage,
      );
    }
  }
  try {
    return loadConfig(merged);
  } catch (error) {
    if (error instanceof ConfigError) {
      const hint = given.length === 0 ? ' (or pass --hook-url, --parameter or --secret)' : '';
      throw new CliError(`${error.message}${hint}`, EXIT.usage);
    }
    throw error;
  }
}

/**
 * The URL resolver of `config`: reads SSM parameters and secrets with clients of `--region`/`--profile` (the
 * Region is only needed, and resolved, for those two sources).
 */
export async function hookUrlResolverFor(
  config: HandlerConfig,
  flags: Pick<AwsFlags, 'profile' | 'region' | 'awsTimeout'>,
): Promise<HookUrlResolver> {
  const source = config.hookUrlSource;
  if (source.kind === 'env') return createHookUrlResolver(source);
  const target = await resolveTarget(flags);
  return source.kind === 'parameter'
    ? createHookUrlResolver(source, {
        ssm: new SSMProvider({ awsSdkV3Client: new SSMClient(clientConfig(target)) }),
      })
    : createHookUrlResolver(source, {
        secrets: new SecretsProvider({
          awsSdkV3Client: new SecretsManagerClient(clientConfig(target)),
        }),
      });
}

/** A logger that drops the handler's structured lines: the CLI prints its own summary. */
const quietLogger: DecisionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The Lambda's handler wired for the CLI, and the HTTP attempts of its most recent post. */
export interface CliHandler {
  handler: AlertHandler;
  /** Attempts of the last post (success or failure), for printing. */
  lastAttempts(): readonly AttemptRecord[];
}

/**
 * Creates the same handler the Lambda runs (`createHandler`) for `config` and `hookUrl`, with one pacer for all
 * its posts and a Dooray client that records each post's HTTP attempts. `options` (default: a fresh dedupe
 * memory, flood control on, no log lines) lets `replay` use the Lambda's own dedupe table and session store, turn
 * flood control off (`HandlerDeps.floodControl`) and print the handler's warnings.
 */
export function cliHandler(
  config: HandlerConfig,
  hookUrl: HookUrlResolver,
  options: Pick<HandlerDeps, 'dedupe' | 'sessions' | 'floodControl' | 'logger'> = {},
): CliHandler {
  let attempts: readonly AttemptRecord[] = [];
  // One pacer for every post of this CLI run, as the Lambda keeps one per container (1 message/s per hook).
  const pacer = new Pacer();
  const dooray = (url: string): DoorayClient => {
    const client = createDoorayClient({
      url,
      allowedHosts: config.allowedHosts,
      minIntervalMs: config.minIntervalMs,
      pacer,
    });
    return {
      redactedUrl: client.redactedUrl,
      async post(message, options) {
        try {
          const outcome = await client.post(message, options);
          attempts = outcome.attemptLog;
          return outcome;
        } catch (error) {
          attempts = error instanceof DeliveryError ? error.attemptLog : [];
          throw error;
        }
      },
    };
  };
  return {
    handler: createHandler({
      config,
      hookUrl,
      dooray,
      dedupe: new MemoryDedupe(),
      logger: quietLogger,
      testMarkKey: async () => LOCAL_TEST_MARK_KEY, // this run's own marks (guideTestEvent) are tests
      ...options,
    }),
    lastAttempts: () => attempts,
  };
}
