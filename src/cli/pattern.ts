/** Filter-pattern compilation for the commands that take a pattern (`test-pattern`, `simulate`). */
import { compileFilterPattern, FilterPatternError, type CompiledFilterPattern } from '../cloudwatch/index.js';
import { CliError, EXIT } from './errors.js';

/**
 * The message of an invalid pattern for a terminal: the error, then the pattern with a caret under the
 * column (tabs and line breaks shown as spaces so that the caret lines up).
 */
export function describePatternError(error: FilterPatternError): string {
  const shown = error.pattern.replace(/[\t\r\n]/g, ' ');
  const caret = `${' '.repeat(Math.max(0, error.column - 1))}^`;
  return `invalid filter pattern: ${error.message} (column ${error.column})\n  ${shown}\n  ${caret}`;
}

/** Compiles `pattern`, turning a {@link FilterPatternError} into a usage error (exit 2) with a caret. */
export function compileOrUsageError(pattern: string): CompiledFilterPattern {
  try {
    return compileFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) throw new CliError(describePatternError(error), EXIT.usage);
    throw error;
  }
}
