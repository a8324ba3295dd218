/**
 * The configuration of the AWS SDK v3 clients that the operator tools create (the CLI commands and the audit's
 * collectors), and the one-line description of a failed call. Kept apart from the CLI so that library modules
 * (`src/audit/`) take it without importing a command's code.
 */

/**
 * Where AWS calls go: a region and an optional named profile of the shared config and credentials files.
 * Credentials come from the SDK's default chain (environment, `--profile`/`AWS_PROFILE`, SSO, web identity,
 * container and instance metadata), as the AWS CLI does.
 */
export interface AwsTarget {
  region: string;
  profile?: string;
  /** How long one AWS request may wait for its answer, in ms; default {@link AWS_REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
}

/** How long one AWS request of the operator tools may wait for its answer by default: 20 s. */
export const AWS_REQUEST_TIMEOUT_MS = 20_000;

/** How long opening the connection to an AWS endpoint may take: 5 s (or the request timeout, when shorter). */
export const AWS_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The configuration every AWS SDK v3 client of the operator tools takes: Region, profile, and a connect and a
 * request timeout that abort the request. `throwOnRequestTimeout` makes the request timeout an error
 * (`TimeoutError`, which the SDK retries as a transient error, 3 attempts in all); without it
 * `@smithy/node-http-handler` only logs a warning and waits on, so an endpoint that accepts the connection and
 * never answers would hang the command for ever (see `setRequestTimeout` in
 * https://github.com/smithy-lang/smithy-typescript/blob/main/packages/node-http-handler/src/set-request-timeout.ts).
 */
export function clientConfig(target: AwsTarget): {
  region: string;
  profile?: string;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
} {
  const requestTimeout = target.requestTimeoutMs ?? AWS_REQUEST_TIMEOUT_MS;
  return {
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    requestHandler: {
      connectionTimeout: Math.min(AWS_CONNECT_TIMEOUT_MS, requestTimeout),
      requestTimeout,
      throwOnRequestTimeout: true,
    },
  };
}

/** The error name of an AWS SDK v3 exception (`ResourceNotFoundException`, `AccessDenied`, …) or `Error`. */
export function awsErrorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/**
 * A one-line description of a failed AWS call for the operator: the operation, the error name and message.
 * AWS error messages name resources and actions, never credentials.
 */
export function describeAwsError(operation: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${operation} failed: ${awsErrorName(error)}${message && message !== awsErrorName(error) ? `: ${message}` : ''}`;
}
