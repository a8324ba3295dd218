import { describe, expect, it } from 'vitest';
import type * as Api from '../src/index.js';

// The built package entry (`exports["."]` → dist/index.mjs), as a user of the package imports it.
const entry = (await import(new URL('../dist/index.mjs', import.meta.url).href)) as typeof Api;

describe('package entry', () => {
  it('exposes the filter-pattern API: compileFilterPattern and testMetricFilter', () => {
    const cis = entry.compileFilterPattern(entry.ROOT_USAGE_FILTER_PATTERN);
    expect(cis.matches('{"userIdentity":{"type":"Root"},"eventType":"AwsApiCall"}')).toBe(true);
    expect(cis.matches('{"userIdentity":{"type":"Root","invokedBy":"signin.amazonaws.com"}}')).toBe(false);
    expect(entry.testMetricFilter('[ip, user, status=4*]', ['1.2.3.4 bob 404', '1.2.3.4 bob 200'])).toEqual({
      matches: [
        {
          eventNumber: 1,
          eventMessage: '1.2.3.4 bob 404',
          extractedValues: { $ip: '1.2.3.4', $user: 'bob', $status: '404' },
        },
      ],
    });
    expect(() => entry.compileFilterPattern('{ $.a = ')).toThrow(entry.FilterPatternError);
  });

  it('exposes the handler and its parts', () => {
    expect(typeof entry.createHandler).toBe('function');
    expect(typeof entry.handler).toBe('function');
    expect(entry.parseLambdaEvent({})).toEqual([expect.objectContaining({ kind: 'unsupported' })]);
  });
});
