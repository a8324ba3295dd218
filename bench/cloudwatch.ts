/**
 * Benchmark of the offline CloudWatch engine (no pass/fail): how many CloudTrail records per second the CIS
 * root-usage filter pattern evaluates, compared with a bare `JSON.parse` of the same records, and the
 * throughput of the whole `simulate` chain (stream scan → order → filter → metric → alarm) over gzip files.
 *
 *   npx tsx bench/cloudwatch.ts [records]      (default 200000)
 *
 * Records: the fixture AWSLogs tree's records (fixtures/cloudtrail), repeated with fresh eventIDs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  compileFilterPattern,
  createMetricFilter,
  guideAlarmConfig,
  readRecordTexts,
  Simulation,
  type MetricAlarmConfig,
} from '../src/cloudwatch/index.js';
import { METRIC_NAME, METRIC_NAMESPACE, ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';

const total = Number(process.argv[2] ?? 200_000);
const fixtures = fileURLToPath(new URL('../fixtures/cloudtrail', import.meta.url));

const templates: Record<string, unknown>[] = [];
for await (const { text } of readRecordTexts([fixtures])) {
  const record = JSON.parse(text) as Record<string, unknown>;
  if ('eventTime' in record) templates.push(record);
}
const start = Date.parse('2026-11-02T00:00:00Z');
const messages: string[] = [];
for (let i = 0; i < total; i++) {
  const t = templates[i % templates.length] as Record<string, unknown>;
  messages.push(
    JSON.stringify({
      ...t,
      eventTime: new Date(start + i * 250).toISOString().replace('.000Z', 'Z'),
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }),
  );
}
const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
const mb = bytes / 1e6;

function measure(name: string, run: () => number): void {
  run(); // warm-up
  const t0 = performance.now();
  const matched = run();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${name.padEnd(44)} ${Math.round(total / seconds)
      .toLocaleString('en-US')
      .padStart(12)} records/s  ${(mb / seconds).toFixed(1).padStart(7)} MB/s  (${matched} matched)`,
  );
}

console.log(
  `${total.toLocaleString('en-US')} CloudTrail records, ${mb.toFixed(1)} MB, node ${process.version}\n`,
);
const cis = compileFilterPattern(ROOT_USAGE_FILTER_PATTERN);
measure('CIS pattern: compiled.matches(message)', () => messages.filter((m) => cis.matches(m)).length);
measure('baseline: JSON.parse(message) only', () => messages.filter((m) => JSON.parse(m) !== null).length);
const term = compileFilterPattern('"\\"type\\":\\"Root\\""');
measure(
  'term pattern "\\"type\\":\\"Root\\"" (substring)',
  () => messages.filter((m) => term.matches(m)).length,
);

// The whole simulate chain over gzip files of 1,000 records each.
const dir = mkdtempSync(join(tmpdir(), 'bench-cloudtrail-'));
try {
  for (let i = 0; i < total; i += 1000) {
    const body = `{"Records":[${messages.slice(i, i + 1000).join(',')}]}`;
    writeFileSync(
      join(dir, `111122223333_CloudTrail_ap-northeast-2_${String(i).padStart(9, '0')}.json.gz`),
      gzipSync(body),
    );
  }
  const alarm: MetricAlarmConfig = guideAlarmConfig({ accountId: '111122223333', region: 'ap-northeast-2' });
  const filter = createMetricFilter(ROOT_USAGE_FILTER_PATTERN, {
    metricName: METRIC_NAME,
    metricNamespace: METRIC_NAMESPACE,
    metricValue: '1',
  });
  const t0 = performance.now();
  const simulation = new Simulation({ filter, alarm });
  for await (const { text } of readRecordTexts([dir])) {
    const time = Date.parse((JSON.parse(text) as { eventTime: string }).eventTime);
    await simulation.add(text, time);
  }
  const summary = await simulation.finish();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${'simulate chain over .json.gz files'.padEnd(44)} ${Math.round(summary.records / seconds)
      .toLocaleString('en-US')
      .padStart(
        12,
      )} records/s  ${(mb / seconds).toFixed(1).padStart(7)} MB/s  (${summary.matched} matched, ` +
      `${summary.stateChanges.length} state changes, peak ${summary.peakPending} held)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
