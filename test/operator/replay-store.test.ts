/**
 * Issue 9 item 6: `replay` uses the Lambda's own dedupe table and session store (dynalite on 127.0.0.1, found
 * from the function's DEDUPE_TABLE_NAME), delivers held events instead of holding them again, deletes a message
 * only when its alerts were delivered now or before, and exits 1 while a message remains. SQS and Lambda answer
 * through aws-sdk-client-mock with the shapes of their API references.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { DEDUPE_KEY_ATTRIBUTE } from '../../src/defaults.js';
import { loadConfig } from '../../src/lambda/config.js';
import { DynamoDedupe, DynamoSessionStore } from '../../src/lambda/dynamo-dedupe.js';
import { createHandler } from '../../src/lambda/handler.js';
import { createDedupeTable, startDynalite } from '../helpers/dynalite.js';
import { readFixture } from '../helpers/samples.js';
import { startWebhookServer, TEST_TOKEN, type Behaviour } from '../helpers/webhook-server.js';
import { ACCOUNT, aws, FUNCTION_ARN, REGION } from './aws-account.js';
import { captureIo } from './io.js';

const QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/secu-alert-dooray-failures`;
const TABLE = 'secu-alert-dooray-dedupe';

const closers: (() => Promise<void>)[] = [];
let dynamo: Awaited<ReturnType<typeof startDynalite>>;

beforeEach(async () => {
  dynamo = await startDynalite();
  closers.push(dynamo.close);
  await createDedupeTable(dynamo.client, TABLE);
  const endpoint = await dynamo.client.config.endpoint?.();
  if (!endpoint) throw new Error('the dynalite client has no endpoint');
  // The CLI's own DynamoDB client finds dynalite through the service-specific endpoint variable.
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  for (const name of ['DOORAY_HOOK_URL', 'DOORAY_HOOK_URL_PARAMETER', 'DOORAY_HOOK_URL_SECRET_ARN']) {
    vi.stubEnv(name, '');
  }
  vi.stubEnv('DOORAY_MIN_INTERVAL_MS', '0');
  aws.sqs.reset();
  aws.sqs.on(DeleteMessageCommand).resolves({});
  aws.lambda.reset();
  // GetFunctionConfiguration (Lambda API Reference): the deployed function names its dedupe table.
  aws.lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'secu-alert-dooray' }).resolves({
    FunctionName: 'secu-alert-dooray',
    FunctionArn: FUNCTION_ARN,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Timeout: 60,
    MemorySize: 256,
    Environment: {
      Variables: { DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url', DEDUPE_TABLE_NAME: TABLE },
    },
  });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function room(behave?: (n: number) => Behaviour) {
  const s = await startWebhookServer(behave);
  closers.push(s.close);
  return s;
}

/** The Lambda as deployed with DEDUPE_TABLE_NAME: dedupe keys and sessions in the (dynalite) table. */
function lambda(url: string) {
  return createHandler({
    config: loadConfig({ DOORAY_HOOK_URL: url, DOORAY_MIN_INTERVAL_MS: '0' }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    dedupe: new DynamoDedupe({ tableName: TABLE, client: dynamo.client }),
    sessions: new DynamoSessionStore({ tableName: TABLE, client: dynamo.client }),
  });
}

/** SQS Message (ReceiveMessage) holding a Lambda on-failure destination record around `event`. */
function queued(n: number, event: unknown): Message {
  return {
    MessageId: `5b2e8c7d-0000-4000-8000-00000000000${n}`,
    ReceiptHandle: `AQEBzWwaftRI0KuVm4tP+receipt-${n}`,
    MD5OfBody: '0d1c5a1e0c8a8f1b3a5b1d2c0e9f8a7b',
    Attributes: { SentTimestamp: '1764385692417', ApproximateReceiveCount: '1' },
    Body: JSON.stringify({
      version: '1.0',
      timestamp: '2026-11-29T03:08:12.417Z',
      requestContext: {
        requestId: `req-${n}`,
        functionArn: `${FUNCTION_ARN}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'AlertDeliveryError', errorMessage: 'Dooray delivery failed', trace: [] },
    }),
  };
}

function queue(...messages: Message[]) {
  aws.sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
}

interface Report {
  table?: string;
  counts: Record<string, number>;
  remaining: number;
  messages: { outcome: string; deleted: boolean; detail: string }[];
}

async function replay(url: string, ...extra: string[]) {
  const io = captureIo();
  const code = await runCli(
    ['replay', '--queue', QUEUE, '--hook-url', url, '--region', REGION, '--output', 'json', ...extra],
    io,
  );
  expect(io.out() + io.err()).not.toContain(TEST_TOKEN);
  return { code, report: JSON.parse(io.out()) as Report, io };
}

const deleted = () => aws.sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle);

/** A root API call as EventBridge delivers it (`AWS API Call via CloudTrail`), `minutes` after `t0`. */
function rootCall(eventName: string, t0: number, minutes: number) {
  const eventTime = new Date(t0 + minutes * 60_000).toISOString();
  const eventID = `7d3c1f0a-${eventName.toLowerCase().slice(0, 4)}-4000-8000-${String(minutes).padStart(12, '0')}`;
  return {
    version: '0',
    id: `eb-${eventID}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: ACCOUNT,
    time: eventTime,
    region: REGION,
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: {
        type: 'Root',
        arn: `arn:aws:iam::${ACCOUNT}:root`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAREPLAYSESSION01',
        sessionContext: { attributes: { mfaAuthenticated: 'true', creationDate: eventTime } },
      },
      eventTime,
      eventSource: 'ec2.amazonaws.com',
      eventName,
      awsRegion: REGION,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'console.ec2.amazonaws.com',
      eventID,
      eventType: 'AwsApiCall',
    },
  };
}

describe('replay with the Lambda’s dedupe table', () => {
  it('an alarm the Lambda already delivered: no second post, the message is deleted, exit 0', async () => {
    const r = await room();
    const alarm = readFixture('sns/root-alert-alarm.json');
    await expect(lambda(r.url)(alarm)).resolves.toMatchObject({ delivered: 1 });
    expect(r.requests).toHaveLength(1);
    queue(queued(1, alarm));

    const { code, report } = await replay(r.url);
    expect(code).toBe(0);
    expect(r.requests).toHaveLength(1);
    expect(report.table).toBe(TABLE);
    expect(report.remaining).toBe(0);
    expect(report.messages).toEqual([
      expect.objectContaining({
        outcome: 'skipped',
        deleted: true,
        detail: expect.stringMatching(/already delivered/),
      }),
    ]);
    expect(deleted()).toEqual(['AQEBzWwaftRI0KuVm4tP+receipt-1']);
  });

  it('a fast-path event the Lambda held for its session digest: delivered now (not held again), deleted, exit 0', async () => {
    const r = await room();
    const t0 = Date.now() - 3 * 60_000;
    const first = rootCall('RunInstances', t0, 0);
    const held = rootCall('DescribeInstances', t0, 1);
    const handle = lambda(r.url);
    await expect(handle(first)).resolves.toMatchObject({ delivered: 1 });
    await expect(handle(held)).resolves.toMatchObject({
      delivered: 0,
      decisions: [expect.objectContaining({ outcome: 'skipped', reason: expect.stringMatching(/^held/) })],
    });
    expect(r.requests).toHaveLength(1);
    queue(queued(2, held));

    const { code, report } = await replay(r.url);
    expect(code).toBe(0);
    expect(report.counts).toMatchObject({ received: 1, delivered: 1, deleted: 1 });
    expect(r.requests).toHaveLength(2);
    expect(JSON.stringify(r.requests[1]?.body)).toContain('DescribeInstances');
    expect(deleted()).toEqual(['AQEBzWwaftRI0KuVm4tP+receipt-2']);
    // The Lambda's table now knows the event as delivered: a later alarm lists it as already reported.
    const item = await dynamo.client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: `cloudtrail-event|${held.detail.eventID}` } },
        ConsistentRead: true,
      }),
    );
    expect(item.Item).toBeDefined();
  });

  it('a room that refuses the post: the message is kept, nothing deleted, exit 1', async () => {
    const r = await room(() => ({ status: 400, body: 'bad request' }));
    queue(queued(3, readFixture('sns/root-alert-alarm.json')));
    const { code, report, io } = await replay(r.url);
    expect(code).toBe(1);
    expect(r.requests).toHaveLength(1);
    expect(report.remaining).toBe(1);
    expect(report.messages).toEqual([expect.objectContaining({ outcome: 'failed', deleted: false })]);
    expect(deleted()).toEqual([]);
    expect(io.err()).toContain(`dedupe table ${TABLE}`);
  });

  it('drains in one run and stops at --max-messages with exit 1 while messages remain', async () => {
    const r = await room();
    const alarm = readFixture('sns/root-alert-alarm.json');
    aws.sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [queued(4, alarm)] })
      .resolvesOnce({ Messages: [queued(5, readFixture('sns/metric-math-alarm.json'))] })
      .resolves({ Messages: [] });
    const bounded = await replay(r.url, '--max-messages', '1');
    expect(bounded.code).toBe(1);
    expect(bounded.report.counts).toMatchObject({ received: 1, deleted: 1 });
    expect(aws.sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);

    const rest = await replay(r.url);
    expect(rest.code).toBe(0);
    expect(rest.report.counts).toMatchObject({ received: 1, delivered: 1, deleted: 1 });
    expect(r.requests).toHaveLength(2);
  });

  it('a dedupe table that cannot be read: the alert is still delivered, and the warning says why', async () => {
    const r = await room();
    queue(queued(7, readFixture('sns/root-alert-alarm.json')));
    const { code, io } = await replay(r.url, '--table', 'no-such-table');
    expect(code).toBe(0);
    expect(r.requests).toHaveLength(1);
    expect(io.err()).toMatch(
      /replay: warning: dedupe store unavailable: treating the key as new \(Requested resource not found\)/,
    );
  });

  it('--table names the table without reading the function', async () => {
    const r = await room();
    queue(queued(6, readFixture('sns/root-alert-alarm.json')));
    const { code, report } = await replay(r.url, '--table', TABLE);
    expect(code).toBe(0);
    expect(report.table).toBe(TABLE);
    expect(aws.lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
  });
});
