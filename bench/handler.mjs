// npm run bench: figures for the Lambda handler bundle (no pass/fail).
//  - bundle size in bytes (dist/lambda/index.mjs and its chunks);
//  - cold module-init time: a fresh node process imports the bundle (median of 15);
//  - warm per-alert handler time p50/p99 over 300+ invocations against a loopback receiver, pacing off,
//    in a child process whose logs (Powertools JSON lines) go to /dev/null;
//  - the same for the seed guide's Python handler (bench/baseline/), when python3 is available.
import { execFile, execFileSync, fork, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/lambda/index.mjs`;
const RUNS = Number(process.env.BENCH_RUNS ?? 400);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (ms) => `${ms.toFixed(3)} ms`;

function startReceiver() {
  return new Promise((resolve) => {
    let count = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        count++;
        res.writeHead(200).end();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/services/1/2/benchToken`;
      resolve({
        url,
        count: () => count,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
      });
    });
  });
}

function coldInit() {
  const code = `const t=performance.now();await import(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t));`;
  const times = [];
  for (let i = 0; i < 15; i++) {
    times.push(
      Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root }).toString()),
    );
  }
  return times.sort((a, b) => a - b);
}

function warm(url, fixture) {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL('./warm-child.mjs', import.meta.url)),
      [bundle, fixture, String(RUNS)],
      {
        env: { ...process.env, DOORAY_HOOK_URL: url, DOORAY_MIN_INTERVAL_MS: '0' },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    child.on('message', resolve);
    child.on('error', reject);
    child.on('exit', (code) => code !== 0 && reject(new Error(`warm child exited ${code}`)));
  });
}

// Asynchronous: the receiver runs in this process and must keep answering while Python posts to it.
async function python(url) {
  const py = spawnSync('python3', ['--version']);
  if (py.status !== 0) return undefined;
  const { stdout } = await promisify(execFile)(
    'python3',
    [fileURLToPath(new URL('./baseline/run.py', import.meta.url)), String(RUNS)],
    { env: { ...process.env, DOORAY_HOOK_URL: url }, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop());
}

const receiver = await startReceiver();
try {
  console.log(`secu-alert-dooray handler benchmark (node ${process.version}, ${RUNS} invocations per case)`);
  const files = readdirSync(`${root}dist/lambda`, { recursive: true }).filter((f) =>
    String(f).endsWith('.mjs'),
  );
  const total = files.reduce((sum, f) => sum + statSync(`${root}dist/lambda/${f}`).size, 0);
  console.log(
    `bundle: dist/lambda/index.mjs ${statSync(bundle).size} bytes; with lazily loaded chunks ${total} bytes in ${files.length} files (source maps excluded)`,
  );
  const cold = coldInit();
  console.log(
    `cold module init (import of the bundle, 15 fresh processes): p50 ${fmt(pct(cold, 50))}, max ${fmt(cold.at(-1))}`,
  );
  for (const fixture of ['sns/guide-test-event.json', 'sns/root-alert-alarm.json']) {
    const before = receiver.count();
    const r = await warm(receiver.url, fixture);
    const sorted = r.times.sort((a, b) => a - b);
    console.log(
      `warm per-alert, ${fixture}: p50 ${fmt(pct(sorted, 50))}, p99 ${fmt(pct(sorted, 99))}, ` +
        `max ${fmt(sorted.at(-1))} (${receiver.count() - before} posts received; child RSS ${(r.rss / 1048576).toFixed(1)} MiB)`,
    );
  }
  const baseline = await python(receiver.url);
  if (baseline) {
    const sorted = baseline.times.sort((a, b) => a - b);
    console.log(
      `baseline: the guide's Python handler (${baseline.python}), guide test event: p50 ${fmt(pct(sorted, 50))}, p99 ${fmt(pct(sorted, 99))}`,
    );
  } else {
    console.log('baseline: python3 not found, the guide handler was not measured');
  }
} finally {
  await receiver.close();
}
