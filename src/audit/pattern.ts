import { compileFilterPattern, compactJson, readRecordTexts, recordEventTime } from '../cloudwatch/index.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../defaults.js';

/** A CloudTrail record of the project's fixtures, as CloudTrail writes it to CloudWatch Logs (compact JSON). */
export interface SampleRecord {
  /** The log event message: the record's compact JSON. */
  message: string;
  /** `eventName by userIdentity.type at eventTime`, to name a missed example. */
  label: string;
}

/** The fixtures' records split by the CIS pattern: `rootUsage` are the records it matches, `others` the rest. */
export interface RootUsageCorpus {
  rootUsage: SampleRecord[];
  others: SampleRecord[];
}

/**
 * Reads every CloudTrail record below `dir` (the project's `fixtures/cloudtrail`, `.json.gz` log files; digest
 * files are skipped) and splits them by the CIS root-usage pattern.
 * @throws CloudTrailInputError when a file cannot be read.
 */
export async function loadRootUsageCorpus(dir: string): Promise<RootUsageCorpus> {
  const cis = compileFilterPattern(ROOT_USAGE_FILTER_PATTERN);
  const corpus: RootUsageCorpus = { rootUsage: [], others: [] };
  for await (const { text } of readRecordTexts([dir])) {
    if (recordEventTime(text) === 'not-record') continue;
    const record = JSON.parse(text) as {
      eventName?: string;
      eventTime?: string;
      userIdentity?: { type?: string };
    };
    const sample = {
      message: compactJson(text),
      label: `${record.eventName ?? '?'} by ${record.userIdentity?.type ?? '?'} at ${record.eventTime ?? '?'}`,
    };
    (cis.matches(sample.message) ? corpus.rootUsage : corpus.others).push(sample);
  }
  return corpus;
}

/**
 * A filter pattern with the whitespace outside quoted strings removed, so that `{ $.a = "x" }` and
 * `{$.a="x"}` compare equal (AWS pages print the CIS pattern both ways).
 */
export function normalisePattern(pattern: string): string {
  return pattern.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (m) => (m.startsWith('"') ? m : ''));
}

/** How a metric filter's pattern compares with the CIS root-usage pattern. */
export type PatternVerdict =
  | { kind: 'cis' }
  | { kind: 'equivalent' }
  | { kind: 'broader'; extra: SampleRecord[] }
  | { kind: 'misses'; missed: SampleRecord[] }
  | { kind: 'invalid'; error: string };

/**
 * Classifies `pattern`: the CIS string (whitespace normalised); else, run by the filter-pattern engine over the
 * corpus, one that matches every root-usage record and nothing else (`equivalent`), one that also matches
 * other records (`broader`), one that misses a root-usage record (`misses`), or one that does not compile.
 */
export function classifyPattern(pattern: string, corpus: RootUsageCorpus): PatternVerdict {
  if (normalisePattern(pattern) === normalisePattern(ROOT_USAGE_FILTER_PATTERN)) return { kind: 'cis' };
  let compiled;
  try {
    compiled = compileFilterPattern(pattern);
  } catch (error) {
    return { kind: 'invalid', error: error instanceof Error ? error.message : String(error) };
  }
  const missed = corpus.rootUsage.filter((r) => !compiled.matches(r.message));
  if (missed.length > 0) return { kind: 'misses', missed };
  const extra = corpus.others.filter((r) => compiled.matches(r.message));
  return extra.length > 0 ? { kind: 'broader', extra } : { kind: 'equivalent' };
}
