// npm run bench, deployed configuration (figures and ratios, no pass/fail): the bundled handler as it runs in
// Lambda — dedupe table (DEDUPE_TABLE_NAME), CloudWatch Logs enrichment and IAM account alias on
// (AWS_LAMBDA_FUNCTION_NAME set) — against a loopback fake of DynamoDB, CloudWatch Logs and IAM
// (bench/aws-fake.mjs) with a per-call latency, beside offline mode (no table, no enrichment) and the guide's
// Python handler (bench/baseline/measure.py), all posting to a loopback webhook receiver.
//  cold: a fresh process per run — wall and CPU of import + first alert, process wall, peak RSS (median of runs);
//  warm: one process, per-alert wall p50/p99 and CPU per alert.
// Env: BENCH_AWS_LATENCY_MS (per AWS call, default 0; a 20 ms row is printed as well), BENCH_COLD_RUNS (5),
// BENCH_WARM_RUNS (50), BENCH_WARMUP (10). Nothing leaves 127.0.0.1: AWS_ENDPOINT_URL points every other AWS
// service at a loopback trap, and the bench fails if the trap is called or the fakes miss an expected call.
import { execFile, fork, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startFakeAws } from './aws-fake.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/lambda/index.mjs`;
const COLD = Number(process.env.BENCH_COLD_RUNS ?? 5);
const WARM = Number(process.env.BENCH_WARM_RUNS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const latencies = [...new Set([Number(process.env.BENCH_AWS_LATENCY_MS ?? 0), 20])];
const TABLE = 'bench-dedupe';

function server(handle) {
  return new Promise((resolve) => {
    let count = 0;
    const s = createServer((req, res) => {
      req.resume();
      req.on('end', () => (count++, handle(res)));
    });
    s.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${s.address().port}`,
        count: () => count,
        close: () => new Promise((r) => (s.closeAllConnections(), s.close(r))),
      }),
    );
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function runNode(env, fixture, runs) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    let msg;
    const child = fork(
      fileURLToPath(new URL('./deployed-child.mjs', import.meta.url)),
      [bundle, fixture, String(runs), String(WARMUP)],
      {
        env,
        execArgv: env.AWS_LAMBDA_FUNCTION_NAME
          ? ['--import', fileURLToPath(new URL('./loopback-webhook.mjs', import.meta.url))]
          : [],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    child.on('message', (m) => (msg = m));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && msg
        ? resolve({ ...msg, process: performance.now() - t })
        : reject(new Error(`child exited ${code}`)),
    );
  });
}

async function runPython(env, runs) {
  const t = performance.now();
  const { stdout } = await new Promise((resolve, reject) =>
    execFile(
      'python3',
      [fileURLToPath(new URL('./baseline/measure.py', import.meta.url)), String(runs), String(WARMUP)],
      { env },
      (e, stdout) => (e ? reject(e) : resolve({ stdout })),
    ),
  );
  return { ...JSON.parse(stdout.trim().split('\n').pop()), process: performance.now() - t };
}

async function measure(run) {
  const colds = [];
  for (let i = 0; i < COLD; i++) colds.push(await run(0));
  const w = await run(WARM);
  return {
    coldWall: median(colds.map((c) => c.cold.wall)),
    coldCpu: median(colds.map((c) => c.cold.cpu)),
    processWall: median(colds.map((c) => c.process)),
    coldRss: median(colds.map((c) => c.maxRSS)) / 1024,
    warmP50: pct(w.warm.times, 50),
    warmP99: pct(w.warm.times, 99),
    warmCpu: w.warm.cpu,
    warmRss: w.maxRSS / 1024,
  };
}

const receiver = await server((res) => res.writeHead(200).end());
const trap = await server((res) => res.writeHead(500).end());
const base = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DOORAY_HOOK_URL: `${receiver.url}/services/1/2/benchToken`,
  DOORAY_MIN_INTERVAL_MS: '0',
  AWS_REGION: 'ap-northeast-2',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ENDPOINT_URL: trap.url,
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
};
const rows = [];
try {
  console.log(
    `deployed-configuration benchmark (node ${process.version}; cold: median of ${COLD} fresh processes; warm: ${WARM} alerts after ${WARMUP})`,
  );
  rows.push([
    'offline (no table, no enrichment)',
    await measure((n) => runNode(base, 'sns/root-alert-alarm.json', n)),
  ]);
  for (const latencyMs of latencies) {
    const fake = await startFakeAws({ latencyMs });
    try {
      const ddb = new DynamoDBClient({
        endpoint: fake.dynamoUrl,
        region: 'ap-northeast-2',
        credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
      });
      await ddb.send(
        new CreateTableCommand({
          TableName: TABLE,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      ddb.destroy();
      const env = {
        ...base,
        ...fake.env,
        DEDUPE_TABLE_NAME: TABLE,
        AWS_LAMBDA_FUNCTION_NAME: 'secu-alert-dooray',
        DOORAY_HOOK_URL: 'https://bench.dooray.com/services/1/2/benchToken',
        BENCH_WEBHOOK_LOOPBACK: receiver.url,
      };
      rows.push([
        `deployed, AWS latency ${latencyMs} ms/call`,
        await measure((n) => runNode(env, 'sns/root-alert-alarm.json', n)),
      ]);
      const alerts = COLD + 1 + WARMUP + WARM;
      const calls = fake.calls;
      const missing = [
        'logs:DescribeMetricFilters',
        'logs:FilterLogEvents',
        'iam:ListAccountAliases',
        'dynamodb:PutItem',
      ].filter((op) => !calls[op]);
      console.log(`  AWS calls answered by the fake for ${alerts} alerts: ${JSON.stringify(calls)}`);
      if (missing.length)
        throw new Error(
          `the handler made none of ${missing.join(', ')}: the bench would measure an error path`,
        );
    } finally {
      await fake.close();
    }
  }
  if (spawnSync('python3', ['--version']).status === 0) {
    rows.push(["guide's Python handler", await measure((n) => runPython(base, n))]);
  } else {
    console.log("python3 not found: the guide's handler was not measured");
  }
  if (trap.count() > 0) throw new Error(`${trap.count()} request(s) to an AWS endpoint outside the fakes`);

  const f = (x, d = 2) => x.toFixed(d).padStart(8);
  console.log(
    `${'configuration'.padEnd(36)}${'cold wall'.padStart(10)}${'cold CPU'.padStart(10)}${'proc wall'.padStart(10)}${'cold RSS'.padStart(10)}${'warm p50'.padStart(10)}${'warm p99'.padStart(10)}${'warm CPU'.padStart(10)}${'warm RSS'.padStart(10)}`,
  );
  console.log(
    `${''.padEnd(36)}${'ms'.padStart(10)}${'ms'.padStart(10)}${'ms'.padStart(10)}${'MiB'.padStart(10)}${'ms'.padStart(10)}${'ms'.padStart(10)}${'ms'.padStart(10)}${'MiB'.padStart(10)}`,
  );
  for (const [name, r] of rows) {
    console.log(
      `${name.padEnd(36)}  ${f(r.coldWall, 1)}  ${f(r.coldCpu, 1)}  ${f(r.processWall, 1)}  ${f(r.coldRss, 1)}  ${f(r.warmP50, 3)}  ${f(r.warmP99, 3)}  ${f(r.warmCpu, 3)}  ${f(r.warmRss, 1)}`,
    );
  }
  const offline = rows[0][1];
  const guide = rows.find(([n]) => n.startsWith('guide'))?.[1];
  const keys = ['coldWall', 'coldCpu', 'processWall', 'coldRss', 'warmP50', 'warmCpu'];
  console.log(`ratios (${keys.join(', ')}):`);
  for (const [name, r] of rows.slice(1, 1 + latencies.length)) {
    const ratio = (b) => keys.map((k) => `${(r[k] / b[k]).toFixed(2)}×`).join(', ');
    console.log(`  ${name} / offline: ${ratio(offline)}`);
    if (guide) console.log(`  ${name} / guide:   ${ratio(guide)}`);
  }
  if (guide)
    console.log(`  offline / guide: ${keys.map((k) => `${(offline[k] / guide[k]).toFixed(2)}×`).join(', ')}`);
} finally {
  await receiver.close();
  await trap.close();
}
