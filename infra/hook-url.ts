import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ENV } from '../src/defaults.js';

/**
 * Where the Lambda finds the Dooray webhook URL (exactly one source: README "Configuration", `CONFIG_SCHEMA` in
 * src/lambda/config.ts).
 *
 * - `parameter`: an SSM Parameter Store SecureString. The handler reads it with decryption
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html).
 * - `secret`: a Secrets Manager secret holding the URL or JSON `{"url": …}`
 *   (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html).
 * - `plain`: the guide's `DOORAY_HOOK_URL` environment variable. The URL is a `NoEcho` CloudFormation
 *   parameter given at deploy time, so it is never in the template, but anyone who may read the function's
 *   configuration sees it.
 */
export type HookUrlSource =
  | {
      readonly kind: 'parameter';
      /** Parameter name, starting with `/` (e.g. `/secu-alert-dooray/hook-url`). */
      readonly parameterName: string;
      /** ARN of the customer-managed KMS key that encrypts the parameter; omit for the AWS-managed `aws/ssm`. */
      readonly kmsKeyArn?: string;
    }
  | {
      readonly kind: 'secret';
      /** Complete ARN of the secret (with the 6-character suffix Secrets Manager appends). */
      readonly secretArn: string;
      /** ARN of the customer-managed KMS key that encrypts the secret; omit for `aws/secretsmanager`. */
      readonly kmsKeyArn?: string;
    }
  | { readonly kind: 'plain' };

/** Name of the `NoEcho` CloudFormation parameter that carries the URL in `plain` mode. */
export const HOOK_URL_CFN_PARAMETER = 'DoorayHookUrl';

/** AWS service that decrypts the URL with a customer-managed key on the function's behalf. */
export type DecryptingService = 'ssm' | 'secretsmanager';

/** What the function needs for one URL source: its environment variable and its IAM statements. */
export interface HookUrlAccess {
  /** Environment variable name → value (a token for deploy-time values). */
  readonly environment: Readonly<Record<string, string>>;
  /** Least-privilege statements that let the function read the URL. */
  readonly statements: readonly iam.PolicyStatement[];
}

/** ARN of an SSM parameter whose name starts with `/` (the ARN then has no doubled slash). */
export function parameterArn(parameterName: string): string {
  return `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter${parameterName}`;
}

/**
 * `kms:Decrypt` on one key, only when called through the given services in this region
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 */
export function kmsDecryptStatement(
  keyArn: string,
  services: readonly DecryptingService[],
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DecryptHookUrl',
    actions: ['kms:Decrypt'],
    resources: [keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': services.map((service) => `${service}.${Aws.REGION}.amazonaws.com`) },
    },
  });
}

/** `ssm:GetParameter` on exactly one parameter. */
export function readParameterStatement(parameterName: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadHookUrlParameter',
    actions: ['ssm:GetParameter'],
    resources: [parameterArn(parameterName)],
  });
}

/** `secretsmanager:GetSecretValue` on exactly one secret. */
export function readSecretStatement(secretArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadHookUrlSecret',
    actions: ['secretsmanager:GetSecretValue'],
    resources: [secretArn],
  });
}

/**
 * The environment and permissions for a URL source that is known at synth time. `plainUrl` is the value
 * (a parameter reference token) used in `plain` mode.
 */
export function hookUrlAccess(source: HookUrlSource, plainUrl: () => string): HookUrlAccess {
  switch (source.kind) {
    case 'parameter':
      return {
        environment: { [ENV.hookUrlParameter]: source.parameterName },
        statements: [
          readParameterStatement(source.parameterName),
          ...(source.kmsKeyArn === undefined ? [] : [kmsDecryptStatement(source.kmsKeyArn, ['ssm'])]),
        ],
      };
    case 'secret':
      return {
        environment: { [ENV.hookUrlSecretArn]: source.secretArn },
        statements: [
          readSecretStatement(source.secretArn),
          ...(source.kmsKeyArn === undefined
            ? []
            : [kmsDecryptStatement(source.kmsKeyArn, ['secretsmanager'])]),
        ],
      };
    case 'plain':
      return { environment: { [ENV.hookUrl]: plainUrl() }, statements: [] };
  }
}

/** Rejects a parameter name that would not make a valid ARN with {@link parameterArn}, or a non-secret ARN. */
export function validateHookUrlSource(source: HookUrlSource): void {
  if (source.kind === 'parameter' && !source.parameterName.startsWith('/')) {
    throw new Error(`hook URL parameter name must start with "/": ${source.parameterName}`);
  }
  if (source.kind === 'secret' && !/^arn:[^:]+:secretsmanager:/.test(source.secretArn)) {
    throw new Error(`hook URL secret must be a Secrets Manager secret ARN: ${source.secretArn}`);
  }
}
