import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ENV, HOOK_URL_CACHE_MS, LAMBDA_SDK_TIMEOUTS } from '../defaults.js';
import type { HookUrlSource } from './config.js';

/** The webhook URL could not be read from SSM or Secrets Manager. The message never holds the URL. */
export class HookUrlUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookUrlUnavailableError';
  }
}

/** Gives the webhook URL, cached; `refresh` re-reads it (after a 401, 403 or 404: the URL may have rotated). */
export interface HookUrlResolver {
  /** True when the URL comes from SSM or Secrets Manager, so re-reading may give a new one. */
  readonly refreshable: boolean;
  /** Where the URL comes from, for logs (`DOORAY_HOOK_URL`, `SSM parameter /x`, `secret arn:…`). */
  readonly description: string;
  get(options?: { refresh?: boolean }): Promise<string>;
}

/**
 * Reads the URL from a Secrets Manager secret's string: either the URL itself or JSON `{"url": "…"}`.
 * Throws {@link HookUrlUnavailableError} for any other shape.
 */
export function urlFromSecretString(value: string, arn: string): string {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new HookUrlUnavailableError(`secret ${arn} holds text starting with "{" that is not valid JSON`);
  }
  const url = (parsed as { url?: unknown }).url;
  if (typeof url !== 'string')
    throw new HookUrlUnavailableError(`secret ${arn} is JSON without a "url" string`);
  return url.trim();
}

function awsErrorName(error: unknown): string {
  const e = error as { name?: string; cause?: { name?: string } };
  return e.cause?.name ?? e.name ?? 'error';
}

/**
 * Creates the resolver for a configured source. SSM parameters are read with decryption and secrets by ARN,
 * through Powertools for AWS Lambda Parameters (AWS SDK v3 underneath), cached for `HOOK_URL_CACHE_MS` (300 s, `src/defaults.ts`).
 * The providers (and with them the AWS SDK clients) are loaded on the first read, so the guide's plain
 * `DOORAY_HOOK_URL` mode does not pay for them at cold start. Their clients carry `LAMBDA_SDK_TIMEOUTS`
 * (connect 1 s, request 2 s, throwing): an endpoint that never answers ends in `HookUrlUnavailableError`
 * (`TimeoutError`); the deliver step bounds the whole read as well (`STEP_POLICIES.hookUrl`).
 */
export function createHookUrlResolver(
  source: HookUrlSource,
  providers: { ssm?: SSMProvider; secrets?: SecretsProvider } = {},
): HookUrlResolver {
  const maxAge = HOOK_URL_CACHE_MS / 1000;
  switch (source.kind) {
    case 'env':
      return { refreshable: false, description: ENV.hookUrl, get: async () => source.url };
    case 'parameter': {
      let ssm = providers.ssm;
      return {
        refreshable: true,
        description: `SSM parameter ${source.name}`,
        async get(options = {}) {
          let value: unknown;
          try {
            ssm ??= new (await import('@aws-lambda-powertools/parameters/ssm')).SSMProvider({
              awsSdkV3Client: new (await import('@aws-sdk/client-ssm')).SSMClient(LAMBDA_SDK_TIMEOUTS),
            });
            value = await ssm.get(source.name, {
              decrypt: true,
              maxAge,
              forceFetch: options.refresh === true,
            });
          } catch (error) {
            throw new HookUrlUnavailableError(
              `could not read the webhook URL from SSM parameter ${source.name} (${ENV.hookUrlParameter}): ${awsErrorName(error)}`,
            );
          }
          if (typeof value !== 'string' || value.trim() === '') {
            throw new HookUrlUnavailableError(
              `SSM parameter ${source.name} (${ENV.hookUrlParameter}) is empty`,
            );
          }
          return value.trim();
        },
      };
    }
    case 'secret': {
      let secrets = providers.secrets;
      return {
        refreshable: true,
        description: `secret ${source.arn}`,
        async get(options = {}) {
          let value: unknown;
          try {
            secrets ??= new (await import('@aws-lambda-powertools/parameters/secrets')).SecretsProvider({
              awsSdkV3Client: new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient(
                LAMBDA_SDK_TIMEOUTS,
              ),
            });
            value = await secrets.get(source.arn, { maxAge, forceFetch: options.refresh === true });
          } catch (error) {
            throw new HookUrlUnavailableError(
              `could not read the webhook URL from secret ${source.arn} (${ENV.hookUrlSecretArn}): ${awsErrorName(error)}`,
            );
          }
          if (typeof value !== 'string') {
            throw new HookUrlUnavailableError(
              `secret ${source.arn} (${ENV.hookUrlSecretArn}) has no string value`,
            );
          }
          return urlFromSecretString(value, source.arn);
        },
      };
    }
  }
}
