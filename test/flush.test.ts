import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FLUSH_INPUT } from '../src/defaults.js';
import { parseLambdaEvent } from '../src/events/index.js';
import { loadConfig } from '../src/lambda/config.js';
import { DynamoDedupe, DynamoSessionStore } from '../src/lambda/dynamo-dedupe.js';
import {
  buildDigest,
  heldEventsDue,
  MemorySessionStore,
  type SessionState,
  type SessionStore,
} from '../src/lambda/flood.js';
import { createHandler, MemoryDedupe, type AlertHandler, type DedupeStore } from '../src/lambda/handler.js';
import { createDedupeTable, startDynalite } from './helpers/dynalite.js';
import { startWebhookServer, type Behaviour } from './helpers/webhook-server.js';

process.env['AWS_REGION'] ??= 'ap-northeast-2';

const T0 = Date.parse('2026-11-29T09:00:00Z');
const BOUND_MS = 5 * 60_000;

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(behave?: (n: number) => Behaviour) {
  const s = await startWebhookServer(behave);
  servers.push(s);
  return s;
}

/** A root record of the console session ASIAROOTSESSION, `seconds` after T0. */
function record(eventName: string, seconds: number, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'Root',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
      accessKeyId: 'ASIAROOTSESSION',
    },
    eventTime: new Date(T0 + seconds * 1000).toISOString(),
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'ap-northeast-2',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'console.ec2.amazonaws.com',
    eventID: `ev-${eventName}-${seconds}`,
    eventType: 'AwsApiCall',
    ...extra,
  };
}
const envelope = (detail: ReturnType<typeof record>) => ({
  version: '0',
  id: `eb-${detail.eventID}`,
  'detail-type':
    detail.eventName === 'ConsoleLogin'
      ? 'AWS Console Sign In via CloudTrail'
      : 'AWS API Call via CloudTrail',
  source: 'aws.ec2',
  account: '111122223333',
  time: detail.eventTime,
  region: 'ap-northeast-2',
  resources: [],
  detail,
});
const signIn = record('ConsoleLogin', 0, {
  eventSource: 'signin.amazonaws.com',
  eventType: 'AwsConsoleSignIn',
  awsRegion: 'us-east-1',
  responseElements: { ConsoleLogin: 'Success' },
  additionalEventData: { MFAUsed: 'Yes' },
});
/** The session: a console sign-in, then 13 RunInstances 20 s apart. */
const session = [signIn, ...Array.from({ length: 13 }, (_, i) => record('RunInstances', 20 * (i + 1)))];

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const context = { getRemainingTimeInMillis: () => 60_000 };

/**
 * Runs `steps` (at wall offset `at` seconds from the start: an event, or the flush) and returns, per eventID,
 * the offset (s) of the first delivered message naming it.
 */
async function run(
  handlers: AlertHandler[],
  setNow: (seconds: number) => void,
  s: Awaited<ReturnType<typeof server>>,
  steps: { at: number; event: unknown; by?: number }[],
) {
  const named = new Map<string, number>();
  for (const step of steps) {
    setNow(step.at);
    await (handlers[step.by ?? 0] ?? handlers[0]!)(step.event, context);
    for (const taken of s.requests) {
      const text = JSON.stringify(taken.body);
      for (const e of session)
        if (text.includes(e.eventID) && !named.has(e.eventID)) named.set(e.eventID, step.at);
    }
  }
  return named;
}

