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
}

/** The configuration every AWS SDK v3 client of the CLI takes: Region, profile, connect 5 s and request 20 s timeouts. */
export function clientConfig(target: AwsTarget): {
  region: string;
  profile?: string;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
} {
  return {
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    // An endpoint that accepts the connection and never answers must end in an error, not a hang.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
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
