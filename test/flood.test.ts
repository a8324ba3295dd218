import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completeAlert, toAlert } from '../src/alert/alert.js';
import { render } from '../src/alert/render.js';
import { parseLambdaEvent, readCloudTrailEvent, type CloudTrailEvent } from '../src/events/index.js';
import { createAccountAliasLookup } from '../src/lambda/account-alias.js';
import { loadConfig } from '../src/lambda/config.js';
import { DynamoSessionStore } from '../src/lambda/dynamo-dedupe.js';
import {
  DIGEST_INTERVAL_MS,
  floodDecision,
  immediateReason,
  isHighRisk,
  MAX_DIGEST_LINES,
  MemorySessionStore,
  sessionOf,
} from '../src/lambda/flood.js';
import { createHandler, MemoryDedupe } from '../src/lambda/handler.js';
import { createDedupeTable, startDynalite } from './helpers/dynalite.js';
import { startWebhookServer } from './helpers/webhook-server.js';

process.env['AWS_REGION'] ??= 'ap-northeast-2';

const T0 = Date.parse('2026-11-29T09:00:00Z');

/** A root console record: session key ASIAEXAMPLE, at T0 + `minutes`. */
function record(
  eventName: string,
  minutes: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'Root',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: { attributes: { mfaAuthenticated: 'true', creationDate: '2026-11-29T08:59:00Z' } },
    },
    eventTime: new Date(T0 + minutes * 60_000).toISOString(),
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'ap-northeast-2',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'console.ec2.amazonaws.com',
    eventID: `id-${eventName}-${minutes}`,
    eventType: 'AwsApiCall',
    ...extra,
  };
}
const ev = (r: Record<string, unknown>): CloudTrailEvent => {
  const e = readCloudTrailEvent(r);
  if (!e) throw new Error('not an event');
  return e;
};

