/**
 * `secu-alert test-pattern <pattern> [files…]`: the offline `aws logs test-metric-filter`.
 * Log events come one per line from the files, or from stdin when no file (or `-`) is given.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Option } from 'commander';
import type { MetricFilterMatchRecord } from '../../cloudwatch/index.js';
import { compileOrUsageError } from '../pattern.js';
import { CliError, EXIT, type CliIo, type RegisterCommand } from '../errors.js';

/** The lines of each file in turn (`-` or no file: stdin). */
async function* lines(files: readonly string[]): AsyncGenerator<string> {
  for (const file of files.length === 0 ? ['-'] : files) {
    if (file === '-') {
      yield* createInterface({ input: process.stdin, crlfDelay: Infinity });
      continue;
    }
    let handle: FileHandle;
    try {
      handle = await open(file);
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.failure);
    }
    try {
      yield* handle.readLines({ encoding: 'utf8' });
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.failure);
    } finally {
      await handle.close();
    }
  }
}

/** Values shown quoted (and so escaped): spaces, quotes, control characters (no raw escape codes to the terminal). */
// eslint-disable-next-line no-control-regex
const NEEDS_QUOTES = /[\s"\u0000-\u001f\u007f-\u009f]/;

function formatExtracted(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${NEEDS_QUOTES.test(v) || v === '' ? JSON.stringify(v) : v}`)
    .join(' ');
}

/**
 * Runs the command: reads every non-empty line as one log event (event numbers count those events, from 1),
 * prints a table (`event`, `match`, `extracted values`, then a count) or, with `--output json`, the
 * TestMetricFilter response `{ matches: [...] }`. Each match is printed as it is found and nothing of the
 * input is kept (memory stays flat however long the input). Exit 0 when it ran, even with no match.
 */
async function run(pattern: string, files: string[], output: 'table' | 'json', io: CliIo): Promise<void> {
  const compiled = compileOrUsageError(pattern);
  let matched = 0;
  let events = 0;
  const header = (): void => {
    if (output === 'table' && events === 0) io.stdout('EVENT  MATCH  EXTRACTED VALUES\n');
  };
  for await (const line of lines(files)) {
    if (line.trim() === '') continue;
    header();
    events++;
    const extractedValues = compiled.extract(line);
    if (extractedValues !== null) matched++;
    if (output === 'json') {
      if (extractedValues === null) continue;
      // The layout of JSON.stringify({ matches }, null, 2), one match at a time.
      const match: MetricFilterMatchRecord = { eventNumber: events, eventMessage: line, extractedValues };
      const body = JSON.stringify(match, null, 2).replace(/\n/g, '\n    ');
      io.stdout(`${matched === 1 ? '{\n  "matches": [\n' : ',\n'}    ${body}`);
    } else {
      const values = extractedValues === null ? '' : formatExtracted(extractedValues);
      io.stdout(
        `${String(events).padEnd(5)}  ${(extractedValues === null ? 'no' : 'yes').padEnd(5)}  ${values}`.trimEnd() +
          '\n',
      );
    }
  }
  if (output === 'json') io.stdout(matched === 0 ? '{\n  "matches": []\n}\n' : '\n  ]\n}\n');
  else {
    header();
    io.stdout(`${matched} of ${events} event${events === 1 ? '' : 's'} matched.\n`);
  }
}

/** Registers `test-pattern`. */
export const register: RegisterCommand = (program, io) => {
  program
    .command('test-pattern')
    .summary('test a filter pattern against log events offline, like `aws logs test-metric-filter`')
    .description(
      'Test a CloudWatch Logs filter pattern against log events, offline (like `aws logs test-metric-filter`). ' +
        'Log events: one per line, from the files or from stdin.',
    )
    .argument('<pattern>', 'the filter pattern (quote it for the shell)')
    .argument('[files...]', 'files of log events, one per line; none or "-" reads stdin')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        `  secu-alert test-pattern '{ $.userIdentity.type = "Root" }' events.txt\n` +
        "  zcat 111122223333_CloudTrail_*.json.gz | jq -c '.Records[]' | secu-alert test-pattern '{ $.eventName = \"ConsoleLogin\" }'\n" +
        "  echo '127.0.0.1 - - [29/Nov/2026:10:00:00] \"GET /a\" 404 12' | secu-alert test-pattern '[ip, id, user, ts, req, status=4*, size]' --output json\n",
    )
    .action(async (pattern: string, files: string[], options: { output: 'table' | 'json' }) => {
      await run(pattern, files, options.output, io);
    });
};
