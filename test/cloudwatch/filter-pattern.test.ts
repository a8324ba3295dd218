import { describe, expect, it } from 'vitest';
import {
  compileFilterPattern,
  FilterPatternError,
  splitDelimitedFields,
  testMetricFilter,
  wildcardMatches,
} from '../../src/cloudwatch/index.js';

const APACHE = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

function errorOf(pattern: string): { message: string; column: number } {
  try {
    compileFilterPattern(pattern);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterPatternError);
    const e = error as FilterPatternError;
    expect(e.pattern).toBe(pattern);
    return { message: e.message, column: e.column };
  }
  throw new Error(`pattern was accepted: ${pattern}`);
}

describe('invalid patterns: message and 1-based column', () => {
  it.each([
    ['{ $.a = }', 9, /Expected a value after '=', found '}'/],
    ['{ $.a > "1" }', 9, /'>' compares numbers/],
    ['{ $.a >= quoted }', 10, /'>=' compares numbers/],
    ['{ $.a IS NOT NULL }', 10, /'IS NOT' is not supported/],
    ['{ $.a EXISTS }', 7, /'EXISTS' is not supported/],
    ['{ $.a = 1', 1, /Missing closing '}'/],
    ['{ $.a = 1 } x', 13, /Unexpected text after the closing '}'/],
    ['[a, b', 1, /Missing closing ']'/],
    ['ERROR:', 6, /Invalid character\(s\) in term: ':'/],
    ['%a(b)%', 3, /Parentheses are not supported/],
    ['%something!%', 11, /Invalid character '!'/],
    ['%abc', 1, /Unterminated regular expression/],
    ['%é%', 2, /Multi-byte characters/],
    ['{ $.a = %x% && $.b = %y% && $.c = %z% }', 35, /at most 2 regular expressions/],
    ['{ $.a[*].b[*] = 1 }', 12, /at most one wildcard/],
    ['{ $.a[*] = 1 || $.b[*] = 1 || $.c[*] = 1 || $.d[*] = 1 }', 49, /at most 3 wildcard selectors/],
    ['{ $ = 1 }', 4, /Expected '.' or '\[' after '\$'/],
    ['{ $.a = foo@bar }', 12, /Invalid character\(s\) in term: '@'/],
    ['{ $.a == 1 }', 7, /'==' is not an operator/],
    ['{ ($.a = 1 }', 3, /Missing closing '\)'/],
    ['{ $.a = 1 && }', 14, /Expected a selector starting with '\$', found '}'/],
    ['{ a = 1 }', 3, /Expected a selector starting with '\$'/],
    ['{ $.a IS MAYBE }', 10, /Expected NULL, TRUE or FALSE after IS/],
    ['{ $.a[x] = 1 }', 7, /Expected an array index/],
    ['{}', 1, /Empty JSON pattern/],
    ['[a, a]', 5, /Field name 'a' is used twice/],
    ['[a = 1 && c = 2, b]', 11, /Unknown field 'c'/],
    ['[a, ... b]', 9, /Expected ',' or ']', found 'b'/],
    ['[a b]', 4, /Expected an operator .* after 'a', found 'b'/],
    ['? ', 2, /Expected a term after '\?'/],
    ['"abc', 1, /Unterminated quoted string/],
    ['x'.repeat(1025), 1025, /longer than 1024 characters/],
  ])('%s → column %i', (pattern, column, message) => {
    const e = errorOf(pattern);
    expect(e.column).toBe(column);
    expect(e.message).toMatch(message);
  });

  it('accepts exactly 1,024 characters and 2 regexes', () => {
    expect(compileFilterPattern('x'.repeat(1024)).matches('x'.repeat(1024))).toBe(true);
    expect(compileFilterPattern('{ $.a = %x% && $.b = %y% }').matches('{"a":"x","b":"y"}')).toBe(true);
  });
});

describe('term patterns', () => {
  it('empty, blank and quoted-blank patterns match everything', () => {
    for (const p of ['', '   ', '" "', '""']) expect(compileFilterPattern(p).matches('anything')).toBe(true);
  });

  it('? terms alone are OR; mixed with - terms they are ignored', () => {
    expect(compileFilterPattern('?ERROR ?WARN').matches('INFO only')).toBe(false);
    expect(compileFilterPattern('?ERROR -WARN').matches('INFO only')).toBe(true);
    expect(compileFilterPattern('?ERROR -WARN').matches('WARN ERROR')).toBe(false);
  });

  it('quoted terms keep escaped quotes and can be excluded or optional', () => {
    expect(compileFilterPattern('"say \\"hi\\""').matches('they say "hi" here')).toBe(true);
    expect(compileFilterPattern('-"a b"').matches('a b c')).toBe(false);
    expect(compileFilterPattern('?"a b" ?"c d"').matches('x c d')).toBe(true);
  });

  it('a standalone regex finds a substring', () => {
    expect(compileFilterPattern('%[0-9]{3}%').matches('code 404 here')).toBe(true);
    expect(compileFilterPattern('%^code$%').matches('code 404')).toBe(false);
  });
});