describe('floodDecision', () => {
  it('first of a session at once, then held, then one digest after the interval, then held again', async () => {
    const store = new MemorySessionStore();
    const step = async (name: string, minutes: number) => {
      const { decision, commit } = await floodDecision(
        ev(record(name, minutes)),
        store,
        T0 + minutes * 60_000,
      );
      await commit();
      return decision;
    };
    expect(await step('DescribeInstances', 0)).toEqual({ action: 'announce', reason: 'first-of-session' });
    expect(await step('DescribeVolumes', 1)).toEqual({ action: 'hold' });
    expect(await step('DescribeVpcs', 2)).toEqual({ action: 'hold' });
    const digest = await step('DescribeSubnets', 5);
    expect(digest).toMatchObject({ action: 'digest', session: '111122223333|ASIAEXAMPLE', more: 0 });
    if (digest.action !== 'digest') return;
    expect(digest.lines.map((l) => l.eventName)).toEqual([
      'DescribeVolumes',
      'DescribeVpcs',
      'DescribeSubnets',
    ]);
    expect(await step('DescribeImages', 6)).toEqual({ action: 'hold' });
  });

  it('an event delivered twice while held is held once', async () => {
    const store = new MemorySessionStore();
    await (await floodDecision(ev(record('DescribeInstances', 0)), store, T0)).commit();
    for (let i = 0; i < 2; i++) await floodDecision(ev(record('DescribeVolumes', 1)), store, T0 + 60_000);
    const { decision } = await floodDecision(ev(record('DescribeVpcs', 6)), store, T0 + 6 * 60_000);
    expect(decision.action === 'digest' ? decision.lines.map((l) => l.eventName) : []).toEqual([
      'DescribeVolumes',
      'DescribeVpcs',
    ]);
  });

  it('the session state changes only when the caller commits (a failed delivery is retried as it was)', async () => {
    const store = new MemorySessionStore();
    const first = await floodDecision(ev(record('DescribeInstances', 0)), store, T0);
    expect(first.decision.action).toBe('announce');
    const again = await floodDecision(ev(record('DescribeInstances', 0)), store, T0);
    expect(again.decision).toEqual({ action: 'announce', reason: 'first-of-session' });
  });

  it('high-risk events at once, mid-session too: the list, failures, every root console sign-in', async () => {
    const store = new MemorySessionStore();
    await (await floodDecision(ev(record('DescribeInstances', 0)), store, T0)).commit();
    for (const r of [
      record('CreateAccessKey', 1, { eventSource: 'iam.amazonaws.com' }),
      record('StopLogging', 1, { eventSource: 'cloudtrail.amazonaws.com' }),
      record('TerminateInstances', 1, { errorCode: 'UnauthorizedOperation' }),
    ]) {
      expect((await floodDecision(ev(r), store, T0 + 60_000)).decision).toEqual({
        action: 'announce',
        reason: 'high-risk',
      });
    }
    const signIn = (mfa: string) =>
      ev(
        record('ConsoleLogin', 0, {
          eventSource: 'signin.amazonaws.com',
          responseElements: { ConsoleLogin: 'Success' },
          additionalEventData: { MFAUsed: mfa },
        }),
      );
    expect(isHighRisk(signIn('No'))).toBe(true);
    expect(isHighRisk(signIn('Yes'))).toBe(true); // a new console session: never held behind an earlier one
    expect(isHighRisk(ev(record('DescribeInstances', 0)))).toBe(false);
  });

  it('a root session ending in calls that blind the pipeline: each announced at once (issue 9 item 3)', async () => {
    const store = new MemorySessionStore();
    await (await floodDecision(ev(record('DescribeInstances', 0)), store, T0)).commit();
    expect((await floodDecision(ev(record('RunInstances', 1)), store, T0 + 60_000)).decision).toEqual({
      action: 'hold',
    });
    for (const [name, source] of [
      ['DisableRule', 'events.amazonaws.com'],
      ['PutFunctionConcurrency20171031', 'lambda.amazonaws.com'],
      ['DisableAlarmActions', 'monitoring.amazonaws.com'],
      ['AuthorizeSecurityGroupIngress', 'ec2.amazonaws.com'], // CIS CloudWatch.10
      ['DeleteConfigurationRecorder', 'config.amazonaws.com'],
    ] as const) {
      const e = ev(record(name, 2, { eventSource: source }));
      expect(isHighRisk(e)).toBe(true);
      expect((await floodDecision(e, store, T0 + 120_000)).decision).toEqual({
        action: 'announce',
        reason: 'high-risk',
      });
    }
    expect(immediateReason(ev(record('DisableRule', 2, { eventSource: 'events.amazonaws.com' })))).toBe(
      'pipeline',
    );
    expect(immediateReason(ev(record('PutBucketPolicy', 2, { eventSource: 's3.amazonaws.com' })))).toBe(
      'cis',
    );
  });

  it('an event with neither access key nor source IP is announced alone', async () => {
    const r = record('DescribeInstances', 0, { sourceIPAddress: undefined });
    r['userIdentity'] = { type: 'Root', accountId: '111122223333' };
    const { decision } = await floodDecision(ev(r), new MemorySessionStore(), T0);
    expect(decision).toEqual({ action: 'announce', reason: 'no-session' });
  });

  it(`names ${MAX_DIGEST_LINES} lines per digest; the rest stay held for the next one, never dropped`, async () => {
    const store = new MemorySessionStore();
    await (await floodDecision(ev(record('First', 0)), store, T0)).commit();
    for (let i = 0; i < MAX_DIGEST_LINES + 7; i++)
      await floodDecision(ev(record(`Get${i}${'X'.repeat(300)}`, 1)), store, T0 + 60_000);
    const { decision, commit } = await floodDecision(
      ev(record('Last', 6)),
      store,
      T0 + DIGEST_INTERVAL_MS + 60_000,
    );
    expect(decision).toMatchObject({ action: 'digest', more: 0, following: 8 });
    if (decision.action !== 'digest') return;
    expect(decision.lines).toHaveLength(MAX_DIGEST_LINES);
    await commit();
    const left = (await store.get(sessionOf(ev(record('Last', 6)))!))?.pending ?? [];
    expect(left.map((p) => p.eventName)).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `Get${MAX_DIGEST_LINES + i}${'X'.repeat(300)}`),
      'Last',
    ]);

    // Rendered, the digest keeps whole lines within the attachment limit and counts every line it drops.
    const [input] = parseLambdaEvent({
      version: '0',
      id: 'digest-test',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ec2',
      account: '111122223333',
      time: new Date(T0).toISOString(),
      region: 'ap-northeast-2',
      resources: [],
      detail: record('Last', 6),
    });
    const draft = toAlert(input!, {
      notifyStates: ['ALARM'],
      subjectMap: {},
      locale: 'ko',
      now: new Date(T0),
    });
    if (draft.kind !== 'event') throw new Error(`not an event alert: ${draft.kind}`);
    const alert = completeAlert(draft, {
      digest: {
        session: decision.session,
        lines: decision.lines,
        more: decision.more,
        following: decision.following ?? 0,
      },
    });
    const text =
      render(alert, { locale: 'ko', timeZone: 'Asia/Seoul', botName: 'AlarmBot' }).attachments?.[0]?.text ??
      '';
    expect(text.length).toBeLessThanOrEqual(3_000);
    const lines = text.split('\n');
    // Every line the digest carries is shown (cut to its length limit, never dropped).
    expect(lines.filter((l) => / · Get\d+X+/.test(l))).toHaveLength(MAX_DIGEST_LINES);
    expect(text).toContain('외 8건은 다음 메시지에서 이어집니다');
    expect(text).not.toContain('CloudTrail 콘솔에서 확인하세요');
  });
});

