/**
 * Text formats CloudWatch uses in alarm notifications (Amazon CloudWatch User Guide, "Using Amazon CloudWatch
 * alarms", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
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
