import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventDedupeKey, toAlert, type AlarmAlert } from '../src/alert/alert.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';
import { parseLambdaEvent } from '../src/events/index.js';
import { loadConfig } from '../src/lambda/config.js';
import { createLogsEnricher, lookupWindow } from '../src/lambda/enrich.js';
import { createHandler, MemoryDedupe, type DecisionLogger } from '../src/lambda/handler.js';
import { readFixture, readSample } from './helpers/samples.js';
import { startWebhookServer } from './helpers/webhook-server.js';

process.env['AWS_REGION'] ??= 'ap-northeast-2';

const logs = mockClient(CloudWatchLogsClient);
beforeEach(() => logs.reset());

const LOG_GROUP = 'aws-cloudtrail-logs-210987654321';

/** DescribeMetricFilters response shape (CloudWatch Logs API Reference, "DescribeMetricFilters"). */
const describedFilter = {
  metricFilters: [
    {
      filterName: 'RootUsageFilter',
      filterPattern: ROOT_USAGE_FILTER_PATTERN,
      metricTransformations: [
        { metricName: 'RootAccountUsageCount', metricNamespace: 'CloudTrailMetrics', metricValue: '1' },
      ],
      creationTime: 1_790_000_000_000,
      logGroupName: LOG_GROUP,
      applyOnTransformedLogs: false,
    },
  ],
};

/** One FilterLogEvents event (API Reference, "FilteredLogEvent") carrying a CloudTrail record. */
function logEvent(record: Record<string, unknown>, n: number): FilteredLogEvent {
  return {
    logStreamName: '210987654321_CloudTrail_ap-northeast-2',
    timestamp: Date.parse(String(record['eventTime'])),
    message: JSON.stringify(record),
    ingestionTime: Date.parse(String(record['eventTime'])) + 300_000,
    eventId: `3723${String(n).padStart(52, '0')}`,
  };
}

/** A root record at a time, with its own eventID. */
function rootRecord(eventName: string, time: string, eventID: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'Root', arn: 'arn:aws:iam::210987654321:root', accountId: '210987654321' },
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6',
    eventID,
    eventType: 'AwsApiCall',
  };
}

function alarmAlert(): AlarmAlert {
  const [input] = parseLambdaEvent(readFixture('sns/root-alert-alarm.json'));
  if (input === undefined) throw new Error('no input');
  const alert = toAlert(input, { notifyStates: ['ALARM'], subjectMap: {}, locale: 'ko', now: new Date() });
  if (alert.kind !== 'alarm') throw new Error('not an alarm');
  return alert;
}

const awsError = (name: string): Error => Object.assign(new Error(`${name}: test`), { name });

describe('createLogsEnricher with a mocked CloudWatch Logs', () => {
  const client = () => new CloudWatchLogsClient({ region: 'ap-northeast-2' });

  it('finds the filter by namespace and name, then searches its log group with its pattern over the window', async () => {
    logs.on(DescribeMetricFiltersCommand).resolves(describedFilter);
    const record = readSample<Record<string, unknown>>(
      'cloudtrail/root-consolelogin-success-nomfa-awsdocs.json',
    );
    logs.on(FilterLogEventsCommand).resolves({ events: [logEvent(record, 1)], searchedLogStreams: [] });
    const result = await createLogsEnricher({ client }).lookup(alarmAlert(), Date.now() + 5_000);
    expect(result).toMatchObject({
      kind: 'events',
      total: 1,
      events: [
        { eventName: 'ConsoleLogin', eventId: 'deb1e1f9-c99b-4612-8e9f-21f93b5d79c0', mfaUsed: false },
      ],
    });
    expect(logs.commandCalls(DescribeMetricFiltersCommand)[0]?.args[0].input).toEqual({
      metricNamespace: 'CloudTrailMetrics',
      metricName: 'RootAccountUsageCount',
    });
    const change = Date.parse('2026-11-28T23:46:12.408Z');
    expect(logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input).toEqual({
      logGroupName: LOG_GROUP,
      filterPattern: ROOT_USAGE_FILTER_PATTERN,
      startTime: change - 300_000 - 600_000,
      endTime: change + 60_000,
    });
  });

  it('follows nextToken, counts every distinct match and keeps the first maxEvents, oldest first', async () => {
    logs.on(DescribeMetricFiltersCommand).resolves(describedFilter);
    const records = Array.from({ length: 8 }, (_, i) =>
      rootRecord(`Call${i}`, `2026-11-28T23:3${i}:00Z`, `id-${i}`),
    );
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: records.slice(0, 5).map(logEvent), nextToken: 'page-2' })
      .resolvesOnce({ events: [...records.slice(4).map(logEvent), { message: 'not json' }] });
    const result = await createLogsEnricher({ client, maxEvents: 6 }).lookup(
      alarmAlert(),
      Date.now() + 5_000,
    );
    expect(result?.kind).toBe('events');
    if (result?.kind !== 'events') return;
    expect(result.total).toBe(8);
    expect(result.events.map((e) => e.eventName)).toEqual([
      'Call0',
      'Call1',
      'Call2',
      'Call3',
      'Call4',
      'Call5',
    ]);
    expect(logs.commandCalls(FilterLogEventsCommand)[1]?.args[0].input.nextToken).toBe('page-2');
  });

  it.each([
    ['no matching event', () => logs.on(FilterLogEventsCommand).resolves({ events: [] }), 'no-events'],
    [
      'no metric filter',
      () => logs.on(DescribeMetricFiltersCommand).resolves({ metricFilters: [] }),
      'no-filter',
    ],
    [
      'access denied',
      () => logs.on(DescribeMetricFiltersCommand).rejects(awsError('AccessDeniedException')),
      'access-denied',
    ],
    [
      'throttled',
      () => logs.on(FilterLogEventsCommand).rejects(awsError('ThrottlingException')),
      'throttled',
    ],
    [
      'another error',
      () => logs.on(FilterLogEventsCommand).rejects(awsError('ServiceUnavailableException')),
      'error',
    ],
  ])('%s → gap, never a throw', async (_, arrange, gap) => {
    logs.on(DescribeMetricFiltersCommand).resolves(describedFilter);
    arrange();
    const result = await createLogsEnricher({ client }).lookup(alarmAlert(), Date.now() + 5_000);
    expect(result).toEqual({ kind: 'gap', gap });
  });

  it('slow → the timeout gap by the deadline, not after the call', async () => {
    logs.on(DescribeMetricFiltersCommand).resolves(describedFilter);
    logs
      .on(FilterLogEventsCommand)
      .callsFake(() => new Promise((resolve) => setTimeout(() => resolve({ events: [] }), 2_000)));
    const started = Date.now();
    const result = await createLogsEnricher({ client }).lookup(alarmAlert(), started + 100);
    expect(result).toEqual({ kind: 'gap', gap: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a deadline already past → timeout without a call', async () => {
    const result = await createLogsEnricher({ client }).lookup(alarmAlert(), Date.now() - 1);
    expect(result).toEqual({ kind: 'gap', gap: 'timeout' });
    expect(logs.calls()).toHaveLength(0);
  });

  it("does not enrich the guide's test event (no metric, no state-change time)", async () => {
    const [input] = parseLambdaEvent(readFixture('sns/guide-test-event.json'));
    if (input === undefined) throw new Error('no input');
    const alert = toAlert(input, { notifyStates: ['ALARM'], subjectMap: {}, locale: 'ko', now: new Date() });
    if (alert.kind !== 'alarm') throw new Error('not an alarm');
    expect(await createLogsEnricher({ client }).lookup(alert, Date.now() + 5_000)).toBeUndefined();
    expect(logs.calls()).toHaveLength(0);
  });

  it('lookupWindow: [change − period − 10 min, change + 1 min]', () => {
    expect(lookupWindow(new Date(1_000_000_000), 60)).toEqual({
      start: 1_000_000_000 - 60_000 - 600_000,
      end: 1_000_000_000 + 60_000,
    });
  });
});

