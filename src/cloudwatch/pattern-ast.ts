/**
 * The syntax tree of a CloudWatch Logs filter pattern, as built by `parseFilterPattern`.
 * Source: AWS CloudWatch Logs User Guide, "Filter pattern syntax for metric filters, subscription filters,
 * filter log events, and Live Tail" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */

/** Comparison operators of JSON and space-delimited conditions. */
export type ComparisonOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

import type { PatternRegex } from './regex.js';

/**
 * A value on the right of a comparison:
 * - `number`: an unquoted number literal (`123`, `-1.5e3`, `+1000`), compared numerically with numbers;
 * - `string`: quoted or unquoted text; `pieces` is the text split on unescaped `*` wildcards (one piece = no
 *   wildcard); `text` is the literal as written (without quotes);
 * - `regex`: a `%…%` regular expression, matched with find (substring) semantics.
 */
export type PatternValue =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'string'; text: string; pieces: readonly string[]; quoted: boolean }
  | { kind: 'regex'; regex: PatternRegex; source: string };

/** One step of a JSON selector: `.key` / `['key']`, `[n]`, `[*]` or `.*`. */
export type SelectorSegment =
  { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'anyIndex' } | { kind: 'anyKey' };

/** A JSON selector such as `$.userIdentity.type`; `text` is the selector as written. */
export interface Selector {
  text: string;
  segments: readonly SelectorSegment[];
  hasWildcard: boolean;
}

/** A condition of a JSON pattern. */
export type JsonCondition =
  | { kind: 'compare'; selector: Selector; op: ComparisonOp; value: PatternValue }
  | { kind: 'isNull' | 'isTrue' | 'isFalse' | 'notExists'; selector: Selector };

/** A condition on a field of a space-delimited pattern (`status_code = 4*`, `bytes > 1000`). */
export interface FieldCondition {
  kind: 'compare';
  field: string;
  op: ComparisonOp;
  value: PatternValue;
}

/** A boolean combination of conditions; `&&` binds tighter than `||`. */
export type BoolExpr<C> =
  { kind: 'and' | 'or'; left: BoolExpr<C>; right: BoolExpr<C> } | { kind: 'cond'; cond: C };

/** A term of a term pattern: a word or quoted phrase (substring), or a `%regex%` (find). */
export type Term = { kind: 'text'; text: string } | { kind: 'regex'; regex: PatternRegex };

/** A slot of a space-delimited pattern: `...`, or one field (named or not) with an optional condition. */
export type Slot =
  { kind: 'ellipsis' } | { kind: 'field'; name: string | null; condition: BoolExpr<FieldCondition> | null };

/**
 * A parsed filter pattern:
 * - `all`: empty or blank pattern (or only blank quoted terms), matches every event;
 * - `terms`: every `required` term present, no `excluded` term present, and, when there are no other terms,
 *   at least one `optional` term present (mixed with other terms, `?` terms are dropped at parse time);
 * - `json`: a `{ … }` pattern;
 * - `delimited`: a `[ … ]` pattern.
 */
export type FilterPatternAst =
  | { kind: 'all' }
  | { kind: 'terms'; required: readonly Term[]; excluded: readonly Term[]; optional: readonly Term[] }
  | { kind: 'json'; expr: BoolExpr<JsonCondition> }
  | { kind: 'delimited'; slots: readonly Slot[] };
