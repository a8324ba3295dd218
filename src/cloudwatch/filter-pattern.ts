/**
 * Evaluation of CloudWatch Logs filter patterns against log event messages, and `testMetricFilter`, the
 * offline counterpart of the CloudWatch Logs TestMetricFilter API.
 *
 * Sources: AWS CloudWatch Logs User Guide, "Filter pattern syntax for metric filters, subscription filters,
 * filter log events, and Live Tail" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html);
 * behaviour observed in live AWS is held by the vectors of test/cloudwatch/filter-pattern-vectors.test.ts.
 */
import { isJsonObject, JsonNumber, parseJson, type JsonValue, type KeyTree } from './json-value.js';
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
import { parseFilterPattern } from './pattern-parser.js';

/** A compiled filter pattern. */
export interface CompiledFilterPattern {
  /** The pattern as given. */
  readonly pattern: string;
  /** Its syntax tree. */
  readonly ast: FilterPatternAst;
  /** True when the log event `message` matches the pattern. */
  matches(message: string): boolean;
  /**
   * The values TestMetricFilter reports for a matching `message` (`extractedValues`), or null when it does
   * not match. Space-delimited patterns give `$name` for named fields and `$n` (1-based position) for unnamed
   * ones; term and JSON patterns give `{}` (aws-cli `test-metric-filter` example).
   */
  extract(message: string): Record<string, string> | null;
  /**
   * For a matching `message`, a lookup of metric-value and dimension references (`$.a.b` for JSON patterns;
   * `$name` or `$n` for space-delimited ones), or null when it does not match. The lookup returns undefined
   * for a reference that selects nothing, an object, an array or null.
   */
  resolver(message: string): ((reference: string) => string | number | boolean | undefined) | null;
}

/** One match of {@link testMetricFilter}: the CloudWatch Logs `MetricFilterMatchRecord` shape. */
export interface MetricFilterMatchRecord {
  /** 1-based position of the message in the input list. */
  eventNumber: number;
  eventMessage: string;
  extractedValues: Record<string, string>;
}

/**
 * Non-backtracking `*` wildcard match, the model that fits every live-AWS vector (cloudwatch-semantics.md A.4,
 * observed by cfchou/metric_filter_parser against TestMetricFilter in 2019; the 2018/2021 docs claim a
 * mid-string `*` is literal, live AWS disagrees): the first piece must be a prefix; each later piece is taken
 * at its first occurrence after the current position; without a trailing `*`, the last piece's first
 * occurrence must end the value. So `111*111` does not match `111.111.111.111`, and `1*3` matches `123`.
 */
export function wildcardMatches(pieces: readonly string[], value: string): boolean {
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return value === first;
  if (!value.startsWith(first)) return false;
  let pos = first.length;
  const last = pieces.length - 1;
  for (let i = 1; i < last; i++) {
    const piece = pieces[i] ?? '';
    const at = value.indexOf(piece, pos);
    if (at < 0) return false;
    pos = at + piece.length;
  }
  const tail = pieces[last] ?? '';
  if (tail === '') return true;
  const at = value.indexOf(tail, pos);
  return at >= 0 && at + tail.length === value.length;
}

const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function numericOf(text: string): number | undefined {
  return NUMERIC_TEXT.test(text.trim()) ? Number(text) : undefined;
}

function compareNumbers(a: number, op: ComparisonOp, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}

/** Text comparison of `=`/`!=` (the parser allows only these with strings and regexes). */
function compareText(text: string, op: ComparisonOp, value: PatternValue): boolean {
  let equal: boolean;
  if (value.kind === 'regex') equal = value.regex.test(text);
  else if (value.kind === 'string') equal = wildcardMatches(value.pieces, text);
  else equal = text === value.text;
  return op === '!=' ? !equal : equal;
}

