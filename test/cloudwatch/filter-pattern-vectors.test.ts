import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { compileFilterPattern } from '../../src/cloudwatch/index.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../../src/defaults.js';
import { describeWithSamples, SAMPLES_DIR } from '../helpers/samples.js';

interface Vector {
  pattern: string;
  event: string;
  match: boolean;
  note?: string;
}

interface IndexEntry {
  file: string;
  root_usage_expected: boolean;
}

describeWithSamples('filter-pattern-vectors.json (shared samples)', () => {
  const vectors = JSON.parse(
    readFileSync(join(SAMPLES_DIR, 'filter-pattern-vectors.json'), 'utf8'),
  ) as Vector[];

  it('has vectors', () => {
    expect(vectors.length).toBeGreaterThan(200);
  });

  it.each(vectors.map((v, i) => [i, v.pattern, v.match, v] as const))(
    '#%i %s → %s',
    (_i, pattern, match, vector) => {
      expect(compileFilterPattern(pattern).matches(vector.event)).toBe(match);
    },
  );
});

describeWithSamples('CIS root-usage pattern over shared CloudTrail samples', () => {
  const dir = join(SAMPLES_DIR, 'cloudtrail');
  const index = JSON.parse(readFileSync(join(dir, 'INDEX.json'), 'utf8')) as IndexEntry[];
  const cis = compileFilterPattern(ROOT_USAGE_FILTER_PATTERN);

  it('INDEX.json lists every record file', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'INDEX.json');
    expect(index.map((e) => e.file).sort()).toEqual(files.sort());
  });

  it.each(index.map((e) => [e.file, e.root_usage_expected] as const))('%s → %s', (file, expected) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(cis.matches(text)).toBe(expected);
    // CloudTrail sends compact JSON to CloudWatch Logs: the result must not depend on the layout.
    expect(cis.matches(JSON.stringify(JSON.parse(text)))).toBe(expected);
  });
});
