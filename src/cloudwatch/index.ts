/**
 * Offline CloudWatch semantics: CloudWatch Logs filter patterns, metric filters, alarm evaluation and the alarm
 * notification CloudWatch publishes to SNS. Used by `simulate`, `test-pattern` and `audit`.
 */
export { FilterPatternError, CloudWatchConfigError } from './errors.js';
export {
  compileFilterPattern,
  testMetricFilter,
  wildcardMatches,
  splitDelimitedFields,
  type CompileOptions,
  type CompiledFilterPattern,
  type MetricFilterMatchRecord,
} from './filter-pattern.js';
export { parseFilterPattern, MAX_PATTERN_LENGTH, MAX_REGEXES } from './pattern-parser.js';
export type * from './pattern-ast.js';
export {
  createMetricFilter,
  MinuteSeries,
  type MetricDatum,
  type MetricFilter,
  type MetricTransformation,
  type StatisticSet,
} from './metric-filter.js';
export {
  breaches,
  evaluateDatapoints,
  evaluationRangeLength,
  guideAlarmConfig,
  MetricAlarm,
  statisticValue,
  validateAlarmConfig,
  type AlarmState,
  type AlarmStateChange,
  type AlarmStatistic,
  type ComparisonOperator,
  type Datapoint,
  type Evaluation,
  type MetricAlarmConfig,
  type TreatMissingData,
} from './alarm.js';
export {
  alarmArn,
  alarmNotificationMessage,
  alarmSubject,
  regionDisplayName,
  snsLambdaEvent,
  type SnsLambdaEvent,
  type SnsLambdaRecord,
  type SnsPublishOptions,
} from './notification.js';
export { alarmTimestamp, javaDouble, reasonTimestamp } from './format.js';
export { Simulation, type SimulationOptions, type SimulationSummary } from './simulation.js';
export {
  CloudTrailInputError,
  compactJson,
  expandPaths,
  readRecordTexts,
  recordEventTime,
  RecordScanner,
  recordsFromStream,
  type RecordText,
} from './cloudtrail-reader.js';
export {
  mergeByEventTime,
  recordSources,
  timedRecord,
  type RecordSource,
  type TimedRecord,
} from './merge.js';
