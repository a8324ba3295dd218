import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws } from '../bench/aws-fake.mjs';
import { DEDUPE_KEY_ATTRIBUTE } from '../src/defaults.js';
import { startWebhookServer } from './helpers/webhook-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const TABLE = 'bench-test-dedupe';

// The deployed-configuration bench (bench/deployed.mjs) must measure the handler's success path: the bundled
// handler, run as the bench runs it, gets every answer it asks for from the loopback fake.
describe('bench AWS fake', () => {
  let fake: FakeAws;
  let webhook: Awaited<ReturnType<typeof startWebhookServer>>;
  let trapHits = 0;
  const trap = createServer((req, res) => {
    trapHits++;
    res.writeHead(500).end();
  });
  let ddb: DynamoDBClient;

  beforeAll(async () => {
    fake = await startFakeAws();
    webhook = await startWebhookServer();
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    ddb = new DynamoDBClient({
      endpoint: fake.dynamoUrl,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: DEDUPE_KEY_ATTRIBUTE, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: DEDUPE_KEY_ATTRIBUTE, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    ddb.destroy();
    await fake.close();
    await webhook.close();
    trap.closeAllConnections();
    await new Promise<void>((resolve) => trap.close(() => resolve()));
  });

  it('answers the calls of the bundled handler in the deployed configuration', async () => {
    const env = {
      PATH: process.env['PATH'] ?? '',
      ...fake.env,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(trap.address() as AddressInfo).port}`,
      AWS_REGION: 'ap-northeast-2',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: 'secu-alert-dooray',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      DEDUPE_TABLE_NAME: TABLE,
      DOORAY_HOOK_URL: 'https://bench.dooray.com/services/1/2/benchToken',
      BENCH_WEBHOOK_LOOPBACK: new URL(webhook.url).origin,
      DOORAY_MIN_INTERVAL_MS: '0',
    };
    const child = fork(
      `${root}bench/deployed-child.mjs`,
      [`${root}dist/lambda/index.mjs`, 'sns/root-alert-alarm.json', '0', '0'],
      {
        env,
        execArgv: ['--import', `${root}bench/loopback-webhook.mjs`],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);

    expect(webhook.requests).toHaveLength(1);
    const body = JSON.stringify(webhook.requests[0]?.body);
    expect(body).toContain('bench-alias');
    expect(body).toContain('198.51.100.7');
    expect(fake.calls['logs:DescribeMetricFilters']).toBeGreaterThanOrEqual(1);
    expect(fake.calls['logs:FilterLogEvents']).toBeGreaterThanOrEqual(1);
    expect(fake.calls['iam:ListAccountAliases']).toBe(1);
    const items = await ddb.send(new ScanCommand({ TableName: TABLE }));
    expect(items.Count).toBeGreaterThanOrEqual(1);
    expect(trapHits).toBe(0);
  });
});