/**
 * One JSON scalar against one condition value. Rules (cloudwatch-semantics.md A.4, live AWS unless noted):
 * arrays and objects never match, not even with `!=`; null never matches a comparison (inferred: only
 * `IS NULL` tests null); an unquoted number against a JSON number compares numerically; a quoted, wildcard or
 * regex value against a JSON number compares with the number's text as written; a number literal against a
 * string compares as text for `=`/`!=`; a numeric operator against a string compares numerically when the
 * string reads as a number (as for space-delimited fields) and otherwise never matches; booleans compare as
 * the text `true`/`false` (inferred).
 */
function compareJson(actual: JsonValue, op: ComparisonOp, value: PatternValue): boolean {
  if (actual === null || typeof actual === 'object') {
    if (!(actual instanceof JsonNumber)) return false;
    if (value.kind === 'number') return compareNumbers(actual.value, op, value.value);
    return compareText(actual.text, op, value);
  }
  const text = typeof actual === 'boolean' ? String(actual) : actual;
  if (op === '=' || op === '!=') return compareText(text, op, value);
  const n = numericOf(text);
  return n !== undefined && value.kind === 'number' && compareNumbers(n, op, value.value);
}

function resolveSingle(root: JsonValue, selector: Selector): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const segment of selector.segments) {
    if (current === undefined) return undefined;
    if (segment.kind === 'key') {
      current =
        isJsonObject(current) && Object.hasOwn(current, segment.key) ? current[segment.key] : undefined;
    } else if (segment.kind === 'index') {
      current = Array.isArray(current) ? current[segment.index] : undefined;
    }
  }
  return current;
}

/** Every value a selector selects; wildcard selectors are existential (any selected value may satisfy). */
function resolveAll(root: JsonValue, selector: Selector): JsonValue[] {
  if (!selector.hasWildcard) {
    const one = resolveSingle(root, selector);
    return one === undefined ? [] : [one];
  }
  let current: JsonValue[] = [root];
  for (const segment of selector.segments) {
    const next: JsonValue[] = [];
    for (const v of current) {
      if (segment.kind === 'key') {
        if (isJsonObject(v) && Object.hasOwn(v, segment.key)) next.push(v[segment.key] as JsonValue);
      } else if (segment.kind === 'index') {
        if (Array.isArray(v) && segment.index < v.length) next.push(v[segment.index] as JsonValue);
      } else if (segment.kind === 'anyIndex') {
        if (Array.isArray(v)) next.push(...v);
      } else if (isJsonObject(v)) {
        next.push(...Object.values(v));
      }
    }
    current = next;
  }
  return current;
}

/**
 * A JSON condition on a parsed event. A selector that selects nothing makes every comparison false, `!=`
 * included (cloudwatch-semantics.md A.4: "a missing field is false for `=`"; for `!=` live AWS is unverified
 * (G.1), the likely answer, no match, is used). `IS NULL` is true only for JSON null, `IS TRUE`/`IS FALSE`
 * only for booleans, `NOT EXISTS` when nothing is selected.
 */
function evalJsonCondition(root: JsonValue, cond: JsonCondition): boolean {
  if (!cond.selector.hasWildcard) {
    const v = resolveSingle(root, cond.selector);
    switch (cond.kind) {
      case 'notExists':
        return v === undefined;
      case 'isNull':
        return v === null;
      case 'isTrue':
        return v === true;
      case 'isFalse':
        return v === false;
      case 'compare':
        return v !== undefined && compareJson(v, cond.op, cond.value);
    }
  }
  const values = resolveAll(root, cond.selector);
  switch (cond.kind) {
    case 'notExists':
      return values.length === 0;
    case 'isNull':
      return values.includes(null);
    case 'isTrue':
      return values.includes(true);
    case 'isFalse':
      return values.includes(false);
    case 'compare':
      return values.some((v) => compareJson(v, cond.op, cond.value));
  }
}

