/**
 * Text formats CloudWatch uses in alarm notifications (shared/reference/cloudwatch-semantics.md D.2, D.6).
 */

/**
 * A number as Java's `Double.toString` prints it, which is how CloudWatch writes thresholds and datapoints:
 * integral values carry `.0` (`1.0`), others print in full (`99.7027322404378`); below 10^-3 or from 10^7 up,
 * computerized scientific notation (`1.0E7`, `1.5E-4`).
 */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `yyyy-MM-ddTHH:mm:ss.SSS+0000` (UTC), the format of `StateChangeTime` and `AlarmConfigurationUpdatedTimestamp`. */
export function alarmTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `dd/MM/yy HH:mm:ss` (UTC), the format of datapoint times in `NewStateReason`. */
export function reasonTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/**
 * Region code → the long name CloudWatch writes in `Region` and in the SNS Subject. Names seen in real alarm
 * messages: us-east-1, us-west-1, us-west-2, eu-west-1, eu-west-2, eu-central-1, ap-northeast-1,
 * ap-northeast-2, ap-southeast-1, ap-southeast-2 (cloudwatch-semantics.md D.5); the others follow the same
 * style of the AWS Pricing API "location" names (likely, unverified).
 */
export const REGION_DISPLAY_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-south-2': 'Asia Pacific (Hyderabad)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-southeast-3': 'Asia Pacific (Jakarta)',
  'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ap-southeast-5': 'Asia Pacific (Malaysia)',
  'ap-southeast-7': 'Asia Pacific (Thailand)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ca-central-1': 'Canada (Central)',
  'ca-west-1': 'Canada West (Calgary)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-central-2': 'EU (Zurich)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-south-1': 'EU (Milan)',
  'eu-south-2': 'EU (Spain)',
  'eu-north-1': 'EU (Stockholm)',
  'il-central-1': 'Israel (Tel Aviv)',
  'me-south-1': 'Middle East (Bahrain)',
  'me-central-1': 'Middle East (UAE)',
  'mx-central-1': 'Mexico (Central)',
  'sa-east-1': 'South America (Sao Paulo)',
  'us-gov-east-1': 'AWS GovCloud (US-East)',
  'us-gov-west-1': 'AWS GovCloud (US-West)',
  'cn-north-1': 'China (Beijing)',
  'cn-northwest-1': 'China (Ningxia)',
};
