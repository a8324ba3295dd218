import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toAlert, type AlarmAlert, type AlertOptions } from '../src/alert/alert.js';
import { render, type RenderOptions } from '../src/alert/render.js';
import {
  createTestMarkKeyLookup,
  signTestMark,
  TEST_MARK_MAX_SKEW_MS,
  verifyTestMark,
} from '../src/alert/test-mark.js';
import { parseLambdaEvent } from '../src/events/index.js';
import { createHandler } from '../src/lambda/handler.js';
import { loadConfig } from '../src/lambda/config.js';
import { startWebhookServer } from './helpers/webhook-server.js';

// Issue 11 item 2: a state reason starting with [테스트] rendered a real alarm as a drill. Now a test mark is
// trusted only from the self-test alarm or with a signature made with the stack's key.

const KEY = 'test-mark-key-for-the-suite-0123456789';
const changed = new Date('2026-11-29T01:00:00.000Z');
const options: AlertOptions = { notifyStates: ['ALARM', 'OK'], subjectMap: {}, locale: 'ko', now: changed };
const ko: RenderOptions = { locale: 'ko', timeZone: 'Asia/Seoul', botName: 'AlarmBot' };

const notification = (reason: string, extra: Record<string, unknown> = {}) => ({
  AlarmName: 'root-alert',
  AlarmArn: 'arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:root-alert',
  NewStateValue: 'ALARM',
  OldStateValue: 'OK',
  NewStateReason: reason,
  StateChangeTime: changed.toISOString(),
  ...extra,
});

function alertOf(event: unknown, opts: Partial<AlertOptions> = {}): AlarmAlert {
  const [input] = parseLambdaEvent(event);
  const alert = toAlert(input!, { ...options, ...opts });
  if (alert.kind !== 'alarm') throw new Error('not an alarm');
  return alert;
}