describe('handler with enrichment', () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const quiet: DecisionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

  async function run(event: unknown, dedupe = new MemoryDedupe()) {
    const s = await startWebhookServer();
    servers.push(s);
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: quiet,
      dedupe,
      enricher: createLogsEnricher({ client: () => new CloudWatchLogsClient({ region: 'ap-northeast-2' }) }),
    });
    await handle(event, { getRemainingTimeInMillis: () => 60_000 });
    return s.requests.map(
      (r) => r.body as { text: string; attachments: { title?: string; text?: string }[] },
    );
  }

  it('shows up to 5 events in full, lists those already reported, counts the rest; records the shown ones', async () => {
    logs.on(DescribeMetricFiltersCommand).resolves(describedFilter);
    const records = Array.from({ length: 8 }, (_, i) =>
      rootRecord(`Call${i}`, `2026-11-28T23:3${i}:00Z`, `id-${i}`),
    );
    logs.on(FilterLogEventsCommand).resolves({ events: records.map(logEvent) });
    const dedupe = new MemoryDedupe();
    dedupe.add(eventDedupeKey('id-0'));
    const [message] = await run(readFixture('sns/root-alert-alarm.json'), dedupe);
    expect(message?.text).toBe('root 계정 경보 발생하였습니다');
    expect(message?.attachments.map((a) => a.title)).toEqual([
      'root-alert · ALARM (경보)',
      'Call1 · iam.amazonaws.com',
      'Call2 · iam.amazonaws.com',
      'Call3 · iam.amazonaws.com',
      'Call4 · iam.amazonaws.com',
      'Call5 · iam.amazonaws.com',
      'CloudTrail 이벤트 8건',
    ]);
    expect(message?.attachments[6]?.text).toBe(
      '이미 보고됨: 2026-11-29 08:30:00 KST · Call0 (iam.amazonaws.com) · id-0\n외 2건은 CloudTrail 콘솔에서 확인하세요',
    );
    for (const id of ['id-1', 'id-5']) expect(dedupe.has(eventDedupeKey(id))).toBe(true);
    expect(dedupe.has(eventDedupeKey('id-6'))).toBe(false);
  });

  it('access denied → the plain alarm message with a note, delivered', async () => {
    logs.on(DescribeMetricFiltersCommand).rejects(awsError('AccessDeniedException'));
    const [message] = await run(readFixture('sns/root-alert-alarm.json'));
    expect(message?.text).toBe('root 계정 경보 발생하였습니다');
    expect(message?.attachments).toHaveLength(1);
    expect(message?.attachments[0]?.text).toContain('참고: CloudTrail 이벤트 조회 권한이 없습니다');
  });

  it("the guide's test event is unchanged: one attachment, no lookup", async () => {
    const [message] = await run(readFixture('sns/guide-test-event.json'));
    expect(message?.text).toBe('root 계정 경보 발생하였습니다');
    expect(message?.attachments).toHaveLength(1);
    expect(logs.calls()).toHaveLength(0);
  });
});
