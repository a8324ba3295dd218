// Child of bench/deployed.mjs: imports the Lambda bundle and handles `1 + runs` alerts one at a time, each with a
// distinct StateChangeTime (so dedupe does not skip it). Sends the parent, in ms and KiB:
//  cold: wall and CPU of import + first alert (CPU counted from process start, as a fresh container pays it);
//  warm: per-alert wall times and the CPU of the `runs` alerts after `warmup` more (when runs > 0);
//  maxRSS: process.resourceUsage().maxRSS at the end.
import { readFileSync } from 'node:fs';

const [bundle, fixture, runs, warmup] = process.argv.slice(2).map((a, i) => (i < 2 ? a : Number(a)));
const template = JSON.parse(readFileSync(new URL(`../fixtures/${fixture}`, import.meta.url), 'utf8'));
const context = {
  getRemainingTimeInMillis: () => 60_000,
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:210987654321:function:secu-alert-dooray',
  functionName: 'secu-alert-dooray',
  awsRequestId: 'bench',
};
const base = Date.now() - 60_000;
function eventFor(i) {
  const event = structuredClone(template);
  const sns = event.Records[0].Sns;
  const message = JSON.parse(sns.Message);
  if (message.StateChangeTime) {
    message.StateChangeTime = new Date(base + i).toISOString().replace('Z', '+0000');
  }
  sns.Message = JSON.stringify(message);
  return event;
}
const cpuMs = (u) => (u.user + u.system) / 1000;
const check = (result) => {
  if (result?.delivered !== 1) throw new Error(`not delivered: ${JSON.stringify(result)}`);
};

const t0 = performance.now();
const { handler } = await import(bundle);
check(await handler(eventFor(0), context));
const cold = { wall: performance.now() - t0, cpu: cpuMs(process.cpuUsage()) };
let warm;
if (runs > 0) {
  for (let i = 0; i < warmup; i++) check(await handler(eventFor(1 + i), context));
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const event = eventFor(1 + warmup + i);
    const t = performance.now();
    check(await handler(event, context));
    times.push(performance.now() - t);
  }
  warm = { times, cpu: cpuMs(process.cpuUsage(cpu0)) / runs };
}
process.send({ cold, warm, maxRSS: process.resourceUsage().maxRSS }, () => process.exit(0));
