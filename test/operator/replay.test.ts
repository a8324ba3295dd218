import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { readFixture } from '../helpers/samples.js';
import { startWebhookServer, TEST_TOKEN } from '../helpers/webhook-server.js';
import { ACCOUNT, aws, FUNCTION_ARN, REGION } from './aws-account.js';
import { captureIo } from './io.js';

const QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/secu-alert-dooray-failures`;

/** A Lambda on-failure destination record (asynchronous invocation, retries exhausted) around `event`. */
function onFailureRecord(event: unknown, requestId: string): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-29T03:08:12.417Z',
    requestContext: {
      requestId,
      functionArn: `${FUNCTION_ARN}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: {
      errorType: 'AlertDeliveryError',
      errorMessage: 'Dooray delivery failed for 1 of 1 alert(s)',
      trace: [],
    },
  });
}

function message(n: number, body: string): Message {
  return {
    MessageId: `0f3c1a2b-0000-4000-8000-00000000000${n}`,
    ReceiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-receipt-${n}`,
    MD5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    Body: body,
    Attributes: { SentTimestamp: '1764385692417', ApproximateReceiveCount: '1' },
  };
}

const queueMessages = (): Message[] => [
  message(1, onFailureRecord(readFixture('sns/root-alert-alarm.json'), 'req-1')),
  message(2, onFailureRecord(readFixture('sns/metric-math-alarm.json'), 'req-2')),
  message(3, JSON.stringify(readFixture('lambda/alarm-action-event.json'))),
  message(4, 'not json at all'),
];

beforeEach(() => {
  aws.sqs.reset();
  aws.sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: queueMessages() }).resolves({ Messages: [] });
  aws.sqs.on(DeleteMessageCommand).resolves({});
  // A function without DEDUPE_TABLE_NAME (containers remember in memory): replay warns and uses its own memory.
  aws.lambda.reset();
  aws.lambda.on(GetFunctionConfigurationCommand).resolves({
    FunctionName: 'secu-alert-dooray',
    FunctionArn: FUNCTION_ARN,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Timeout: 60,
    MemorySize: 256,
    Environment: { Variables: { DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url' } },
  });
  for (const name of ['DOORAY_HOOK_URL', 'DOORAY_HOOK_URL_PARAMETER', 'DOORAY_HOOK_URL_SECRET_ARN']) {
    vi.stubEnv(name, '');
  }
  vi.stubEnv('DOORAY_MIN_INTERVAL_MS', '0');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('replay', () => {
  it('partial failure: deletes only what was delivered; the failed and the unreadable stay; exit 1', async () => {
    // The second post is refused for good (HTTP 400: no retry).
    const server = await startWebhookServer((n) =>
      n === 2 ? { status: 400, body: 'bad request' } : { status: 200 },
    );
    try {
      const io = captureIo();
      const code = await runCli(
        ['replay', '--queue', QUEUE, '--hook-url', server.url, '--region', REGION, '--output', 'json'],
        io,
      );
      expect(code).toBe(1);
      expect(server.requests).toHaveLength(3);
      const report = JSON.parse(io.out()) as {
        counts: Record<string, number>;
        messages: { messageId: string; condition: string; outcome: string; deleted: boolean }[];
      };
      expect(report.counts).toEqual({
        received: 4,
        delivered: 2,
        deleted: 2,
        failed: 1,
        skipped: 0,
        unreadable: 1,
      });
      expect(report.messages.map((m) => [m.condition, m.outcome, m.deleted])).toEqual([
        ['RetriesExhausted', 'delivered', true],
        ['RetriesExhausted', 'failed', false],
        ['dlq', 'delivered', true],
        ['?', 'unreadable', false],
      ]);
      const deleted = aws.sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle);
      expect(deleted).toEqual([
        'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-receipt-1',
        'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-receipt-3',
      ]);
      expect(io.out() + io.err()).not.toContain(TEST_TOKEN);
    } finally {
      await server.close();
    }
  });

  it('all delivered → every message deleted, a table and counts, exit 0', async () => {
    aws.sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: queueMessages().slice(0, 3) })
      .resolves({ Messages: [] });
    const server = await startWebhookServer();
    try {
      const io = captureIo();
      expect(
        await runCli(['replay', '--queue', QUEUE, '--hook-url', server.url, '--region', REGION], io),
      ).toBe(0);
      expect(aws.sqs.commandCalls(DeleteMessageCommand)).toHaveLength(3);
      expect(io.out()).toMatch(/root-alert → ALARM +delivered +yes +HTTP 200, 1 attempt\(s\)/);
      expect(io.out()).toContain(
        '3 message(s): 3 delivered and 3 deleted, 0 failed, 0 skipped, 0 unreadable',
      );
    } finally {
      await server.close();
    }
  });

  it('--dry-run sends and deletes nothing, needs no webhook URL; exit 1 for the unreadable message', async () => {
    const io = captureIo();
    expect(await runCli(['replay', '--queue', QUEUE, '--dry-run', '--region', REGION], io)).toBe(1);
    expect(aws.sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(io.out()).toMatch(/RetriesExhausted +root-alert → ALARM +would-deliver +no/);
    expect(io.out()).toContain(
      '4 message(s); 3 would be re-delivered, 1 unreadable; nothing sent or deleted',
    );
  });

  it('an empty queue → nothing to do, exit 0; a missing --queue is a usage error', async () => {
    aws.sqs.on(ReceiveMessageCommand).resolves({});
    const io = captureIo();
    expect(await runCli(['replay', '--queue', QUEUE, '--dry-run', '--region', REGION], io)).toBe(0);
    expect(io.out()).toContain('0 message(s)');
    expect(await runCli(['replay', '--region', REGION], captureIo())).toBe(2);
  });
});
