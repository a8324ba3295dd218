import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lambda/config.js';
import { DynamoDedupe, DynamoSessionStore } from '../src/lambda/dynamo-dedupe.js';
import { createHandler, type AlertHandler } from '../src/lambda/handler.js';
import { createDedupeTable, startDynalite } from './helpers/dynalite.js';
import { readFixture } from './helpers/samples.js';
import { startWebhookServer, type Behaviour } from './helpers/webhook-server.js';

process.env['AWS_REGION'] ??= 'ap-northeast-2';

let db: { client: DynamoDBClient; close: () => Promise<void> };
let tables = 0;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});
const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function newTable(): Promise<string> {
  const name = `secu-alert-once-${++tables}`;
  await createDedupeTable(db.client, name);
  return name;
}
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const context = () => ({ getRemainingTimeInMillis: () => 30_000, awsRequestId: 'req' });

/** One "container": its own store objects on the shared table, as two Lambda containers have. */
function container(url: string, tableName: string, clock?: () => number): AlertHandler {
  return createHandler({
    config: loadConfig({ DOORAY_HOOK_URL: url, DOORAY_MIN_INTERVAL_MS: '0' }),
    logger: quiet,
    dedupe: new DynamoDedupe({ client: db.client, tableName, ...(clock ? { clock } : {}) }),
    sessions: new DynamoSessionStore({ client: db.client, tableName, ...(clock ? { clock } : {}) }),
    ...(clock ? { clock } : {}),
  });
}

async function server(behave?: (n: number) => Behaviour) {
  const s = await startWebhookServer(behave);
  servers.push(s);
  return s;
}

describe('DynamoDedupe claims against dynalite on 127.0.0.1', () => {
  it('claim → in-flight for others until the lease ends or it is released; confirmed → delivered', async () => {
    const tableName = await newTable();
    const now = Date.parse('2026-11-29T00:00:00Z');
    const a = new DynamoDedupe({ client: db.client, tableName, clock: () => now });
    const b = new DynamoDedupe({ client: db.client, tableName, clock: () => now });
    expect(await a.claim('k', now, now + 10_000)).toBe('claimed');
    expect(await b.claim('k', now + 5_000, now + 15_000)).toBe('in-flight');
    expect(await b.has('k')).toBe(false); // a claim is not a delivery
    await b.release('k', now + 15_000); // not b's claim: stays
    expect(await b.claim('k', now + 5_000, now + 15_000)).toBe('in-flight');
    await a.release('k', now + 10_000);
    expect(await b.claim('k', now + 6_000, now + 16_000)).toBe('claimed');
    // b's lease passed (its invocation crashed): a retry takes the claim over, delivers and confirms.
    expect(await a.claim('k', now + 17_000, now + 27_000)).toBe('claimed');
    await a.add('k');
    expect(await b.claim('k', now + 60_000, now + 70_000)).toBe('delivered');
    await b.release('k', now + 16_000); // b's old lease: a delivered key stays
    expect(await a.has('k')).toBe(true);
  });
});

describe('two containers racing against dynalite (issue 9 item 5)', () => {
  it('on one alarm state change: exactly one post; the other is skipped, not failed', async () => {
    const tableName = await newTable();
    const s = await server();
    const alarm = readFixture('sns/root-alert-alarm.json');
    for (let round = 0; round < 5; round++) {
      const table = round === 0 ? tableName : await newTable();
      const [one, two] = await Promise.all([
        container(s.url, table)(alarm, context()),
        container(s.url, table)(alarm, context()),
      ]);
      expect(one.delivered + two.delivered).toBe(1);
      expect([...one.decisions, ...two.decisions].filter((d) => d.outcome === 'skipped')).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(/another invocation|repeat/) }),
      ]);
    }
    expect(s.requests).toHaveLength(5);
  });

  it('a failed post releases the claim: the retry delivers', async () => {
    const tableName = await newTable();
    const s = await server((n) => ({ status: n === 1 ? 400 : 200 }));
    const alarm = readFixture('sns/root-alert-alarm.json');
    await expect(container(s.url, tableName)(alarm, context())).rejects.toThrow(/failed/);
    expect((await container(s.url, tableName)(alarm, context())).delivered).toBe(1);
    expect((await container(s.url, tableName)(alarm, context())).delivered).toBe(0);
    expect(s.requests).toHaveLength(2);
  });

  it("a retried batch with the guide's test event (no AlarmArn, no MessageId) is not posted again", async () => {
    const tableName = await newTable();
    const s = await server();
    const guide = readFixture('sns/guide-test-event.json');
    expect((await container(s.url, tableName)(guide, context())).delivered).toBe(1);
    const retry = await container(s.url, tableName)(guide, context());
    expect(retry.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/SHA-256/),
    });
    expect(s.requests).toHaveLength(1);
  });
});