describe('JSON patterns', () => {
  const event = JSON.stringify({
    n: 12.5,
    zero: 0,
    neg: -3,
    s: 'abc',
    num: '50',
    t: true,
    f: false,
    nil: null,
    list: [{ id: 1 }, { id: 2 }],
    obj: { 'a.b': 'dotted' },
  });
  const m = (pattern: string): boolean => compileFilterPattern(pattern).matches(event);

  it('numbers: signs, exponents and every comparison operator', () => {
    expect(m('{ $.n = 1.25e1 }')).toBe(true);
    expect(m('{ $.n = +12.5 }')).toBe(true);
    expect(m('{ $.neg < -2 }')).toBe(true);
    expect(m('{ $.neg <= -3 && $.neg >= -3 }')).toBe(true);
    expect(m('{ $.zero > -1E-3 }')).toBe(true);
    expect(m('{ $.n != 12.5 }')).toBe(false);
  });

  it('a numeric operator on a numeric string compares numbers; on text never matches', () => {
    expect(m('{ $.num > 40 }')).toBe(true);
    expect(m('{ $.s > 1 }')).toBe(false);
    expect(m('{ $.s < 1 }')).toBe(false);
  });

  it('IS TRUE / IS FALSE / IS NULL / NOT EXISTS', () => {
    expect(m('{ $.t IS TRUE && $.f IS FALSE && $.nil IS NULL && $.nope NOT EXISTS }')).toBe(true);
    expect(m('{ $.f IS TRUE }')).toBe(false);
    expect(m('{ $.nope IS NULL }')).toBe(false);
    expect(m('{ $.nil NOT EXISTS }')).toBe(false);
  });

  it('a missing field fails = and != alike; null fails comparisons', () => {
    expect(m('{ $.nope = "x" }')).toBe(false);
    expect(m('{ $.nope != "x" }')).toBe(false);
    expect(m('{ $.nil = * }')).toBe(false);
  });

  it('selectors: [n], [*], quoted keys, nested', () => {
    expect(m('{ $.list[1].id = 2 }')).toBe(true);
    expect(m('{ $.list[*].id = 2 }')).toBe(true);
    expect(m('{ $.list[*].id = 3 }')).toBe(false);
    expect(m("{ $.obj.['a.b'] = dotted }")).toBe(true);
    expect(m("{ $.obj['a.b'] = dotted }")).toBe(true);
    expect(m('{ $.list[5].id NOT EXISTS }')).toBe(true);
  });

  it('precedence: && binds tighter than ||', () => {
    expect(m('{ $.s = abc || $.s = x && $.n = 0 }')).toBe(true);
    expect(m('{ ($.s = abc || $.s = x) && $.n = 0 }')).toBe(false);
  });

  it('a message that is not JSON never matches', () => {
    expect(compileFilterPattern('{ $.a NOT EXISTS }').matches('plain text')).toBe(false);
    expect(compileFilterPattern('{ $.a NOT EXISTS }').matches('{"b":1} trailing')).toBe(false);
  });

  it('quoted values keep the number text as written', () => {
    const p = compileFilterPattern('{ $.x = "12.0" }');
    expect(p.matches('{"x":12.0}')).toBe(true);
    expect(p.matches('{"x":12}')).toBe(false);
    expect(compileFilterPattern('{ $.x = 12 }').matches('{"x":12.0}')).toBe(true);
  });

  it('decodes escapes in JSON strings', () => {
    expect(compileFilterPattern('{ $.k = "a\\"b" }').matches('{"k":"a\\"b"}')).toBe(true);
    expect(compileFilterPattern('{ $.k = "é" }').matches('{"k":"\\u00e9"}')).toBe(true);
  });
});

describe('wildcards (non-backtracking, as live AWS)', () => {
  it.each([
    [['123', ''], '123.4', true],
    [['', '.34'], '12.34', true],
    [['1', '3'], '123', true],
    [['111', '111'], '111.111.111.111', false],
    [['', '111.111.111'], '111.111.111.111', false],
    [['', '.111.111.111'], '111.111.111.111', true],
    [['a', 'b', 'c'], 'axbyc', true],
    [['a', 'b', 'c'], 'axbyb', false],
    [['', ''], '', true],
    [['abc'], 'abc', true],
    [['abc'], 'abcd', false],
  ])('%j ~ %s → %s', (pieces, value, expected) => {
    expect(wildcardMatches(pieces, value)).toBe(expected);
  });

  it('\\* in a quoted value is a literal star', () => {
    expect(compileFilterPattern('{ $.a = "x\\*y" }').matches('{"a":"x*y"}')).toBe(true);
    expect(compileFilterPattern('{ $.a = "x\\*y" }').matches('{"a":"xzy"}')).toBe(false);
  });
});

