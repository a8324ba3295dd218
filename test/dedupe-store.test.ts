import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';
import { loadConfig } from '../src/lambda/config.js';
import { DEDUPE_TTL_SECONDS, DynamoDedupe } from '../src/lambda/dynamo-dedupe.js';
import { createLogsEnricher } from '../src/lambda/enrich.js';
import { createHandler, type DecisionLogger } from '../src/lambda/handler.js';
import { createDedupeTable, startDynalite } from './helpers/dynalite.js';
import { describeWithSamples, readFixture, readSample } from './helpers/samples.js';
import { startWebhookServer } from './helpers/webhook-server.js';

process.env['AWS_REGION'] ??= 'ap-northeast-2';

let db: { client: DynamoDBClient; close: () => Promise<void> };
let tables = 0;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});
async function newTable(): Promise<string> {
  const name = `secu-alert-dedupe-${++tables}`;
  await createDedupeTable(db.client, name);
  return name;
}

describe('DynamoDedupe against dynalite on 127.0.0.1', () => {
  it('remembers a key, across store instances (containers), until it expires', async () => {
    const tableName = await newTable();
    let now = Date.parse('2026-11-29T00:00:00Z');
    const clock = () => now;
    const a = new DynamoDedupe({ client: db.client, tableName, clock });
    const b = new DynamoDedupe({ client: db.client, tableName, clock });
    expect(await a.has('cloudtrail-event|e-1')).toBe(false);
    await a.add('cloudtrail-event|e-1');
    expect(await a.has('cloudtrail-event|e-1')).toBe(true);
    expect(await b.has('cloudtrail-event|e-1')).toBe(true);
    expect(await b.has('cloudtrail-event|e-2')).toBe(false);
    now += DEDUPE_TTL_SECONDS * 1000 - 1_000;
    expect(await b.has('cloudtrail-event|e-1')).toBe(true);
    now += 2_000; // past expiresAt, though TTL has not deleted the item
    expect(await b.has('cloudtrail-event|e-1')).toBe(false);
    await b.add('cloudtrail-event|e-1'); // a repeat extends it
    expect(await a.has('cloudtrail-event|e-1')).toBe(true);
  });

  it('throws the SDK error for a missing table (the handler decides)', async () => {
    const store = new DynamoDedupe({ client: db.client, tableName: 'no-such-table' });
    await expect(store.has('k')).rejects.toThrow(/non-existent table|not found/i);
  });
});

describeWithSamples('one story per event: fast path, then the alarm path, sharing the table', () => {
  const logs = mockClient(CloudWatchLogsClient);
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    logs.reset();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const warnings: string[] = [];
  const logger: DecisionLogger = {
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: () => undefined,
  };

  async function handlerWith(tableName: string) {
    const s = await startWebhookServer();
    servers.push(s);
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger,
      dedupe: new DynamoDedupe({ client: db.client, tableName }),
      enricher: createLogsEnricher({ client: () => new CloudWatchLogsClient({ region: 'ap-northeast-2' }) }),
    });
    return { handle, requests: s.requests };
  }

  it('a root sign-in announced by the fast path is listed as already reported by the later alarm', async () => {
    const tableName = await newTable();
    const signIn = readSample<Record<string, unknown>>(
      'cloudtrail/root-consolelogin-success-nomfa-awsdocs.json',
    );
    const later: Record<string, unknown> = {
      ...readSample<Record<string, unknown>>('cloudtrail/root-s3-putbucketversioning-panther.json'),
      eventID: 'f00dbabe-0000-4000-8000-000000000001',
    };
    // Fast path: one container.
    const fast = await handlerWith(tableName);
    await fast.handle({
      version: '0',
      id: 'e1',
      'detail-type': 'AWS Console Sign In via CloudTrail',
      source: 'aws.signin',
      account: '111122223333',
      time: '2022-11-10T16:24:35Z',
      region: 'us-east-1',
      resources: [],
      detail: signIn,
    });
    expect(fast.requests).toHaveLength(1);
    expect((fast.requests[0]?.body as { text: string }).text).toBe('root 계정 사용이 감지되었습니다');

    // Alarm path: another container, the same table.
    logs.on(DescribeMetricFiltersCommand).resolves({
      metricFilters: [
        {
          filterName: 'RootUsageFilter',
          filterPattern: ROOT_USAGE_FILTER_PATTERN,
          logGroupName: 'trail-logs',
        },
      ],
    });
    logs.on(FilterLogEventsCommand).resolves({
      events: [signIn, later].map((r, i) => ({
        logStreamName: 's',
        timestamp: Date.parse(String(r['eventTime'])),
        message: JSON.stringify(r),
        eventId: String(i),
      })),
    });
    const slow = await handlerWith(tableName);
    await slow.handle(readFixture('sns/root-alert-alarm.json'));
    const body = slow.requests[0]?.body as { text: string; attachments: { title: string; text: string }[] };
    expect(body.text).toBe('root 계정 경보 발생하였습니다');
    expect(body.attachments.map((a) => a.title)).toEqual([
      'root-alert · ALARM (경보)',
      'PutBucketVersioning · s3.amazonaws.com',
      'CloudTrail 이벤트 2건',
    ]);
    expect(body.attachments[2]?.text).toBe(
      '이미 보고됨: 2022-11-11 01:24:34 KST · ConsoleLogin (signin.amazonaws.com) · deb1e1f9-c99b-4612-8e9f-21f93b5d79c0',
    );
    expect(JSON.stringify(body)).not.toContain('192.0.2.0'); // the sign-in is not repeated in full
  });

  it('a store that fails (missing table) costs no alert: delivered, with a warning', async () => {
    warnings.length = 0;
    const { handle, requests } = await handlerWith('no-such-table');
    const result = await handle(readSample('eventbridge/eb-root-ec2-authorizesgingress-2021.json'));
    expect(result.delivered).toBe(1);
    expect(requests).toHaveLength(1);
    expect(warnings).toEqual([
      'dedupe store unavailable: treating the key as new',
      'dedupe store unavailable: key not remembered',
    ]);
  });
});
