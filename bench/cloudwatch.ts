/**
 * Benchmark of the offline CloudWatch engine (figures and ratios, no pass/fail). Runs after `npm run build`
 * (the memory and `simulate` figures run the bundled CLI, dist/cli/secu-alert.mjs, in child processes).
 *
 *   npx tsx bench/cloudwatch.ts [records]      (default 200000)
 *
 * 1. Filter patterns over CloudTrail records (the fixture tree's records, repeated with fresh eventIDs):
 *    records/s of the CIS root-usage pattern, an OR-heavy and a wildcard pattern, each against a bare
 *    `JSON.parse` of the same records (ratio > 1: faster than parsing every record).
 * 2. A space-delimited pattern with two `...` on one 5 KB line, against splitting the line on spaces.
 * 3. The catastrophic `%regex%` `a*a*…c`: JavaScript's backtracking RegExp (the engine before re2js; run in a
 *    child process with a time limit, on a shorter line so that the bench cannot hang) against the engine the
 *    patterns use now, on a 40-character and a 100,000-character line.
 * 4. Peak RSS (process.resourceUsage().maxRSS of a child process) of `test-pattern` over 200k and 2M lines,
 *    and of `simulate` over 50k and 500k records, fed on stdin (flat memory: the ratios stay near 1).
 * 5. Wall time of `simulate --fast-path` against `simulate` over the same .json.gz files.
 * Environment: BENCH_ONLY=1,3 runs only those sections (default: all).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compileFilterPattern, readRecordTexts } from '../src/cloudwatch/index.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';

const total = Number(process.argv[2] ?? 200_000);
const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5').split(','));
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/secu-alert.mjs');
const maxRssHook = join(root, 'bench/max-rss.mjs');

const templates: Record<string, unknown>[] = [];
for await (const { text } of readRecordTexts([join(root, 'fixtures/cloudtrail')])) {
  const record = JSON.parse(text) as Record<string, unknown>;
  if ('eventTime' in record) templates.push(record);
}
const start = Date.parse('2026-11-02T00:00:00Z');
const recordText = (i: number): string => {
  const t = templates[i % templates.length] as Record<string, unknown>;
  return JSON.stringify({
    ...t,
    eventTime: new Date(start + i * 250).toISOString().replace('.000Z', 'Z'),
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  });
};
const messages: string[] = [];
for (let i = 0; i < total; i++) messages.push(recordText(i));
const mb = messages.reduce((n, m) => n + Buffer.byteLength(m), 0) / 1e6;

/** Seconds of one run of `run` over the records, after a warm-up on a tenth of them. */
function time(run: (list: readonly string[]) => number): { seconds: number; matched: number } {
  run(messages.slice(0, Math.ceil(total / 10)));
  const t0 = performance.now();
  const matched = run(messages);
  return { seconds: (performance.now() - t0) / 1000, matched };
}

const rate = (n: number, seconds: number): string =>
  `${Math.round(n / seconds)
    .toLocaleString('en-US')
    .padStart(10)} records/s`;

