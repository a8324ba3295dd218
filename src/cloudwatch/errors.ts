/**
 * Thrown by `compileFilterPattern` for a pattern that CloudWatch Logs would reject (PutMetricFilter and
 * TestMetricFilter answer `InvalidParameterException`, e.g. "Invalid character(s) in term").
 * `column` is the 1-based position in the pattern string where the problem starts; `pattern` is the input.
 */
export class FilterPatternError extends Error {
  constructor(
    message: string,
    readonly column: number,
    readonly pattern: string,
  ) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

/**
 * Thrown for an invalid metric filter or alarm configuration (a value PutMetricFilter or PutMetricAlarm would
 * reject, e.g. a period that is not a multiple of 60 s, more than 3 dimensions). `field` names the setting.
 */
export class CloudWatchConfigError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'CloudWatchConfigError';
  }
}
