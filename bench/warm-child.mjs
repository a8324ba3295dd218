// Child of bench/handler.mjs: imports the Lambda bundle, warms up (300 invocations), then times each one (ms).
// Each event gets a distinct StateChangeTime so the container's dedupe does not skip it.
import { readFileSync } from 'node:fs';

const [bundle, fixture, runs] = process.argv.slice(2);
const { handler } = await import(bundle);
const template = JSON.parse(readFileSync(new URL(`../fixtures/${fixture}`, import.meta.url), 'utf8'));
const context = { getRemainingTimeInMillis: () => 60_000 };

function eventFor(i) {
  const event = structuredClone(template);
  const sns = event.Records[0].Sns;
  const message = JSON.parse(sns.Message);
  if (message.StateChangeTime) {
    message.StateChangeTime = new Date(Date.parse('2026-11-28T23:46:12.408Z') + i)
      .toISOString()
      .replace('Z', '+0000');
  }
  sns.Message = JSON.stringify(message);
  return event;
}

for (let i = 0; i < 300; i++) await handler(eventFor(-1 - i), context);
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const event = eventFor(i);
  const t = performance.now();
  const result = await handler(event, context);
  times.push(performance.now() - t);
  if (result.delivered !== 1) throw new Error(`not delivered: ${JSON.stringify(result)}`);
}
process.send({ times, rss: process.memoryUsage().rss }, () => process.exit(0));
