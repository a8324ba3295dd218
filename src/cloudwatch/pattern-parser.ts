/**
 * Parser of CloudWatch Logs filter patterns: term, JSON (`{ … }`) and space-delimited (`[ … ]`) patterns.
 *
 * Sources: AWS CloudWatch Logs User Guide, "Filter pattern syntax for metric filters, subscription filters,
 * filter log events, and Live Tail" (FilterAndPatternSyntax.html) and its sub-pages on JSON and unstructured
 * events (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html); behaviour
 * observed in live AWS is held by the vectors of test/cloudwatch/filter-pattern-vectors.test.ts.
 */
import { FilterPatternError } from './errors.js';
import type {
  BoolExpr,
  ComparisonOp,
  FieldCondition,
  FilterPatternAst,
  JsonCondition,
  PatternValue,
  Selector,
  SelectorSegment,
  Slot,
  Term,
} from './pattern-ast.js';
import { compileRegex, type PatternRegex } from './regex.js';

/** Longest accepted pattern, in characters (PutMetricFilter `filterPattern`: 0 to 1024). */
export const MAX_PATTERN_LENGTH = 1024;
/** Most `%regex%` per pattern (CloudWatch Logs quotas in FilterAndPatternSyntax.html). */
export const MAX_REGEXES = 2;
/** Most wildcard selectors (`[*]`, `.*`) per JSON pattern; each selector may hold at most one. */
export const MAX_WILDCARD_SELECTORS = 3;