describe('space-delimited patterns', () => {
  it('splits on spaces; [..] and ".." are one field without their delimiters', () => {
    expect(splitDelimitedFields(APACHE)).toEqual([
      '127.0.0.1',
      'Prod',
      'frank',
      '10/Oct/2000:13:25:15 -0700',
      'GET /index.html HTTP/1.0',
      '404',
      '1534',
    ]);
    expect(splitDelimitedFields('  a   b\tc ')).toEqual(['a', 'b', 'c']);
  });

  it('extracts $name and $position values (doc example with trailing empty slot)', () => {
    expect(testMetricFilter('[..., request=*.html*, status_code=4*,]', [APACHE])).toEqual({
      matches: [
        {
          eventNumber: 1,
          eventMessage: APACHE,
          extractedValues: {
            $1: '127.0.0.1',
            $2: 'Prod',
            $3: 'frank',
            $4: '10/Oct/2000:13:25:15 -0700',
            $request: 'GET /index.html HTTP/1.0',
            $status_code: '404',
            $7: '1534',
          },
        },
      ],
    });
  });

  it('field count is strict; ... absorbs zero or more fields', () => {
    expect(compileFilterPattern('[a, b]').matches('x y z')).toBe(false);
    expect(compileFilterPattern('[a, b, ...]').matches('x y')).toBe(true);
    expect(compileFilterPattern('[..., a, ..., b = 2]').matches('1 2')).toBe(true);
    expect(compileFilterPattern('[a = 1, ..., b = 2, ...]').extract('1 x 2 y 2')).toEqual({
      $a: '1',
      $2: 'x',
      $b: '2',
      $4: 'y',
      $5: '2',
    });
  });

  it('a slot can test another field, and numbers compare numerically', () => {
    const p = compileFilterPattern('[ip, code = 4* && bytes > 1000, bytes]');
    expect(p.matches('1.2.3.4 404 1534')).toBe(true);
    expect(p.matches('1.2.3.4 404 999')).toBe(false);
    expect(p.matches('1.2.3.4 200 1534')).toBe(false);
    expect(compileFilterPattern('[a = 5]').matches('5.0')).toBe(true);
    expect(compileFilterPattern('[a != 5]').matches('five')).toBe(true);
    expect(compileFilterPattern('[a > 5]').matches('five')).toBe(false);
  });

  it('several ellipses stay fast on long events (failed placements are remembered)', () => {
    // Trying every placement of a, b and c among 400 fields would take minutes: the test would time out.
    const event = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    expect(compileFilterPattern('[..., a, ..., b, ..., c, ..., d = nope]').matches(event)).toBe(false);
    expect(compileFilterPattern('[..., ..., a = w398, ..., ..., b]').extract(event)).toMatchObject({
      $a: 'w398',
      $b: 'w399',
      $1: 'w0',
    });
  });

  it('parentheses group conditions in a slot', () => {
    const p = compileFilterPattern('[lvl, code = 1 || (code = 2 && lvl = ERROR), ...]');
    expect(p.matches('ERROR 2 x')).toBe(true);
    expect(p.matches('INFO 2 x')).toBe(false);
    expect(p.matches('INFO 1')).toBe(true);
  });
});

describe('testMetricFilter', () => {
  it('returns the matching events, 1-based, with {} for term patterns (aws-cli example)', () => {
    expect(
      testMetricFilter('ERROR', ['[ERROR] 400 BAD REQUEST', '[INFO] 200 OK', '[ERROR] 400 BAD REQUEST']),
    ).toEqual({
      matches: [
        { eventNumber: 1, eventMessage: '[ERROR] 400 BAD REQUEST', extractedValues: {} },
        { eventNumber: 3, eventMessage: '[ERROR] 400 BAD REQUEST', extractedValues: {} },
      ],
    });
  });

  it('throws FilterPatternError for an invalid pattern', () => {
    expect(() => testMetricFilter('{ $.a = ', [])).toThrow(FilterPatternError);
  });
});

describe('JSON patterns only build the keys they read', () => {
  it('skipped values with brackets, quotes and backslashes do not confuse the parser', () => {
    const p = compileFilterPattern('{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }');
    const event = JSON.stringify({
      requestParameters: { s: 'x}]"{[', path: 'C:\\dir\\', nested: [[{ a: '"' }], -1.5e3, true, null] },
      userIdentity: { arn: 'arn:aws:iam::111122223333:root', type: 'Root' },
      eventType: 'AwsApiCall',
    });
    expect(p.matches(event)).toBe(true);
    expect(p.matches(JSON.stringify(JSON.parse(event), null, 2))).toBe(true);
  });

  it('a metric value may read keys the pattern does not', () => {
    const p = compileFilterPattern('{ $.a = 1 }');
    expect(p.resolver('{"a":1,"b":{"c":42}}')?.('$.b.c')).toBe(42);
  });
});
