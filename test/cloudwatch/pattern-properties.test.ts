/**
 * Property tests (fast-check, each bounded to about 3 s) over the filter-pattern parser and compiler: no
 * unhandled exception on arbitrary patterns and events, the JSON pre-filter never changes a result, the
 * linear-time regex engine agrees with JavaScript's RegExp on CloudWatch's subset, and the linear placement of
 * space-delimited runs agrees with the placement search.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilterPattern, FilterPatternError } from '../../src/cloudwatch/index.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../../src/defaults.js';

const LIMIT = { interruptAfterTimeLimit: 3_000, numRuns: 2_000 };

const chars = (alphabet: string, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { maxLength }).map((a) => a.join(''));

describe('parser and compiler never throw anything but FilterPatternError', () => {
  const patternChars = 'ab$.{}[]()%"\\*?-=!<>&|, 0123xIS NULTREXFO:\'\u2028é';
  it('on arbitrary pattern strings, and matching never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), chars(patternChars, 60)), fc.string(), (p, m) => {
        let compiled;
        try {
          compiled = compileFilterPattern(p);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterPatternError);
          return;
        }
        compiled.matches(m);
        compiled.extract(m);
        compiled.resolver(m);
      }),
      LIMIT,
    );
  });
});

/** Random CloudTrail-like records, with strings that JSON writers escape (`\uXXXX`, `\/`, quotes). */
const word = fc.constantFrom(
  'Root',
  'IAMUser',
  'AwsServiceEvent',
  'AwsApiCall',
  'ConsoleLogin',
  'a/b',
  'x"y',
  '',
);
const value = fc.oneof(word, fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
const record = fc.record(
  {
    eventType: value,
    eventName: value,
    userIdentity: fc.record({ type: value, invokedBy: value }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
/** JSON text of `v` with some string characters written as `\uXXXX` or `\/` (what other writers produce). */
function escapedJson(v: unknown, seed: number): string {
  let n = seed;
  const str = (text: string): string =>
    `"${[...text]
      .map((c) => {
        n = (n * 1103515245 + 12345) % 2 ** 31;
        if (n % 3 !== 0) return JSON.stringify(c).slice(1, -1);
        return c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      })
      .join('')}"`;
  const go = (x: unknown): string => {
    if (typeof x === 'string') return str(x);
    if (x === null || typeof x !== 'object') return JSON.stringify(x);
    return `{${Object.entries(x)
      .map(([k, y]) => `${str(k)}:${go(y)}`)
      .join(',')}}`;
  };
  return go(v);
}

describe('the JSON pre-filter never changes a result', () => {
  const patterns = [
    ROOT_USAGE_FILTER_PATTERN,
    '{ $.eventName = "ConsoleLogin" || $.eventName = "a/b" || $.eventName = x* }',
    '{ $.userIdentity.type = R*t && $.eventType IS NULL }',
    '{ $.eventName = "x\\"y" || $.userIdentity.invokedBy IS TRUE }',
    '{ $.userIdentity.* = "IAMUser" || $.eventType = *Event }',
    '{ $.eventName != "Root" && $.eventType IS FALSE }',
  ];
  it.each(patterns)('%s', (pattern) => {
    const on = compileFilterPattern(pattern);
    const off = compileFilterPattern(pattern, { prefilter: false });
    fc.assert(
      fc.property(record, fc.nat(), (r, seed) => {
        for (const text of [JSON.stringify(r), escapedJson(r, seed)]) {
          expect(JSON.parse(text)).toEqual(r);
          expect(on.matches(text)).toBe(off.matches(text));
        }
      }),
      LIMIT,
    );
  });
});

describe('%regex% on the linear-time engine', () => {
  it('agrees with JavaScript RegExp on the documented subset (short inputs)', () => {
    const atom = fc.constantFrom('a', 'b', '.', '\\d', '\\w', '\\s', '[ab]', '[^a]', '\\x3A', '1', ':', '-');
    const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,2}');
    const regex = fc
      .tuple(
        fc.boolean(),
        fc.array(fc.tuple(atom, quantifier), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.option(fc.array(fc.tuple(atom, quantifier), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      )
      .map(
        ([start, parts, end, alt]) =>
          `${start ? '^' : ''}${parts.map(([a, q]) => a + q).join('')}${alt ? `|${alt.map(([a, q]) => a + q).join('')}` : ''}${end ? '$' : ''}`,
      );
    fc.assert(
      fc.property(regex, chars('ab1: -', 8), (source, text) => {
        const compiled = compileFilterPattern(`%${source}%`);
        expect(compiled.matches(text)).toBe(new RegExp(source).test(text));
      }),
      LIMIT,
    );
  });

  it('finishes the catastrophic pattern on long lines in milliseconds (native RegExp: minutes)', () => {
    const compiled = compileFilterPattern('%a*a*a*a*a*a*a*a*a*a*a*c%');
    const t0 = performance.now();
    expect(compiled.matches('a'.repeat(40))).toBe(false);
    expect(compiled.matches('a'.repeat(20_000))).toBe(false);
    expect(compiled.matches(`${'a'.repeat(20_000)}c`)).toBe(true);
    // Generous for a loaded CI machine; the backtracking engine needs far longer for 40 characters.
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it.each([
    ['%[[:alpha:]]%', 'POSIX character classes'],
    ['%a**%', 'Invalid regular expression'],
    ['%x{2000}%', 'Invalid regular expression'],
    ['%a(b)%', 'Parentheses are not supported'],
    ['%a!%', "Invalid character '!'"],
  ])('rejects %s', (pattern, message) => {
    expect(() => compileFilterPattern(pattern)).toThrow(message);
  });
});

describe('space-delimited runs between ... are placed like the search places them', () => {
  it('agrees with the search (forced by a condition across ...) on matches and extracted values', () => {
    const slot = fc.constantFrom('...', 'f', 'f = a', 'f = b*', 'f != a', 'f > 1', 'f = %^\\d$%');
    const event = fc.array(fc.constantFrom('a', 'b', 'ba', '1', '2', '"a b"', '[x y]'), { maxLength: 9 });
    fc.assert(
      fc.property(fc.array(slot, { minLength: 1, maxLength: 6 }), event, (slots, fields) => {
        let n = 0;
        const named = slots.map((s) => (s === '...' ? s : s.replace('f', `f${n++}`)));
        if (n === 0 || !named.includes('...')) return;
        const regexes = named.filter((s) => s.includes('%')).length;
        if (regexes > 1) return;
        const linear = compileFilterPattern(`[${named.join(', ')}]`);
        // `f0 = *` is true for every field, and tests the first field from the last slot: a condition across `...`.
        const last = named.length - 1 - [...named].reverse().findIndex((s) => s !== '...');
        const forced = named.map((s, i) =>
          i === last && s !== 'f0' ? `${s.includes(' ') ? s : `${s} = *`} && f0 = *` : s,
        );
        if (last === named.indexOf(named.find((s) => s.startsWith('f0')) as string)) return;
        const search = compileFilterPattern(`[${forced.join(', ')}]`);
        const line = fields.join(' ');
        expect(linear.extract(line)).toEqual(search.extract(line));
      }),
      LIMIT,
    );
  });
});