const NUMBER_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const UNQUOTED_VALUE_CHAR = /[A-Za-z0-9._*+-]/;
const TERM_CHAR = /[A-Za-z0-9_]/;
const SELECTOR_KEY_CHAR = /[A-Za-z0-9_-]/;
const FIELD_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const REGEX_PLAIN_CHAR = /[A-Za-z0-9_#=@/;,:\- ^$?[\]{}|*+.]/;
const REGEX_ESCAPABLE = /[dDsSwW^$?[\]{}|\\*+.%/\-#=@;,:_ ]/;

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

class PatternParser {
  pos = 0;
  regexCount = 0;
  wildcardSelectors = 0;

  /** The closing `}` or `]` cut off the end of `src` when parsing a JSON or space-delimited body. */
  closer: string | undefined;

  /**
   * @param src the text parsed (for a JSON or space-delimited body: the pattern cut before its closer)
   * @param pattern the whole pattern, reported in errors
   */
  constructor(
    readonly src: string,
    readonly pattern: string = src,
  ) {}

  fail(message: string, at: number = this.pos): never {
    throw new FilterPatternError(message, at + 1, this.pattern);
  }

  ws(): void {
    while (isBlank(this.src[this.pos])) this.pos++;
  }

  describe(at: number): string {
    const c = this.src[at] ?? (at === this.src.length ? this.closer : undefined);
    return c === undefined ? 'end of pattern' : `'${c}'`;
  }

  parse(): FilterPatternAst {
    if (this.src.length > MAX_PATTERN_LENGTH) {
      this.fail(`Filter pattern is longer than ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH);
    }
    this.ws();
    const first = this.src[this.pos];
    if (first === undefined) return { kind: 'all' };
    if (first === '{') return this.parseJsonPattern();
    if (first === '[') return this.parseDelimitedPattern();
    return this.parseTerms();
  }

  // ---- terms --------------------------------------------------------------------------------------------

  parseTerms(): FilterPatternAst {
    const required: Term[] = [];
    const excluded: Term[] = [];
    const optional: Term[] = [];
    let blankOnly = true;
    for (;;) {
      this.ws();
      if (this.pos >= this.src.length) break;
      const prefix = this.src[this.pos];
      const start = this.pos;
      if (prefix === '-' || prefix === '?') this.pos++;
      const term = this.parseTerm(start);
      if (!isBlank(this.src[this.pos]) && this.pos < this.src.length) {
        this.fail(
          `Invalid character(s) in term: ${this.describe(this.pos)} (separate terms with spaces; ` +
            'put text with characters other than letters, digits and _ in double quotes)',
        );
      }
      // A quoted blank (`" "`) matches every event (FilterAndPatternSyntax.html: `" "` "matches all").
      if (term === null) continue;
      blankOnly = false;
      if (prefix === '-') excluded.push(term);
      else if (prefix === '?') optional.push(term);
      else required.push(term);
    }
    if (blankOnly) return { kind: 'all' };
    // "If you mix ? terms with other terms, the ? terms are ignored" (FilterAndPatternSyntax.html, current).
    const mixed = required.length > 0 || excluded.length > 0;
    return { kind: 'terms', required, excluded, optional: mixed ? [] : optional };
  }

  /** A word, `"quoted phrase"` or `%regex%`; null for a blank quoted phrase. */
  parseTerm(termStart: number): Term | null {
    const c = this.src[this.pos];
    if (c === '"') {
      const text = this.parseQuoted().text;
      return text.trim() === '' ? null : { kind: 'text', text };
    }
    if (c === '%') return { kind: 'regex', regex: this.parseRegex() };
    const start = this.pos;
    while (this.pos < this.src.length && TERM_CHAR.test(this.src[this.pos] ?? '')) this.pos++;
    if (this.pos === start) {
      if (isBlank(c) || c === undefined) this.fail(`Expected a term after '${this.src[termStart]}'`);
      this.fail(
        `Invalid character(s) in term: ${this.describe(this.pos)} (put text with characters other than ` +
          'letters, digits and _ in double quotes)',
      );
    }
    return { kind: 'text', text: this.src.slice(start, this.pos) };
  }

  // ---- shared values -------------------------------------------------------------------------------------

  /** A `"…"` string at `pos`; `\"`, `\\` and `\*` are escapes; `pieces` split on the unescaped `*`. */
  parseQuoted(): { text: string; pieces: string[] } {
    const start = this.pos;
    this.pos++;
    let text = '';
    let piece = '';
    const pieces: string[] = [];
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail('Unterminated quoted string', start);
      if (c === '"') {
        this.pos++;
        pieces.push(piece);
        return { text, pieces };
      }
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '"' || next === '\\' || next === '*') {
          text += next;
          piece += next;
          this.pos += 2;
          continue;
        }
      }
      if (c === '*') {
        pieces.push(piece);
        piece = '';
      } else {
        piece += c;
      }
      text += c;
      this.pos++;
    }
  }

  /**
   * A `%regex%` at `pos`. Allowed: letters, digits, `_ # = @ / ; , - :` and space; the operators
   * `^ $ ? [ ] { } | \ * + .`; the classes `\d \D \s \S \w \W`; `\xhh`. Not allowed: parentheses, other
   * symbols, multi-byte characters (FilterAndPatternSyntax.html, "Using regular expressions"). Compiled for
   * a linear-time engine (regex.ts).
   */
  parseRegex(): PatternRegex {
    const start = this.pos;
    this.regexCount++;
    if (this.regexCount > MAX_REGEXES) {
      this.fail(`A filter pattern can contain at most ${MAX_REGEXES} regular expressions`, start);
    }
    this.pos++;
    let source = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail("Unterminated regular expression (missing closing '%')", start);
      if (c === '%') break;
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === 'x') {
          const hex = this.src.slice(this.pos + 2, this.pos + 4);
          if (!/^[0-9A-Fa-f]{2}$/.test(hex))
            this.fail('Expected two hex digits after \\x in regular expression');
          source += `\\x${hex}`;
          this.pos += 4;
          continue;
        }
        if (next === undefined || !REGEX_ESCAPABLE.test(next)) {
          this.fail(`Unsupported escape '\\${next ?? ''}' in regular expression`);
        }
        source += c + next;
        this.pos += 2;
        continue;
      }
      if (c === '(' || c === ')') {
        this.fail(`Parentheses are not supported in regular expressions (use \\x28 and \\x29 to match them)`);
      }
      if (c.charCodeAt(0) > 0x7f) this.fail('Multi-byte characters are not supported in regular expressions');
      if (!REGEX_PLAIN_CHAR.test(c)) {
        this.fail(`Invalid character '${c}' in regular expression (use \\xhh to match it)`);
      }
      source += c;
      this.pos++;
    }
    if (source === '') this.fail('Empty regular expression', start);
    this.pos++;
    try {
      return compileRegex(source);
    } catch (error) {
      return this.fail(`Invalid regular expression: ${(error as Error).message}`, start);
    }
  }

  /**
   * The value after a comparison operator: quoted string, `%regex%`, or an unquoted run of letters, digits and
   * `. * - _ +`, which is a number when it reads as one (sign and exponent allowed), else a string.
   */
  parseValue(op: ComparisonOp, terminators: string): PatternValue {
    this.ws();
    const start = this.pos;
    const c = this.src[this.pos];
    let value: PatternValue;
    if (c === '"') {
      const { text, pieces } = this.parseQuoted();
      value = { kind: 'string', text, pieces, quoted: true };
    } else if (c === '%') {
      const regex = this.parseRegex();
      value = { kind: 'regex', regex, source: this.src.slice(start, this.pos) };
    } else {
      while (this.pos < this.src.length && UNQUOTED_VALUE_CHAR.test(this.src[this.pos] ?? '')) this.pos++;
      const text = this.src.slice(start, this.pos);
      if (text === '') {
        this.fail(`Expected a value after '${op}', found ${this.describe(this.pos)}`);
      }
      value = NUMBER_LITERAL.test(text)
        ? { kind: 'number', value: Number(text), text }
        : { kind: 'string', text, pieces: text.split('*'), quoted: false };
    }
    const next = this.src[this.pos];
    if (next !== undefined && !isBlank(next) && !terminators.includes(next)) {
      this.fail(
        `Invalid character(s) in term: ${this.describe(this.pos)} (put values with characters other than ` +
          'letters, digits and . * - _ in double quotes)',
      );
    }
    if (op !== '=' && op !== '!=' && value.kind !== 'number') {
      this.fail(
        `Invalid character(s) in term: '${op}' compares numbers, so the value must be an unquoted number`,
        start,
      );
    }
    return value;
  }

  parseOperator(): ComparisonOp | null {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      this.pos += 2;
      return two;
    }
    if (two === '==') this.fail("Use '=' to compare ('==' is not an operator)");
    const one = this.src[this.pos];
    if (one === '=' || one === '<' || one === '>') {
      this.pos++;
      return one;
    }
    return null;
  }

  /** `a || b && c` = `a || (b && c)`; parentheses group (FilterAndPatternSyntax.html, compound expressions). */
  parseOr<C>(cond: () => C): BoolExpr<C> {
    let left = this.parseAnd(cond);
    for (;;) {
      this.ws();
      if (!this.src.startsWith('||', this.pos)) return left;
      this.pos += 2;
      left = { kind: 'or', left, right: this.parseAnd(cond) };
    }
  }

  parseAnd<C>(cond: () => C): BoolExpr<C> {
    let left = this.parseUnary(cond);
    for (;;) {
      this.ws();
      if (!this.src.startsWith('&&', this.pos)) return left;
      this.pos += 2;
      left = { kind: 'and', left, right: this.parseUnary(cond) };
    }
  }

  parseUnary<C>(cond: () => C): BoolExpr<C> {
    this.ws();
    if (this.src[this.pos] === '(') {
      const open = this.pos;
      this.pos++;
      const inner = this.parseOr(cond);
      this.ws();
      if (this.src[this.pos] !== ')') {
        if (this.src[this.pos] === undefined) this.fail("Missing closing ')'", open);
        this.fail(`Expected ')' or an operator (&&, ||), found ${this.describe(this.pos)}`);
      }
      this.pos++;
      return inner;
    }
    return { kind: 'cond', cond: cond() };
  }

  // ---- JSON ----------------------------------------------------------------------------------------------

  /** The last non-blank character, at `close`, must be `closer`, the one that ends the pattern opened at `open`. */
  checkCloser(open: number, close: number, closer: string, what: string): void {
    if (this.src[close] === closer && close > open) return;
    const last = this.src.lastIndexOf(closer);
    if (last > open) {
      let extra = last + 1;
      while (isBlank(this.src[extra])) extra++;
      this.fail(`Unexpected text after the closing '${closer}' of the ${what}`, extra);
    }
    this.fail(`Missing closing '${closer}' of the ${what}`, open);
  }

  parseJsonPattern(): FilterPatternAst {
    const open = this.pos;
    let close = this.src.length - 1;
    while (close > open && isBlank(this.src[close])) close--;
    this.checkCloser(open, close, '}', 'JSON pattern');
    const body = new PatternParser(this.src.slice(0, close), this.src);
    body.closer = '}';
    body.pos = open + 1;
    body.ws();
    if (body.pos >= close) this.fail('Empty JSON pattern', open);
    const expr = body.parseOr(() => body.parseJsonCondition());
    body.ws();
    if (body.pos < close) {
      body.fail(`Expected '&&', '||' or '}', found ${body.describe(body.pos)}`);
    }
    return { kind: 'json', expr };
  }

  parseJsonCondition(): JsonCondition {
    this.ws();
    if (this.src[this.pos] !== '$') {
      this.fail(`Expected a selector starting with '$', found ${this.describe(this.pos)}`);
    }
    const selector = this.parseSelector();
    this.ws();
    const at = this.pos;
    const word = /^[A-Za-z]+/.exec(this.src.slice(this.pos))?.[0];
    if (word === 'IS') {
      this.pos += 2;
      this.ws();
      const what = /^[A-Za-z]+/.exec(this.src.slice(this.pos))?.[0];
      if (what === 'NULL' || what === 'TRUE' || what === 'FALSE') {
        this.pos += what.length;
        const kind = what === 'NULL' ? 'isNull' : what === 'TRUE' ? 'isTrue' : 'isFalse';
        return { kind, selector };
      }
      if (what === 'NOT') this.fail("'IS NOT' is not supported (use '!=' or NOT EXISTS)");
      this.fail('Expected NULL, TRUE or FALSE after IS');
    }
    if (word === 'NOT') {
      this.pos += 3;
      this.ws();
      if (!this.src.startsWith('EXISTS', this.pos)) this.fail('Expected EXISTS after NOT');
      this.pos += 6;
      return { kind: 'notExists', selector };
    }
    if (word === 'EXISTS')
      this.fail("'EXISTS' is not supported (use '= *' to test that a field has a value)");
    if (word !== undefined) this.fail(`Unknown keyword '${word}' (expected IS, NOT EXISTS or an operator)`);
    const op = this.parseOperator();
    if (op === null) {
      this.fail(`Expected an operator (=, !=, <, >, <=, >=, IS, NOT EXISTS), found ${this.describe(at)}`, at);
    }
    return { kind: 'compare', selector, op, value: this.parseValue(op, ')&|') };
  }

  /** `$` then `.key`, `['key']`, `[n]`, `[*]`, `.*` (at most one wildcard per selector). */
  parseSelector(): Selector {
    const start = this.pos;
    this.pos++;
    const segments: SelectorSegment[] = [];
    let wildcards = 0;
    const wildcard = (at: number): void => {
      wildcards++;
      if (wildcards > 1) this.fail('A selector can contain at most one wildcard', at);
      this.wildcardSelectors++;
      if (this.wildcardSelectors > MAX_WILDCARD_SELECTORS) {
        this.fail(`A filter pattern can contain at most ${MAX_WILDCARD_SELECTORS} wildcard selectors`, at);
      }
    };
    for (;;) {
      const c = this.src[this.pos];
      if (c === '.') {
        this.pos++;
        const n = this.src[this.pos];
        if (n === '*') {
          wildcard(this.pos);
          this.pos++;
          segments.push({ kind: 'anyKey' });
        } else if (n === '[') {
          segments.push(this.parseBracket(wildcard));
        } else {
          const keyStart = this.pos;
          while (SELECTOR_KEY_CHAR.test(this.src[this.pos] ?? '')) this.pos++;
          if (this.pos === keyStart) {
            this.fail(`Expected a property name after '.', found ${this.describe(this.pos)}`);
          }
          segments.push({ kind: 'key', key: this.src.slice(keyStart, this.pos) });
        }
      } else if (c === '[') {
        segments.push(this.parseBracket(wildcard));
      } else {
        break;
      }
    }
    if (segments.length === 0) this.fail("Expected '.' or '[' after '$'");
    return { text: this.src.slice(start, this.pos), segments, hasWildcard: wildcards > 0 };
  }

  parseBracket(wildcard: (at: number) => void): SelectorSegment {
    const open = this.pos;
    this.pos++;
    const c = this.src[this.pos];
    let segment: SelectorSegment;
    if (c === '*') {
      wildcard(this.pos);
      this.pos++;
      segment = { kind: 'anyIndex' };
    } else if (c === "'") {
      const end = this.src.indexOf("'", this.pos + 1);
      if (end < 0) this.fail("Unterminated quoted key (missing closing ')", this.pos);
      segment = { kind: 'key', key: this.src.slice(this.pos + 1, end) };
      this.pos = end + 1;
    } else {
      const digits = /^\d+/.exec(this.src.slice(this.pos))?.[0];
      if (digits === undefined) this.fail(`Expected an array index, '*' or a quoted key after '['`);
      this.pos += digits.length;
      segment = { kind: 'index', index: Number(digits) };
    }
    if (this.src[this.pos] !== ']') {
      if (this.src[this.pos] === undefined) this.fail("Missing closing ']'", open);
      this.fail(`Expected ']', found ${this.describe(this.pos)}`);
    }
    this.pos++;
    return segment;
  }

  // ---- space-delimited -----------------------------------------------------------------------------------

  parseDelimitedPattern(): FilterPatternAst {
    const open = this.pos;
    let close = this.src.length - 1;
    while (close > open && isBlank(this.src[close])) close--;
    this.checkCloser(open, close, ']', 'space-delimited pattern');
    const body = new PatternParser(this.src.slice(0, close), this.src);
    body.closer = ']';
    body.regexCount = this.regexCount;
    body.pos = open + 1;
    const slots: Slot[] = [];
    const names = new Map<string, number>();
    const references: { name: string; at: number }[] = [];
    for (;;) {
      body.ws();
      const slotStart = body.pos;
      if (body.src.startsWith('...', body.pos)) {
        body.pos += 3;
        slots.push({ kind: 'ellipsis' });
      } else if (body.src[body.pos] === ',' || body.pos >= close) {
        slots.push({ kind: 'field', name: null, condition: null });
      } else {
        FIELD_NAME.lastIndex = body.pos;
        const bare = FIELD_NAME.exec(body.src)?.[0];
        let name: string | null = null;
        let condition: BoolExpr<FieldCondition> | null = null;
        if (bare !== undefined && /^\s*(,|$)/.test(body.src.slice(body.pos + bare.length))) {
          name = bare;
          body.pos += bare.length;
        } else {
          condition = body.parseOr(() => {
            const cond = body.parseFieldCondition(references);
            name ??= cond.field;
            return cond;
          });
        }
        const slotName: string = name ?? body.fail('Expected a field name', slotStart);
        if (names.has(slotName)) body.fail(`Field name '${slotName}' is used twice`, slotStart);
        names.set(slotName, slots.length);
        slots.push({ kind: 'field', name: slotName, condition });
      }
      body.ws();
      if (body.pos >= close) break;
      if (body.src[body.pos] !== ',') body.fail(`Expected ',' or ']', found ${body.describe(body.pos)}`);
      body.pos++;
    }
    for (const ref of references) {
      if (!names.has(ref.name)) body.fail(`Unknown field '${ref.name}' (not a name of this pattern)`, ref.at);
    }
    return { kind: 'delimited', slots };
  }

  /** `name op value` inside a slot; `name` may be any field of the pattern (checked after parsing). */
  parseFieldCondition(references: { name: string; at: number }[]): FieldCondition {
    this.ws();
    const at = this.pos;
    FIELD_NAME.lastIndex = this.pos;
    const name = FIELD_NAME.exec(this.src)?.[0];
    if (name === undefined) this.fail(`Expected a field name, found ${this.describe(this.pos)}`);
    this.pos += name.length;
    this.ws();
    const op = this.parseOperator();
    if (op === null) {
      this.fail(
        `Expected an operator (=, !=, <, >, <=, >=) after '${name}', found ${this.describe(this.pos)}`,
      );
    }
    references.push({ name, at });
    return { kind: 'compare', field: name, op, value: this.parseValue(op, ')&|,') };
  }
}

/**
 * Parses a filter pattern into its syntax tree.
 * Throws {@link FilterPatternError} (message and 1-based column) for a pattern CloudWatch Logs would reject.
 */
export function parseFilterPattern(pattern: string): FilterPatternAst {
  return new PatternParser(pattern).parse();
}