console.log(
  `${total.toLocaleString('en-US')} CloudTrail records, ${mb.toFixed(1)} MB, node ${process.version}\n`,
);
if (only.has('1')) {
  console.log('1. Filter patterns vs JSON.parse');
  const parse = time((list) => list.filter((m) => JSON.parse(m) !== null).length);
  console.log(`  ${'JSON.parse(record) only'.padEnd(30)} ${rate(total, parse.seconds)}`);
  const patterns: [string, string][] = [
    ['CIS root usage', ROOT_USAGE_FILTER_PATTERN],
    [
      'OR-heavy (6 event names)',
      '{ $.eventName = "ConsoleLogin" || $.eventName = "StopLogging" || $.eventName = "DeleteTrail" || ' +
        '$.eventName = "UpdateTrail" || $.eventName = "PutBucketPolicy" || $.eventName = "DescribeInstances" }',
    ],
    ['wildcard', '{ $.eventName = Describe* || $.sourceIPAddress = 203.0.113.* }'],
  ];
  for (const [name, pattern] of patterns) {
    const compiled = compileFilterPattern(pattern);
    const r = time((list) => list.filter((m) => compiled.matches(m)).length);
    console.log(
      `  ${name.padEnd(30)} ${rate(total, r.seconds)}  ${(parse.seconds / r.seconds).toFixed(2)}× JSON.parse  (${r.matched} matched)`,
    );
  }
}
if (only.has('2')) {
  console.log('\n2. Space-delimited pattern with two `...`, one 5 KB line');
  const line = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
  const split = (() => {
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < 100; i++) n += line.split(' ').length;
    return { ms: (performance.now() - t0) / 100, n };
  })();
  console.log(`  ${'line.split(" ")'.padEnd(36)} ${split.ms.toFixed(3).padStart(9)} ms`);
  for (const pattern of ['[..., a, ..., b = zz]', '[..., a, ..., b, ..., c = zz]']) {
    const compiled = compileFilterPattern(pattern);
    const t0 = performance.now();
    const matched = compiled.matches(line);
    const ms = performance.now() - t0;
    console.log(
      `  ${pattern.padEnd(36)} ${ms.toFixed(3).padStart(9)} ms  ${(ms / split.ms).toFixed(1)}× split  (${matched ? 'match' : 'no match'})`,
    );
  }
}
if (only.has('3')) {
  console.log('\n3. Catastrophic regex %a*a*a*a*a*a*a*a*a*a*a*c%');
  const source = 'a*a*a*a*a*a*a*a*a*a*a*c';
  const library = join(root, 'dist/index.mjs');
  /** Runs `code` (an ES module that prints a result) in a child with a time limit; the wall time. */
  const bounded = (code: string): string => {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      timeout: 10_000,
      encoding: 'utf8',
    });
    const ms = performance.now() - t0;
    if (child.error || child.signal) return '> 10 s (killed)';
    return `${ms.toFixed(0)} ms incl. node start (${child.stdout.trim()})`;
  };
  for (const n of [16, 20]) {
    console.log(
      `  ${`backtracking RegExp, ${n} chars`.padEnd(36)} ` +
        bounded(`console.log(/${source}/.test('a'.repeat(${n})) ? 'match' : 'no match')`),
    );
  }
  for (const n of [40, 100_000]) {
    console.log(
      `  ${`test-pattern engine, ${n.toLocaleString('en-US')} chars`.padEnd(36)} ` +
        bounded(
          `import { compileFilterPattern } from ${JSON.stringify(library)};\n` +
            `const c = compileFilterPattern('%${source}%'); const t0 = performance.now();\n` +
            `const m = c.matches('a'.repeat(${n}));\n` +
            `console.log((m ? 'match' : 'no match') + ', ' + (performance.now() - t0).toFixed(2) + ' ms in the match');`,
        ),
    );
  }
}
if (only.has('4')) {
  console.log('\n4. Peak RSS over growing input (child process, input on stdin)');
  const peakRss = (args: string[], lines: number, lineOf: (i: number) => string): Promise<number> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', maxRssHook, cli, ...args], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const block = Array.from({ length: 1000 }, (_, i) => `${lineOf(i)}\n`);
      let i = 0;
      const write = (): void => {
        while (i < lines) {
          const chunk = block.join('');
          i += block.length;
          if (!child.stdin.write(chunk)) {
            child.stdin.once('drain', write);
            return;
          }
        }
        child.stdin.end();
      };
      child.stdin.on('error', () => undefined);
      write();
      child.on('exit', () => {
        const kb = /maxRSS (\d+)/.exec(stderr)?.[1];
        if (kb === undefined) reject(new Error(`no maxRSS from the child: ${stderr.slice(0, 500)}`));
        else resolve(Number(kb) / 1024);
      });
    });
  const small = (i: number): string =>
    JSON.stringify({
      eventName: i % 10 === 0 ? 'ConsoleLogin' : 'DescribeInstances',
      userIdentity: { type: i % 10 === 0 ? 'Root' : 'IAMUser' },
      eventID: String(i).padStart(12, '0'),
    });
  const rss = async (what: string, args: string[], n: number, lineOf: (i: number) => string) => {
    const a = await peakRss(args, n, lineOf);
    const b = await peakRss(args, n * 10, lineOf);
    console.log(
      `  ${what.padEnd(22)} ${(n / 1000).toLocaleString('en-US')}k lines ${a.toFixed(0).padStart(5)} MiB; ` +
        `${((n * 10) / 1000).toLocaleString('en-US')}k lines ${b.toFixed(0).padStart(5)} MiB; ratio ${(b / a).toFixed(2)}`,
    );
  };
  await rss('test-pattern (table)', ['test-pattern', ROOT_USAGE_FILTER_PATTERN, '-'], 200_000, small);
  await rss(
    'test-pattern (json)',
    ['test-pattern', ROOT_USAGE_FILTER_PATTERN, '-', '--output', 'json'],
    200_000,
    small,
  );
  await rss('simulate', ['simulate', '--quiet', '-'], 50_000, recordText);
}
if (only.has('5')) {
  console.log('\n5. simulate --fast-path vs simulate (.json.gz files, wall time incl. node start)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-cloudtrail-'));
  try {
    const n = Math.min(total, 50_000);
    for (let i = 0; i < n; i += 1000) {
      const body = `{"Records":[${messages.slice(i, Math.min(n, i + 1000)).join(',')}]}`;
      writeFileSync(
        join(dir, `111122223333_CloudTrail_ap-northeast-2_${String(i).padStart(9, '0')}.json.gz`),
        gzipSync(body),
      );
    }
    const wall = (args: string[]): number => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'simulate', '--quiet', ...args, dir], {
        stdio: 'ignore',
        timeout: 120_000,
      });
      if (r.error) throw r.error;
      return (performance.now() - t0) / 1000;
    };
    const plain = wall([]);
    const fast = wall(['--fast-path']);
    console.log(`  ${'simulate'.padEnd(22)} ${plain.toFixed(2)} s  ${rate(n, plain)}`);
    console.log(
      `  ${'simulate --fast-path'.padEnd(22)} ${fast.toFixed(2)} s  ${rate(n, fast)}  ${(fast / plain).toFixed(2)}× simulate`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