describe('flood control delays, never drops (issue 9 item 2)', () => {
  it('a sign-in and 13 RunInstances 20 s apart: every eventID named within 5 min, by the scheduled flush', async () => {
    const s = await server();
    const start = Date.now(); // the handler's clock also sets the delivery deadline (compared with real time)
    let now = start;
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: quiet,
      dedupe: new MemoryDedupe(),
      sessions: new MemorySessionStore(),
      clock: () => now,
    });
    const steps = [
      ...session.map((r, i) => ({ at: 20 * i, event: envelope(r) })),
      // The schedule: rate(1 minute), from minute 1 to 10.
      ...Array.from({ length: 10 }, (_, m) => ({ at: 60 * (m + 1), event: FLUSH_INPUT })),
    ].sort((a, b) => a.at - b.at);
    const named = await run([handle], (sec) => (now = start + sec * 1000), s, steps);
    for (const [i, r] of session.entries()) {
      expect(named.get(r.eventID), r.eventID).toBeDefined();
      expect((named.get(r.eventID) ?? Infinity) - 20 * i).toBeLessThanOrEqual(BOUND_MS / 1000);
    }
    // The sign-in at once, the first RunInstances held (the session has had its message), all 13 in one digest.
    expect(s.requests).toHaveLength(2);
    const digest = s.requests[1]?.body as { attachments: { title: string; text: string }[] };
    expect(digest.attachments[0]?.title).toBe('이 세션의 이벤트 13건 (지난 메시지 이후)');
    expect(digest.attachments[0]?.text).toContain(
      '2026-11-29 18:00:20 KST · RunInstances (ec2.amazonaws.com) · 성공 · ev-RunInstances-20',
    );
    // After the flush nothing is held: later flushes send nothing.
    expect((await handle(FLUSH_INPUT, context)).decisions[0]).toMatchObject({ outcome: 'skipped' });
  });

  it('a failed digest post keeps the events held and fails the flush; the next flush delivers them', async () => {
    const s = await server((n) => ({ status: n === 2 ? 400 : 200 })); // 400: not retried by the client
    const start = Date.now();
    let now = start;
    const sessions = new MemorySessionStore();
    const handle = createHandler({
      config: loadConfig({
        DOORAY_HOOK_URL: s.url,
        DOORAY_MIN_INTERVAL_MS: '0',
        DIGEST_MAX_DELAY_MS: '60000',
      }),
      logger: quiet,
      dedupe: new MemoryDedupe(),
      sessions,
      clock: () => now,
    });
    await handle(envelope(session[0]!), context);
    await handle(envelope(session[1]!), context);
    now = start + 60_000;
    await expect(handle(FLUSH_INPUT, context)).rejects.toThrow(/digest.*not delivered/);
    expect((await sessions.get('111122223333|ASIAROOTSESSION'))?.pending).toHaveLength(1);
    expect((await handle(FLUSH_INPUT, context)).delivered).toBe(1);
    expect(JSON.stringify(s.requests.at(-1)?.body)).toContain('ev-RunInstances-20');
    expect((await sessions.get('111122223333|ASIAROOTSESSION'))?.pending).toHaveLength(0);
  });

  it('heldEventsDue and buildDigest: the pure rule the flush and the CLI model share', () => {
    const state: SessionState = {
      lastAnnounced: T0,
      pending: Array.from({ length: 20 }, (_, i) => ({
        eventId: `e${i}`,
        eventName: 'RunInstances',
        eventSource: 'ec2.amazonaws.com',
        eventTime: T0 + i * 1000,
        failed: false,
        heldAt: T0 + i * 1000,
      })),
      more: 0,
    };
    expect(heldEventsDue(state, T0 + 4 * 60_000 - 1, BOUND_MS)).toEqual([]);
    expect(heldEventsDue(state, T0 + 4 * 60_000, BOUND_MS)).toHaveLength(20);
    const { digest, named } = buildDigest('111122223333|ASIA', state);
    expect(digest.lines).toHaveLength(named.length);
    expect(digest.following).toBe(20 - named.length);
    expect(parseLambdaEvent(FLUSH_INPUT)).toEqual([
      { kind: 'flush', origin: { index: 0, carrier: 'schedule' } },
    ]);
  });
});

describe('two containers racing on one root session against dynalite (issue 9 item 5)', () => {
  let db: { client: DynamoDBClient; close: () => Promise<void> };
  beforeAll(async () => {
    db = await startDynalite();
    await createDedupeTable(db.client, 'race');
  });
  afterAll(async () => {
    await db.close();
  });

  it('events held at once by two containers: none missing from the digests', async () => {
    const s = await server();
    const start = Date.now();
    let now = start;
    const clock = () => now;
    const container = () => {
      const dedupe: DedupeStore = new DynamoDedupe({ client: db.client, tableName: 'race', clock });
      const sessions: SessionStore = new DynamoSessionStore({ client: db.client, tableName: 'race', clock });
      return createHandler({
        config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
        logger: quiet,
        dedupe,
        sessions,
        clock,
      });
    };
    const [a, b] = [container(), container()];
    await a(envelope(session[0]!), context);
    // Twelve RunInstances in pairs, each pair handled at the same time by the two containers.
    for (let i = 1; i < 13; i += 2) {
      now = start + 20_000 * i;
      await Promise.all([a(envelope(session[i]!), context), b(envelope(session[i + 1]!), context)]);
    }
    now = start + BOUND_MS;
    await b(FLUSH_INPUT, context);
    const text = s.requests.map((r) => JSON.stringify(r.body)).join('\n');
    for (const r of session.slice(0, 13)) expect(text, r.eventID).toContain(r.eventID);
  });
});
