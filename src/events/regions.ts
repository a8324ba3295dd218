import { REGION_CODE } from '../defaults.js';

/**
 * AWS Region codes and the names CloudWatch writes in the `Region` field and the Subject of alarm notifications.
 * The first name of each code is the one CloudWatch writes (`EU (Ireland)`, not the console's `Europe (Ireland)`:
 * names seen in real alarm messages); the others are spellings seen in older messages (`US - N. Virginia`,
 * `US (Virginia)`) and the names of "AWS Regions"
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html), accepted when reading.
 */
const REGION_NAMES: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['US East (N. Virginia)', 'US - N. Virginia', 'US (Virginia)', 'US East (Northern Virginia)'],
  'us-east-2': ['US East (Ohio)'],
  'us-west-1': ['US West (N. California)', 'US West (Northern California)'],
  'us-west-2': ['US West (Oregon)'],
  'af-south-1': ['Africa (Cape Town)'],
  'ap-east-1': ['Asia Pacific (Hong Kong)'],
  'ap-east-2': ['Asia Pacific (Taipei)'],
  'ap-south-1': ['Asia Pacific (Mumbai)'],
  'ap-south-2': ['Asia Pacific (Hyderabad)'],
  'ap-southeast-1': ['Asia Pacific (Singapore)'],
  'ap-southeast-2': ['Asia Pacific (Sydney)'],
  'ap-southeast-3': ['Asia Pacific (Jakarta)'],
  'ap-southeast-4': ['Asia Pacific (Melbourne)'],
  'ap-southeast-5': ['Asia Pacific (Malaysia)'],
  'ap-southeast-6': ['Asia Pacific (New Zealand)'],
  'ap-southeast-7': ['Asia Pacific (Thailand)'],
  'ap-northeast-1': ['Asia Pacific (Tokyo)'],
  'ap-northeast-2': ['Asia Pacific (Seoul)'],
  'ap-northeast-3': ['Asia Pacific (Osaka)', 'Asia Pacific (Osaka-Local)'],
  'ca-central-1': ['Canada (Central)'],
  'ca-west-1': ['Canada West (Calgary)'],
  'eu-central-1': ['EU (Frankfurt)', 'Europe (Frankfurt)'],
  'eu-central-2': ['EU (Zurich)', 'Europe (Zurich)'],
  'eu-west-1': ['EU (Ireland)', 'Europe (Ireland)'],
  'eu-west-2': ['EU (London)', 'Europe (London)'],
  'eu-west-3': ['EU (Paris)', 'Europe (Paris)'],
  'eu-south-1': ['EU (Milan)', 'Europe (Milan)'],
  'eu-south-2': ['EU (Spain)', 'Europe (Spain)'],
  'eu-north-1': ['EU (Stockholm)', 'Europe (Stockholm)'],
  'il-central-1': ['Israel (Tel Aviv)'],
  'me-south-1': ['Middle East (Bahrain)'],
  'me-central-1': ['Middle East (UAE)'],
  'mx-central-1': ['Mexico (Central)'],
  'sa-east-1': ['South America (Sao Paulo)', 'South America (São Paulo)'],
  'cn-north-1': ['China (Beijing)'],
  'cn-northwest-1': ['China (Ningxia)'],
  'us-gov-east-1': ['AWS GovCloud (US-East)'],
  'us-gov-west-1': ['AWS GovCloud (US-West)', 'AWS GovCloud (US)'],
};

const BY_NAME = new Map<string, string>(
  Object.entries(REGION_NAMES).flatMap(([code, names]) => names.map((name) => [name.toLowerCase(), code])),
);

/** True when `code` has the form of an AWS Region code ({@link REGION_CODE}). */
export function isRegionCode(code: string): boolean {
  return REGION_CODE.test(code);
}

/** The Region code of a display name (`Asia Pacific (Seoul)` → `ap-northeast-2`), or undefined. */
export function regionCodeFromName(name: string): string | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** The name CloudWatch writes for a Region code (`ap-northeast-2` → `Asia Pacific (Seoul)`), or undefined. */
export function regionNameFromCode(code: string): string | undefined {
  return REGION_NAMES[code]?.[0];
}

/**
 * The Region code of an ARN's region field (`arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:x`), or
 * undefined when the ARN has no valid region (the AWS examples use placeholders such as `REGION`).
 */
export function regionCodeFromArn(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region && isRegionCode(region) ? region : undefined;
}

/**
 * The AWS Management Console origin for a Region's partition: `https://<region>.console.aws.amazon.com`,
 * `https://<region>.console.amazonaws.cn` (China) or `https://console.amazonaws-us-gov.com` (GovCloud).
 */
export function consoleOrigin(regionCode: string): string {
  if (regionCode.startsWith('cn-')) return `https://${regionCode}.console.amazonaws.cn`;
  if (regionCode.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  return `https://${regionCode}.console.aws.amazon.com`;
}
