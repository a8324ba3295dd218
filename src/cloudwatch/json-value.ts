/**
 * A JSON parser that keeps the source text of every number.
 *
 * CloudWatch compares a quoted or wildcard value with a JSON number as text ("`$.someInt != "123.0"` matches
 * 123", "`$.someFloat2 != "12"` matches 12.0": behaviour observed in live AWS, held by
 * test/cloudwatch/filter-pattern-vectors.test.ts), so the text as written must survive parsing; `JSON.parse` loses it.
 */

/** A JSON number with its numeric value and its source text (e.g. `12.0`, `1e-3`). */
export class JsonNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

/** A parsed JSON value. Objects have no prototype; duplicate keys keep the last value, as `JSON.parse` does. */
export type JsonValue = string | JsonNumber | boolean | null | JsonValue[] | JsonObject;
/** A parsed JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** True for a parsed JSON object (not an array, not null). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}

/**
 * The object keys a JSON pattern reads, as a tree: `'all'` parses a value completely; a map lists the keys to
 * parse, and the values of other keys are skipped without building them. Array elements share their array's
 * tree (an index does not name a key).
 */
export type KeyTree = Map<string, KeyTree> | 'all';

// Control characters must be escaped inside JSON strings.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;
const STRUCTURAL = /["{}[\]]/g;
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const lengthsOf = new WeakMap<Map<string, KeyTree>, Set<number>>();

/** The lengths of the keys of `tree` (cached). */
function keyLengths(tree: Map<string, KeyTree>): Set<number> {
  let lengths = lengthsOf.get(tree);
  if (lengths === undefined) {
    lengths = new Set([...tree.keys()].map((k) => k.length));
    lengthsOf.set(tree, lengths);
  }
  return lengths;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(): never {
    throw new SyntaxError(`invalid JSON at offset ${this.pos}`);
  }

  ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++this.pos);
  }

  value(tree: KeyTree = 'all'): JsonValue {
    this.ws();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(tree);
      case '[':
        return this.array(tree);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail();
    this.pos += word.length;
    return value;
  }

  number(): JsonNumber {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) this.fail();
    this.pos += m[0].length;
    return new JsonNumber(Number(m[0]), m[0]);
  }

  string(): string {
    const open = this.pos;
    const close = this.stringEnd(open);
    this.pos = close + 1;
    const raw = this.text.slice(open + 1, close);
    if (!raw.includes('\\') && !CONTROL.test(raw)) return raw;
    try {
      return JSON.parse(this.text.slice(open, close + 1)) as string;
    } catch {
      return this.fail();
    }
  }

  /** Moves past one value without building it (a skipped value is not validated beyond its extent). */
  skip(): void {
    this.ws();
    const t = this.text;
    const c = t[this.pos];
    if (c === '"') {
      this.pos = this.stringEnd(this.pos) + 1;
      return;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      STRUCTURAL.lastIndex = this.pos;
      for (;;) {
        const m = STRUCTURAL.exec(t);
        if (m === null) this.fail();
        const d = m[0];
        if (d === '"') {
          STRUCTURAL.lastIndex = this.stringEnd(m.index) + 1;
        } else if (d === '{' || d === '[') {
          depth++;
        } else if (--depth === 0) {
          this.pos = m.index + 1;
          return;
        }
      }
    }
    const start = this.pos;
    for (let d = t[this.pos]; d !== undefined && !',}] \t\n\r'.includes(d); d = t[++this.pos]);
    if (this.pos === start) this.fail();
  }

  /** Index of the quote that closes the string opening at `open`. */
  stringEnd(open: number): number {
    const t = this.text;
    let from = open + 1;
    for (;;) {
      const close = t.indexOf('"', from);
      if (close < 0) this.fail();
      let backslashes = 0;
      while (t.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) return close;
      from = close + 1;
    }
  }

  /** The key read last by {@link keyIn} (valid when it returned a tree). */
  lastKey = '';

  /**
   * Reads the key at `pos` and returns its subtree in `tree`, or undefined when the pattern does not read it.
   * A key without backslashes is compared as written, and only when its length is that of a key in `tree`
   * (keys the pattern does not read are then neither copied nor validated, like the values they name).
   */
  keyIn(tree: Map<string, KeyTree>): KeyTree | undefined {
    const t = this.text;
    const open = this.pos;
    const close = this.stringEnd(open);
    let plain = true;
    for (let i = open + 1; i < close; i++) {
      if (t.charCodeAt(i) === 0x5c) {
        plain = false;
        break;
      }
    }
    if (!plain) {
      this.lastKey = this.string();
      return tree.get(this.lastKey);
    }
    this.pos = close + 1;
    if (!keyLengths(tree).has(close - open - 1)) return undefined;
    const key = t.slice(open + 1, close);
    const sub = tree.get(key);
    if (sub !== undefined) {
      if (CONTROL.test(key)) this.fail();
      this.lastKey = key;
    }
    return sub;
  }

  array(tree: KeyTree): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(tree));
      this.ws();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  object(tree: KeyTree): JsonObject {
    this.pos++;
    const out = Object.create(null) as JsonObject;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail();
      let sub: KeyTree | undefined = tree;
      if (tree === 'all') this.lastKey = this.string();
      else sub = this.keyIn(tree);
      const key = this.lastKey;
      this.ws();
      if (this.text[this.pos++] !== ':') this.fail();
      if (sub === undefined) this.skip();
      else out[key] = this.value(sub);
      this.ws();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
    }
  }
}

/**
 * Parses `text` as one JSON value (surrounding whitespace allowed), keeping number texts. With a `keys` tree,
 * only those object keys are built (the others are skipped, which makes a JSON pattern several times faster
 * on CloudTrail records; a skipped value is not validated beyond its extent).
 * Returns `undefined` when `text` is not valid JSON (a JSON filter pattern then does not match).
 */
export function parseJson(text: string, keys: KeyTree = 'all'): JsonValue | undefined {
  const parser = new Parser(text);
  try {
    const value = parser.value(keys);
    parser.ws();
    return parser.pos === text.length ? value : undefined;
  } catch {
    return undefined;
  }
}