function evalBool<C>(expr: BoolExpr<C>, test: (cond: C) => boolean): boolean {
  switch (expr.kind) {
    case 'and':
      return evalBool(expr.left, test) && evalBool(expr.right, test);
    case 'or':
      return evalBool(expr.left, test) || evalBool(expr.right, test);
    case 'cond':
      return test(expr.cond);
  }
}

function termPresent(message: string, term: Term): boolean {
  return term.kind === 'text' ? message.includes(term.text) : term.regex.test(message);
}

/**
 * Splits a log event into space-delimited fields: runs of characters between spaces (or tabs); text inside
 * `[…]` or `"…"` is one field, without the brackets or quotes (FilterAndPatternSyntax.html, "Using filter
 * patterns to match terms in space-delimited log events").
 */
export function splitDelimitedFields(message: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = message.length;
  while (i < n) {
    const c = message[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : null;
    if (close !== null) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        fields.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let end = i;
    while (end < n && message[end] !== ' ' && message[end] !== '\t') end++;
    fields.push(message.slice(i, end));
    i = end;
  }
  return fields;
}

/** `=`/`!=`/numeric comparison of one delimited field (always text) with a value. */
function compareField(text: string, op: ComparisonOp, value: PatternValue): boolean {
  if (value.kind === 'number') {
    const n = numericOf(text);
    if (n !== undefined) return compareNumbers(n, op, value.value);
    return op === '=' || op === '!=' ? compareText(text, op, value) : false;
  }
  return compareText(text, op, value);
}

interface DelimitedMatch {
  fields: string[];
  /** For each field position, the slot name or null (unnamed field or covered by `...`). */
  names: (string | null)[];
}

/**
 * A space-delimited pattern prepared for matching: runs of `...` collapsed into one (same meaning), and for
 * each slot the conditions that can be checked once it is placed (every field they test is placed by then).
 */
interface DelimitedPlan {
  slots: readonly Slot[];
  /** `checks[s]`: conditions whose fields are all placed once slot `s` is. */
  checks: readonly BoolExpr<FieldCondition>[][];
  /**
   * The runs of field slots between `...` (slot indexes), first to last; the first run is empty when the
   * pattern starts with `...`, the last when it ends with one. One run: no `...`.
   */
  runs: readonly number[][];
  /** True when some condition tests fields of two different runs (the placement search is then needed). */
  crossRuns: boolean;
  /** `need[s]`: fields the slots from `s` on need at least. */
  need: readonly number[];
  /**
   * `independent[s]`: no condition checked from slot `s` on tests a field of an earlier slot, so whether the
   * slots from `s` on fit the fields from a position does not depend on earlier choices (and a failure there
   * can be remembered: without it, `[..., a, ..., b, ..., c = x]` would try every placement).
   */
  independent: readonly boolean[];
}

function fieldsOf(expr: BoolExpr<FieldCondition>): string[] {
  return expr.kind === 'cond' ? [expr.cond.field] : [...fieldsOf(expr.left), ...fieldsOf(expr.right)];
}

function planDelimited(input: readonly Slot[]): DelimitedPlan {
  const slots = input.filter((slot, i) => slot.kind !== 'ellipsis' || input[i - 1]?.kind !== 'ellipsis');
  const slotOf = new Map<string, number>();
  slots.forEach((slot, i) => {
    if (slot.kind === 'field' && slot.name !== null) slotOf.set(slot.name, i);
  });
  const checks: BoolExpr<FieldCondition>[][] = slots.map(() => []);
  const runs: number[][] = [[]];
  const runOf: number[] = [];
  slots.forEach((slot, i) => {
    if (slot.kind === 'ellipsis') runs.push([]);
    else (runs[runs.length - 1] as number[]).push(i);
    runOf[i] = runs.length - 1;
  });
  let crossRuns = false;
  slots.forEach((slot, i) => {
    if (slot.kind !== 'field' || slot.condition === null) return;
    const at = fieldsOf(slot.condition).map((f) => slotOf.get(f) ?? i);
    if (at.some((s) => runOf[s] !== runOf[i])) crossRuns = true;
    checks[Math.max(i, ...at)]?.push(slot.condition);
  });
  const need = new Array<number>(slots.length + 1).fill(0);
  for (let i = slots.length - 1; i >= 0; i--)
    need[i] = (need[i + 1] ?? 0) + (slots[i]?.kind === 'field' ? 1 : 0);
  const independent = slots.map((_, from) =>
    checks.every(
      (list, at) => at < from || list.every((c) => fieldsOf(c).every((f) => (slotOf.get(f) ?? at) >= from)),
    ),
  );
  return { slots, checks, runs, crossRuns, need, independent };
}

/**
 * Matches space-delimited slots against the event's fields. The pattern must cover every field; `...` covers
 * any number of fields (zero or more), other slots exactly one (cloudwatch-semantics.md A.5: strict field
 * count plus ellipsis). A slot may test another field, so each condition is checked as soon as every field it
 * tests is placed; a failed check abandons that placement.
 *
 * When every condition tests fields of its own run (the usual case), the runs between `...` are placed
 * leftmost, one after the other: the first at the start, the last at the end, each middle run at the first
 * position where it fits. That is the placement the search below finds first (an exchange argument: if any
 * placement fits, one with the leftmost position of the next run does), in time linear in the number of
 * fields for a given pattern.
 */
function matchDelimited(plan: DelimitedPlan, message: string): DelimitedMatch | null {
  const fields = splitDelimitedFields(message);
  return plan.crossRuns ? searchDelimited(plan, fields) : placeRuns(plan, fields);
}

function placeRuns(plan: DelimitedPlan, fields: string[]): DelimitedMatch | null {
  const { slots, checks, runs } = plan;
  const names: (string | null)[] = new Array<string | null>(fields.length).fill(null);
  const byName = new Map<string, string>();
  const test = (c: FieldCondition): boolean => compareField(byName.get(c.field) ?? '', c.op, c.value);
  /** Whether `run` fits at field `at` (its conditions only test its own fields). */
  const fits = (run: readonly number[], at: number): boolean => {
    run.forEach((s, k) => {
      const slot = slots[s] as Slot;
      if (slot.kind === 'field' && slot.name !== null) byName.set(slot.name, fields[at + k] as string);
    });
    return run.every((s) => (checks[s] ?? []).every((condition) => evalBool(condition, test)));
  };
  const name = (run: readonly number[], at: number): void => {
    run.forEach((s, k) => {
      const slot = slots[s] as Slot;
      names[at + k] = slot.kind === 'field' ? slot.name : null;
    });
  };
  const first = runs[0] as number[];
  if (runs.length === 1) {
    if (fields.length !== first.length || !fits(first, 0)) return null;
    name(first, 0);
    return { fields, names };
  }
  const last = runs[runs.length - 1] as number[];
  const lastAt = fields.length - last.length;
  if (lastAt < first.length || !fits(first, 0) || !fits(last, lastAt)) return null;
  const placed: [number[], number][] = [
    [first, 0],
    [last, lastAt],
  ];
  let pos = first.length;
  for (let r = 1; r < runs.length - 1; r++) {
    const run = runs[r] as number[];
    while (pos + run.length <= lastAt && !fits(run, pos)) pos++;
    if (pos + run.length > lastAt) return null;
    placed.push([run, pos]);
    pos += run.length;
  }
  for (const [run, at] of placed) {
    fits(run, at);
    name(run, at);
  }
  return { fields, names };
}

/** The placement search for patterns whose conditions test fields across `...` (backtracking, memoised). */
function searchDelimited(plan: DelimitedPlan, fields: string[]): DelimitedMatch | null {
  const { slots, checks, need, independent } = plan;
  const names: (string | null)[] = new Array<string | null>(fields.length).fill(null);
  const byName = new Map<string, string>();
  const test = (c: FieldCondition): boolean => compareField(byName.get(c.field) ?? '', c.op, c.value);

  const failed = new Set<number>();
  const place = (s: number, f: number): boolean => {
    if (s === slots.length) return f === fields.length;
    const key = s * (fields.length + 1) + f;
    if (failed.has(key)) return false;
    const fits = placeAt(s, f);
    if (!fits && independent[s] === true) failed.add(key);
    return fits;
  };
  const placeAt = (s: number, f: number): boolean => {
    const slot = slots[s] as Slot;
    if (slot.kind === 'field') {
      if (f >= fields.length) return false;
      names[f] = slot.name;
      if (slot.name !== null) byName.set(slot.name, fields[f] as string);
      if (!(checks[s] ?? []).every((condition) => evalBool(condition, test))) return false;
      return place(s + 1, f + 1);
    }
    for (let k = 0; f + k + (need[s + 1] ?? 0) <= fields.length; k++) {
      for (let j = f; j < f + k; j++) names[j] = null;
      if (place(s + 1, f + k)) return true;
    }
    return false;
  };
  return place(0, 0) ? { fields, names } : null;
}

function extractedValues(match: DelimitedMatch): Record<string, string> {
  const out: Record<string, string> = {};
  match.fields.forEach((field, i) => {
    const name = match.names[i];
    out[name === null || name === undefined ? `$${i + 1}` : `$${name}`] = field;
  });
  return out;
}

function insertKeys(node: KeyTree, segments: readonly SelectorSegment[], i: number): KeyTree {
  const segment = segments[i];
  if (node === 'all' || segment === undefined) return node;
  if (segment.kind === 'anyKey') return 'all';
  if (segment.kind !== 'key') return insertKeys(node, segments, i + 1);
  node.set(segment.key, insertKeys(node.get(segment.key) ?? new Map<string, KeyTree>(), segments, i + 1));
  return node;
}

/** The object keys the selectors of a JSON pattern read (see {@link KeyTree}). */
function keyTreeOf(expr: BoolExpr<JsonCondition>): KeyTree {
  let tree: KeyTree = new Map<string, KeyTree>();
  const visit = (e: BoolExpr<JsonCondition>): void => {
    if (e.kind === 'cond') tree = insertKeys(tree, e.cond.selector.segments, 0);
    else {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(expr);
  return tree;
}

/**
 * A necessary condition of a JSON pattern on the raw event text: at least one of `literals` occurs in it.
 * `raw` literals are JSON tokens (`null`, `true`, `false`), which cannot be written escaped; the others are
 * (parts of) string values or keys, which a JSON writer may escape (`\uXXXX`, `\/`, `\"`).
 */
interface Requirement {
  literals: string[];
  raw: boolean;
  /** Made of object keys only (they narrow less than values: most records have most keys). */
  key: boolean;
}

/** Characters that may be written escaped in JSON other than by `\uXXXX`: `"`, `\`, `/` and controls. */
// eslint-disable-next-line no-control-regex
const ESCAPABLE = /["\\/\u0000-\u001f]/;

/** How much a requirement narrows: values before tokens before keys, then by the shortest literal. */
function narrowness(r: Requirement): number {
  const rank = r.key ? 0 : r.raw ? 1000 : 2000;
  return rank + Math.min(...r.literals.map((l) => l.length));
}

/**
 * Requirements of a JSON condition: the value's longest wildcard piece for `=` with a string (every piece is
 * part of the selected value, so of the event: wildcardMatches), the token for IS NULL/TRUE/FALSE, and the
 * selector's last key for every condition that needs the field present (all but NOT EXISTS).
 */
function conditionRequirements(cond: JsonCondition): Requirement[] {
  if (cond.kind === 'notExists') return [];
  const out: Requirement[] = [];
  if (cond.kind === 'compare' && cond.op === '=' && cond.value.kind === 'string') {
    const longest = cond.value.pieces.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest !== '') out.push({ literals: [longest], raw: false, key: false });
  } else if (cond.kind !== 'compare') {
    out.push({
      literals: [cond.kind === 'isNull' ? 'null' : cond.kind === 'isTrue' ? 'true' : 'false'],
      raw: true,
      key: false,
    });
  }
  const key = cond.selector.segments.findLast((segment) => segment.kind === 'key');
  if (key?.kind === 'key' && key.key !== '') out.push({ literals: [key.key], raw: false, key: true });
  return out;
}

/**
 * Necessary conditions of a JSON pattern on the raw text, the narrowest first (at most two are kept): `&&`
 * keeps both sides' requirements, `||` one requirement that joins the narrowest of each side (none when a
 * side has none).
 */
function patternRequirements(expr: BoolExpr<JsonCondition>): Requirement[] {
  let out: Requirement[];
  if (expr.kind === 'cond') out = conditionRequirements(expr.cond);
  else {
    const left = patternRequirements(expr.left);
    const right = patternRequirements(expr.right);
    if (expr.kind === 'and') out = [...left, ...right];
    else {
      const [a] = left;
      const [b] = right;
      out =
        a === undefined || b === undefined
          ? []
          : [{ literals: [...a.literals, ...b.literals], raw: a.raw && b.raw, key: a.key || b.key }];
    }
  }
  return out.sort((x, y) => narrowness(y) - narrowness(x)).slice(0, 2);
}

/**
 * A cheap test on the raw text that is false only when the JSON pattern cannot match (so the parse can be
 * skipped), or undefined when the pattern has no requirement. A literal that a JSON writer may escape is
 * looked for only when it cannot appear escaped: the text has no backslash at all, or the literal has no
 * character escapable other than by `\u` and the text has no `\u`.
 */
function rawPrefilter(expr: BoolExpr<JsonCondition>): ((message: string) => boolean) | undefined {
  const requirements = patternRequirements(expr);
  if (requirements.length === 0) return undefined;
  return (message) => {
    const backslash = message.includes('\\');
    const unicode = backslash && message.includes('\\u');
    for (const { literals, raw } of requirements) {
      const usable = raw || !backslash || (!unicode && literals.every((l) => !ESCAPABLE.test(l)));
      if (usable && !literals.some((l) => message.includes(l))) return false;
    }
    return true;
  };
}

function scalarOf(v: JsonValue | undefined): string | number | boolean | undefined {
  if (v instanceof JsonNumber) return v.value;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return undefined;
}

/** Options of {@link compileFilterPattern}. */
export interface CompileOptions {
  /**
   * JSON patterns first test the raw text for a literal every match needs (a string value, a key, `null`…)
   * and skip the parse when it is absent; default true. The result is the same either way.
   */
  prefilter?: boolean;
}

/**
 * Compiles a CloudWatch Logs filter pattern (term, `%regex%`, JSON `{…}` or space-delimited `[…]`).
 *
 * @param pattern the filter pattern, at most 1,024 characters; empty or blank matches every event.
 * @param options `prefilter: false` turns off the raw-text test of JSON patterns (for comparisons).
 * @returns a {@link CompiledFilterPattern}; evaluation never throws (a JSON pattern does not match a message
 *   that is not JSON, an inferred rule: cloudwatch-semantics.md A.4; for speed, the values of keys the pattern
 *   does not read are only delimited, not validated).
 * @throws FilterPatternError (message, 1-based `column`) for a pattern CloudWatch Logs would reject.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function compileFilterPattern(pattern: string, options: CompileOptions = {}): CompiledFilterPattern {
  const ast = parseFilterPattern(pattern);
  switch (ast.kind) {
    case 'all':
      return {
        pattern,
        ast,
        matches: () => true,
        extract: () => ({}),
        resolver: () => () => undefined,
      };
    case 'terms': {
      const { required, excluded, optional } = ast;
      const matches = (message: string): boolean =>
        required.every((t) => termPresent(message, t)) &&
        !excluded.some((t) => termPresent(message, t)) &&
        (optional.length === 0 || optional.some((t) => termPresent(message, t)));
      return {
        pattern,
        ast,
        matches,
        extract: (message) => (matches(message) ? {} : null),
        resolver: (message) => (matches(message) ? () => undefined : null),
      };
    }
    case 'json': {
      const selectors = new Map<string, Selector | null>();
      const selectorOf = (reference: string): Selector | null => {
        let selector = selectors.get(reference);
        if (selector === undefined) {
          selector = parseSelectorReference(reference);
          selectors.set(reference, selector);
        }
        return selector;
      };
      const keys = keyTreeOf(ast.expr);
      const prefilter = options.prefilter === false ? undefined : rawPrefilter(ast.expr);
      const test = (message: string): boolean => {
        if (prefilter !== undefined && !prefilter(message)) return false;
        const root = parseJson(message, keys);
        return root !== undefined && evalBool(ast.expr, (c) => evalJsonCondition(root, c));
      };
      return {
        pattern,
        ast,
        matches: test,
        extract: (message) => (test(message) ? {} : null),
        resolver: (message) => {
          if (!test(message)) return null;
          // References may read keys the pattern does not: parse the whole (matching) event once.
          let root: JsonValue | undefined;
          return (reference) => {
            const selector = selectorOf(reference);
            if (selector === null) return undefined;
            root ??= parseJson(message);
            return root === undefined ? undefined : scalarOf(resolveSingle(root, selector));
          };
        },
      };
    }
    case 'delimited': {
      const plan = planDelimited(ast.slots);
      return {
        pattern,
        ast,
        matches: (message) => matchDelimited(plan, message) !== null,
        extract: (message) => {
          const m = matchDelimited(plan, message);
          return m === null ? null : extractedValues(m);
        },
        resolver: (message) => {
          const m = matchDelimited(plan, message);
          if (m === null) return null;
          const values = extractedValues(m);
          return (reference) => {
            const positional = /^\$(\d+)$/.exec(reference);
            if (positional !== null) return m.fields[Number(positional[1]) - 1];
            return values[reference];
          };
        },
      };
    }
  }
}

/**
 * Parses a `$.a.b[0]` reference (a metric value or dimension) with the pattern grammar; null when it is not
 * a selector without wildcards.
 */
export function parseSelectorReference(reference: string): Selector | null {
  if (!/^\$[.[]/.test(reference)) return null;
  try {
    const ast = parseFilterPattern(`{ ${reference} NOT EXISTS }`);
    if (ast.kind !== 'json' || ast.expr.kind !== 'cond' || ast.expr.cond.selector.hasWildcard) return null;
    return ast.expr.cond.selector.text === reference ? ast.expr.cond.selector : null;
  } catch {
    return null;
  }
}

/**
 * The offline TestMetricFilter: which of `messages` match `pattern`, with their extracted values.
 * Same response shape as the CloudWatch Logs API (`{ matches: [{ eventNumber, eventMessage, extractedValues }] }`,
 * eventNumber 1-based). Unlike the API, takes any number of messages (the API takes 1 to 50).
 * @throws FilterPatternError for an invalid pattern.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html
 */
export function testMetricFilter(
  pattern: string | CompiledFilterPattern,
  messages: readonly string[],
): { matches: MetricFilterMatchRecord[] } {
  const compiled = typeof pattern === 'string' ? compileFilterPattern(pattern) : pattern;
  const matches: MetricFilterMatchRecord[] = [];
  messages.forEach((eventMessage, i) => {
    const extractedValues = compiled.extract(eventMessage);
    if (extractedValues !== null) matches.push({ eventNumber: i + 1, eventMessage, extractedValues });
  });
  return { matches };
}