describe('DynamoSessionStore against dynalite on 127.0.0.1', () => {
  let db: { client: DynamoDBClient; close: () => Promise<void> };
  beforeAll(async () => {
    db = await startDynalite();
    await createDedupeTable(db.client, 'sessions');
  });
  afterAll(async () => {
    await db.close();
  });

  it('keeps a session state for a day, shared by store instances', async () => {
    let now = T0;
    const a = new DynamoSessionStore({ client: db.client, tableName: 'sessions', clock: () => now });
    const b = new DynamoSessionStore({ client: db.client, tableName: 'sessions', clock: () => now });
    expect(await a.get('111122223333|ASIA1')).toBeUndefined();
    const state = {
      lastAnnounced: T0,
      pending: [{ eventName: 'GetX', eventSource: 's', eventTime: T0, failed: false, heldAt: T0 }],
      more: 2,
    };
    await a.update('111122223333|ASIA1', () => state);
    expect(await b.get('111122223333|ASIA1')).toEqual(state);
    now += 24 * 3600 * 1000 + 1_000;
    expect(await b.get('111122223333|ASIA1')).toBeUndefined();
  });
});

describe('account alias', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());

  it('reads ListAccountAliases once per TTL, "none" and errors included', async () => {
    iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'], IsTruncated: false });
    let now = T0;
    const lookup = createAccountAliasLookup({ client: new IAMClient({}), ttlMs: 60_000, clock: () => now });
    expect(await lookup()).toBe('acme-prod');
    expect(await lookup()).toBe('acme-prod');
    expect(iam.commandCalls(ListAccountAliasesCommand)).toHaveLength(1);
    iam.on(ListAccountAliasesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    now += 61_000;
    expect(await lookup()).toBeUndefined();
    expect(await lookup()).toBeUndefined();
    expect(iam.commandCalls(ListAccountAliasesCommand)).toHaveLength(2);
  });
});

describe('handler with flood control and the account alias', () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const envelope = (detail: Record<string, unknown>) => ({
    version: '0',
    id: String(detail['eventID']),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: '111122223333',
    time: detail['eventTime'],
    region: 'ap-northeast-2',
    resources: [],
    detail,
  });

  it('a root console session: first event and CreateAccessKey at once, the reads in one digest later', async () => {
    const s = await startWebhookServer();
    servers.push(s);
    // The handler's clock also sets the delivery deadline, which the client compares with the real time.
    const start = Date.now();
    let now = start;
    const dedupe = new MemoryDedupe();
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      dedupe,
      sessions: new MemorySessionStore(),
      accountAlias: () => Promise.resolve('acme-prod'),
      clock: () => now,
    });
    const context = {
      getRemainingTimeInMillis: () => 60_000,
      invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:111122223333:function:secu-alert-dooray',
    };
    const at = async (r: Record<string, unknown>, minutes: number) => {
      now = start + minutes * 60_000;
      return handle(envelope(r), context);
    };
    expect((await at(record('DescribeInstances', 0), 0)).delivered).toBe(1);
    for (let i = 1; i <= 3; i++) {
      const held = await at(record(`DescribeVolumes`, i), i);
      expect(held.decisions[0]).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringMatching(/digest/),
      });
    }
    expect((await at(record('CreateAccessKey', 4, { eventSource: 'iam.amazonaws.com' }), 4)).delivered).toBe(
      1,
    );
    expect((await at(record('DescribeVpcs', 6), 6)).delivered).toBe(1);
    const bodies = s.requests.map(
      (r) => r.body as { text: string; attachments: { title: string; text: string }[] },
    );
    expect(bodies.map((b) => b.attachments[0]?.title)).toEqual([
      'DescribeInstances · ec2.amazonaws.com',
      'CreateAccessKey · iam.amazonaws.com',
      '이 세션의 이벤트 4건 (지난 메시지 이후)',
    ]);
    expect(bodies.every((b) => b.text === 'root 계정 사용이 감지되었습니다')).toBe(true);
    expect(bodies[0]?.attachments[0]?.text).toContain('계정: 111122223333 (acme-prod)');
    expect(bodies[2]?.attachments[0]?.text.split('\n')).toEqual([
      '2026-11-29 18:01:00 KST · DescribeVolumes (ec2.amazonaws.com) · 성공 · id-DescribeVolumes-1',
      '2026-11-29 18:02:00 KST · DescribeVolumes (ec2.amazonaws.com) · 성공 · id-DescribeVolumes-2',
      '2026-11-29 18:03:00 KST · DescribeVolumes (ec2.amazonaws.com) · 성공 · id-DescribeVolumes-3',
      '2026-11-29 18:06:00 KST · DescribeVpcs (ec2.amazonaws.com) · 성공 · id-DescribeVpcs-6',
      '세션: ASIAEXAMPLE · 계정: 111122223333 (acme-prod)',
    ]);
    // The digest announced the held events: the alarm path will list them as already reported.
    expect(dedupe.has('cloudtrail-event|id-DescribeVolumes-2')).toBe(true);
  });

  it('no alias for another account than the function’s own (organization trails)', async () => {
    const s = await startWebhookServer();
    servers.push(s);
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      dedupe: new MemoryDedupe(),
      sessions: new MemorySessionStore(),
      accountAlias: () => Promise.resolve('acme-prod'),
    });
    await handle(envelope(record('DescribeInstances', 0)), {
      getRemainingTimeInMillis: () => 60_000,
      invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:999999999999:function:secu-alert-dooray',
    });
    const body = s.requests[0]?.body as { attachments: { text: string }[] };
    expect(body.attachments[0]?.text).toContain('계정: 111122223333\n');
  });
});
