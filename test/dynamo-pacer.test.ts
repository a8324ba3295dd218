import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDoorayClient } from '../src/dooray/client.js';
import { loadConfig } from '../src/lambda/config.js';
import { DynamoPacer, pacerKey } from '../src/lambda/dynamo-pacer.js';
import { createHandler, type DecisionLogger } from '../src/lambda/handler.js';
import { createDedupeTable, startDynalite } from './helpers/dynalite.js';
import { readFixture } from './helpers/samples.js';
import { startWebhookServer, TEST_TOKEN } from './helpers/webhook-server.js';

let db: { client: DynamoDBClient; close: () => Promise<void> };
let tables = 0;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});
async function newTable(): Promise<string> {
  const name = `secu-alert-pacer-${++tables}`;
  await createDedupeTable(db.client, name);
  return name;
}

const quiet: DecisionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The guide's ALARM notification, with its state change time moved so each handler sees its own alert. */
function alarmEvent(n: number): unknown {
  const event = readFixture<{ Records: { Sns: { Message: string } }[] }>('sns/root-alert-alarm.json');
  const record = event.Records[0];
  if (!record) throw new Error('fixture without a record');
  const message = JSON.parse(record.Sns.Message) as Record<string, unknown>;
  message['StateChangeTime'] = `2026-11-28T23:4${n}:12.408+0000`;
  record.Sns.Message = JSON.stringify(message);
  return event;
}

describe('DynamoPacer against dynalite on 127.0.0.1', () => {
  it('spaces posts of handlers in different containers (createHandler each) ≥ 1 s apart at the receiver, none lost', async () => {
    const tableName = await newTable();
    const s = await startWebhookServer();
    try {
      const config = loadConfig({ DOORAY_HOOK_URL: s.url });
      // Three containers: each its own handler, memory and pacer object; only the table is shared.
      const handlers = [1, 2, 3].map(() => {
        const pacer = new DynamoPacer({ client: db.client, tableName });
        return createHandler({
          config,
          logger: quiet,
          dooray: (url) => createDoorayClient({ url, minIntervalMs: config.minIntervalMs, pacer }),
        });
      });
      const results = await Promise.all(handlers.map((handle, i) => handle(alarmEvent(i))));
      expect(results.map((r) => r.delivered)).toEqual([1, 1, 1]);
      expect(s.requests).toHaveLength(3);
      const arrivals = s.requests.map((r) => r.at).sort((a, b) => a - b);
      for (let i = 1; i < arrivals.length; i++) {
        expect((arrivals[i] ?? 0) - (arrivals[i - 1] ?? 0)).toBeGreaterThanOrEqual(1_000);
      }
    } finally {
      await s.close();
    }
  }, 30_000);

  it('keys the item by a SHA-256 of the hook URL: the URL and its token are not in the table', async () => {
    const tableName = await newTable();
    const url = `https://hook.dooray.com/services/1/2/${TEST_TOKEN}`;
    const pacer = new DynamoPacer({ client: db.client, tableName });
    expect(await pacer.reserve(url, 1_000)).toBe(0);
    const items = await db.client.send(new ScanCommand({ TableName: tableName }));
    expect(items.Items?.map((item) => item['pk']?.S)).toEqual([pacerKey(url)]);
    expect(pacerKey(url)).toMatch(/^pacer#[0-9a-f]{64}$/);
    expect(JSON.stringify(items.Items)).not.toContain(TEST_TOKEN);
    // A second container sees the hook held (the lease) until the first post ends, then a second later.
    const other = new DynamoPacer({ client: db.client, tableName });
    expect(await other.delay(url)).toBeGreaterThan(1_000);
    const ending = Date.now();
    await pacer.ended(url, 1_000);
    expect(await other.delay(url)).toBeLessThanOrEqual(1_000);
    expect(await other.reserve(url, 1_000)).toBe(0);
    expect(Date.now() - ending).toBeGreaterThanOrEqual(1_000);
  });

  it('fails open to the container pacing when the table does not exist, and says so', async () => {
    const errors: unknown[] = [];
    const pacer = new DynamoPacer({
      client: db.client,
      tableName: 'no-such-table',
      onFallback: (e) => errors.push(e),
    });
    expect(await pacer.reserve('https://hook.dooray.com/services/1/2/x', 1_000)).toBe(0);
    expect(await pacer.reserve('https://hook.dooray.com/services/1/2/x', 1_000)).toBeGreaterThan(900);
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('aborts a call to a table endpoint that never answers after the call time limit, then fails open', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const errors: unknown[] = [];
    try {
      const pacer = new DynamoPacer({
        client,
        tableName: 't',
        callTimeoutMs: 300,
        onFallback: (e) => errors.push(e),
      });
      const started = Date.now();
      expect(await pacer.reserve('https://hook.dooray.com/services/1/2/x', 1_000)).toBe(0);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(errors).toHaveLength(1);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      client.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
