/**
 * What a webhook-URL source variable (`DOORAY_HOOK_URL_PARAMETER`, `DOORAY_HOOK_URL_SECRET_ARN`) may be printed
 * as: its value only when it is the name it stands for, never when it may be the URL itself.
 */

/**
 * An SSM parameter name (`/path/name`, letters, digits, `_ . -` and `/`) or its ARN
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html).
 */
export const SSM_PARAMETER_REF =
  /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter)?\/?[A-Za-z0-9_.\-/]{1,2048}$/;

/**
 * A Secrets Manager secret ARN or name (letters, digits and `/ _ + = . @ -`)
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#SecretsManager-CreateSecret-request-Name).
 */
export const SECRET_REF =
  /^(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/;

/** A Dooray webhook path (`/services/<id>/<id>/<token>`): a URL typed without its scheme is still one. */
const HOOK_PATH = /\/services\/\d+\/\d+\//;

/**
 * The name a URL-source variable holds, when it is one (matches `ref` and has no URL or webhook path in it);
 * undefined when the value may hold the URL and must not be printed.
 */
export function settingName(value: string, ref: RegExp): string | undefined {
  const v = value.trim();
  return ref.test(v) && !v.includes('://') && !HOOK_PATH.test(v) ? v : undefined;
}
