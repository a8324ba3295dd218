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
  type CompiledFilterPattern,
  type MetricFilterMatchRecord,
} from './filter-pattern.js';
export { parseFilterPattern, MAX_PATTERN_LENGTH, MAX_REGEXES } from './pattern-parser.js';
export type * from './pattern-ast.js';