describe('signTestMark / verifyTestMark', () => {
  const issuedAt = new Date(changed.getTime() - 60_000);
  const token = signTestMark(KEY, { alarmName: 'root-alert', issuedAt });

  it('is short and verifies for the same alarm, key and time window', () => {
    expect(token).toMatch(/^#tm1\.\d+\.[0-9a-f]{32}$/);
    const reason = `[테스트] fire by ops ${token}`;
    expect(verifyTestMark(KEY, { alarmName: 'root-alert', reason, stateChangeTime: changed })).toBe(true);
  });

  it('fails for another key, another alarm, a changed MAC, outside ±15 min, or without a time', () => {
    const reason = `[테스트] ${token}`;
    expect(
      verifyTestMark('another-key-0123456789', { alarmName: 'root-alert', reason, stateChangeTime: changed }),
    ).toBe(false);
    expect(verifyTestMark(KEY, { alarmName: 'other', reason, stateChangeTime: changed })).toBe(false);
    const flipped = reason.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(verifyTestMark(KEY, { alarmName: 'root-alert', reason: flipped, stateChangeTime: changed })).toBe(
      false,
    );
    const late = new Date(issuedAt.getTime() + TEST_MARK_MAX_SKEW_MS + 1_000);
    expect(verifyTestMark(KEY, { alarmName: 'root-alert', reason, stateChangeTime: late })).toBe(false);
    expect(verifyTestMark(KEY, { alarmName: 'root-alert', reason, stateChangeTime: undefined })).toBe(false);
    expect(verifyTestMark(undefined, { alarmName: 'root-alert', reason, stateChangeTime: changed })).toBe(
      false,
    );
  });
});

describe('spoofed test marks', () => {
  it('a [테스트] reason without a valid signature renders as a real alarm with the claim noted, in red', () => {
    for (const testMarks of [undefined, { key: KEY }, { key: KEY, selfTestAlarmName: 'self-test' }]) {
      const alert = alertOf(
        notification('[테스트] drill, ignore #tm1.1796000000.00000000000000000000000000000000'),
        {
          ...(testMarks ? { testMarks } : {}),
        },
      );
      expect(alert.test).toBeUndefined();
      expect(alert.unverifiedTest).toBe('manual');
      const message = render(alert, ko);
      // Before: "[테스트] root 계정 경보 발생하였습니다".
      expect(message.text).toBe('root 계정 경보 발생하였습니다');
      expect(message.attachments?.[0]?.color).toBe('red');
      expect(message.attachments?.[0]?.text?.split('\n')[0]).toBe(
        '참고: 상태 사유에 [테스트] 표시가 있으나 검증되지 않았습니다',
      );
    }
  });

  it('[TEST] and [정기 테스트] claims likewise, also on OK (red), and in English', () => {
    const ok = alertOf(
      notification('[정기 테스트] monthly', { NewStateValue: 'OK', OldStateValue: 'ALARM' }),
    );
    const message = render(ok, ko);
    expect(message.text).toBe('root 계정 경보 해제되었습니다');
    expect(message.attachments?.[0]?.color).toBe('red');
    expect(message.attachments?.[0]?.text).toContain(
      '상태 사유에 [정기 테스트] 표시가 있으나 검증되지 않았습니다',
    );
    const en = render(alertOf(notification('[TEST] x'), { locale: 'en' }), { ...ko, locale: 'en' });
    expect(en.text).toBe('root account alarm triggered');
    expect(en.attachments?.[0]?.text).toContain(
      'Note: the state reason claims [TEST], but the mark is not verified',
    );
  });

  it('a token signed for another alarm or copied from a run more than 15 minutes ago is not trusted', () => {
    const forOther = signTestMark(KEY, { alarmName: 'other-alarm', issuedAt: changed });
    expect(alertOf(notification(`[테스트] ${forOther}`), { testMarks: { key: KEY } }).unverifiedTest).toBe(
      'manual',
    );
    const old = signTestMark(KEY, {
      alarmName: 'root-alert',
      issuedAt: new Date(changed.getTime() - 16 * 60_000),
    });
    expect(alertOf(notification(`[테스트] ${old}`), { testMarks: { key: KEY } }).unverifiedTest).toBe(
      'manual',
    );
  });

  it("the guide's test event still renders exactly 'root 계정 경보 발생하였습니다'", () => {
    const alert = alertOf({ AlarmName: 'root-alert', NewStateValue: 'ALARM', NewStateReason: 'manual test' });
    expect(render(alert, ko).text).toBe('root 계정 경보 발생하였습니다');
  });
});

describe('the test-mark key in the handler', () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());
  const arn = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:test-mark-AbCdEf';

  async function deliver(env: Record<string, string>, reason: string, lookupOptions = {}) {
    const server = await startWebhookServer();
    try {
      const config = loadConfig({ DOORAY_HOOK_URL: server.url, DOORAY_MIN_INTERVAL_MS: '0', ...env });
      const warnings: string[] = [];
      const logger = { info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} };
      const handler = createHandler({
        config,
        logger,
        // each case delivers the same alarm change again
        dedupe: {
          has: () => false,
          add: () => {},
          claim: () => Promise.resolve('claimed' as const),
          release: () => Promise.resolve(),
        },
        testMarkKey: createTestMarkKeyLookup(config.testMarkKey, {
          client: new SecretsManagerClient({ region: 'ap-northeast-2' }),
          onError: (m) => warnings.push(m),
          ...lookupOptions,
        }),
      });
      const result = await handler(notification(reason));
      return { result, body: server.requests[0]?.body as { text: string }, warnings };
    } finally {
      await server.close();
    }
  }

  it('TEST_MARK_KEY: a signed reason is a test; the same claim unsigned is not', async () => {
    const token = signTestMark(KEY, { alarmName: 'root-alert', issuedAt: changed });
    expect((await deliver({ TEST_MARK_KEY: KEY }, `[테스트] ${token}`)).body.text).toBe(
      '[테스트] root 계정 경보 발생하였습니다',
    );
    expect((await deliver({ TEST_MARK_KEY: KEY }, '[테스트] x')).body.text).toBe(
      'root 계정 경보 발생하였습니다',
    );
  });

  it('TEST_MARK_KEY_SECRET_ARN: read from Secrets Manager (GetSecretValue) and cached', async () => {
    sm.on(GetSecretValueCommand, { SecretId: arn }).resolves({
      ARN: arn,
      Name: 'test-mark',
      SecretString: KEY,
    });
    const token = signTestMark(KEY, { alarmName: 'root-alert', issuedAt: changed });
    const { body } = await deliver({ TEST_MARK_KEY_SECRET_ARN: arn }, `[테스트] ${token}`);
    expect(body.text).toBe('[테스트] root 계정 경보 발생하였습니다');
    const lookup = createTestMarkKeyLookup(
      { kind: 'secret', arn },
      { client: new SecretsManagerClient({ region: 'ap-northeast-2' }) },
    );
    await lookup();
    await lookup();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2); // one per lookup object, then cached
  });

  it('an unreadable key degrades: the alert is still delivered, as a real alarm, with a warning', async () => {
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
    );
    const token = signTestMark(KEY, { alarmName: 'root-alert', issuedAt: changed });
    const { result, body, warnings } = await deliver({ TEST_MARK_KEY_SECRET_ARN: arn }, `[테스트] ${token}`);
    expect(result.decisions[0]?.outcome).toBe('delivered');
    expect(body.text).toBe('root 계정 경보 발생하였습니다');
    expect(warnings.join('\n')).toMatch(/AccessDeniedException; no test mark is trusted/);
  });

  it('a Secrets Manager that never answers is abandoned after the timeout (real hanging listener)', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer(() => {}); // takes the request, never answers
    server.on('connection', (s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    sm.restore();
    try {
      const client = new SecretsManagerClient({
        region: 'ap-northeast-2',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
      const errors: string[] = [];
      const lookup = createTestMarkKeyLookup(
        { kind: 'secret', arn },
        { client, timeoutMs: 300, onError: (m) => errors.push(m) },
      );
      const started = Date.now();
      expect(await lookup()).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(errors).toHaveLength(1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
