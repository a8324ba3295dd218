/**
 * A JSON parser that keeps the source text of every number.
 *
 * CloudWatch compares a quoted or wildcard value with a JSON number as text ("`$.someInt != "123.0"` matches
 * 123", "`$.someFloat2 != "12"` matches 12.0": live-AWS observations in shared/reference/cloudwatch-semantics.md
 * A.4), so the text as written must survive parsing; `JSON.parse` loses it.
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

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

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

  value(): JsonValue {
    this.ws();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
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
    const t = this.text;
    const start = ++this.pos;
    // Fast path: no escapes.
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        return t.slice(start, this.pos++);
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c)) this.fail();
      this.pos++;
    }
    // Slow path: let JSON.parse decode the escapes of this one string.
    let end = this.pos;
    for (;;) {
      const c = t.charCodeAt(end);
      if (Number.isNaN(c)) this.fail();
      if (c === 0x5c) end += 2;
      else if (c === 0x22) break;
      else end++;
    }
    this.pos = end + 1;
    try {
      return JSON.parse(t.slice(start - 1, end + 1)) as string;
    } catch {
      return this.fail();
    }
  }

  array(): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  object(): JsonObject {
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
      const key = this.string();
      this.ws();
      if (this.text[this.pos++] !== ':') this.fail();
      out[key] = this.value();
      this.ws();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
    }
  }
}

/**
 * Parses `text` as one JSON value (surrounding whitespace allowed), keeping number texts.
 * Returns `undefined` when `text` is not valid JSON (a JSON filter pattern then does not match).
 */
export function parseJson(text: string): JsonValue | undefined {
  const parser = new Parser(text);
  try {
    const value = parser.value();
    parser.ws();
    return parser.pos === text.length ? value : undefined;
  } catch {
    return undefined;
  }
}
