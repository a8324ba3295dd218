/**
 * The `%regex%` terms of CloudWatch Logs filter patterns, compiled for a linear-time engine (re2js, a port of
 * RE2: matching takes time linear in the input whatever the pattern, so a pattern such as `%a*a*a*…c%`, which
 * keeps a backtracking engine busy for minutes on a 40-character line, cannot stall `test-pattern`, `simulate`
 * or `audit`). The parser (pattern-parser.ts) admits only CloudWatch's documented subset; this module turns
 * that subset into RE2 syntax.
 *
 * Source: AWS CloudWatch Logs User Guide, "Filter pattern syntax", section "Using regular expressions"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html); RE2 syntax:
 * https://github.com/google/re2/wiki/Syntax.
 */
import { RE2JS } from 're2js';

/** A compiled `%regex%`: `test` finds a match anywhere in the text (unanchored unless `^`/`$` say so). */
export interface PatternRegex {
  /** The regular expression as written between the `%` signs. */
  readonly source: string;
  /** True when the expression matches somewhere in `text`; linear time in `text.length`. */
  test(text: string): boolean;
}

/** Escapes that name a character class (kept as they are); any other escaped character is taken literally. */
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);

/**
 * Compiles the body of a `%regex%` (already checked against CloudWatch's character set by the parser).
 * `\xhh` and the class escapes pass through; any other `\c` becomes `\x{hh}` so that RE2 reads it as the
 * literal character (RE2 rejects some escapes JavaScript allows). POSIX classes (`[[:alpha:]]`), which RE2
 * accepts but CloudWatch does not document, are rejected.
 * @throws Error with RE2's explanation for an expression that is not valid (e.g. `a**`, `[z-a]`, `x{2000}`).
 */
export function compileRegex(source: string): PatternRegex {
  if (/\[:[A-Za-z]+:\]/.test(source)) {
    throw new Error('POSIX character classes such as [:alpha:] are not supported');
  }
  let re2 = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c !== '\\') {
      re2 += c;
      continue;
    }
    const next = source[i + 1] ?? '';
    if (next === 'x' || CLASS_ESCAPES.has(next)) {
      re2 += c + next;
    } else {
      re2 += `\\x{${next.charCodeAt(0).toString(16)}}`;
    }
    i++;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(re2);
  } catch (error) {
    throw new Error((error as Error).message.replace(/^error parsing regexp: /, ''));
  }
  return { source, test: (text) => compiled.test(text) };
}
