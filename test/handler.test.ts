import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/lambda/config.js';
import {
  AlertDeliveryError,
  createHandler,
  MemoryDedupe,
  type DecisionLogger,
  type HandlerResult,
} from '../src/lambda/handler.js';
import { describeWithSamples, readFixture, readSample } from './helpers/samples.js';
import { startWebhookServer, TEST_TOKEN, type Behaviour } from './helpers/webhook-server.js';

process.env['AWS_REGION'] ??= 'ap-northeast-2';

interface LogLine {
  level: string;
  message: string;
  extra: Record<string, unknown>;
}
function capture(): { lines: LogLine[]; logger: DecisionLogger } {
  const lines: LogLine[] = [];
  const at = (level: string) => (message: string, extra: Record<string, unknown>) =>
    lines.push({ level, message, extra });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(behave?: (n: number) => Behaviour) {
  const s = await startWebhookServer(behave);
  servers.push(s);
  return s;
}

/** A handler on a loopback webhook, pacing off, with captured logs and its own dedupe memory. */
function handlerFor(url: string, env: Record<string, string> = {}) {
  const { lines, logger } = capture();
  const handle = createHandler({
    config: loadConfig({ DOORAY_HOOK_URL: url, DOORAY_MIN_INTERVAL_MS: '0', ...env }),
    logger,
    dedupe: new MemoryDedupe(),
  });
  return { handle, lines };
}

const context = (ms = 60_000) => ({ getRemainingTimeInMillis: () => ms, awsRequestId: 'req-1' });

describe("the guide's test event", () => {
  it('→ exactly one POST, text "root 계정 경보 발생하였습니다", botName AlarmBot, no botIconImage', async () => {
    const s = await server();
    const { handle, lines } = handlerFor(s.url);
    const result = await handle(readFixture('sns/guide-test-event.json'), context());
    expect(result).toMatchObject({ delivered: 1, skipped: 0 });
    expect(s.requests).toHaveLength(1);
    const body = s.requests[0]?.body as Record<string, unknown>;
    expect(body['text']).toBe('root 계정 경보 발생하였습니다');
    expect(body['botName']).toBe('AlarmBot');
    expect(body).not.toHaveProperty('botIconImage');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'delivered',
        extra: expect.objectContaining({
          alarmName: 'root-alert',
          attempts: 1,
          status: 200,
          requestId: 'req-1',
        }),
      }),
    ]);
  });

  it('uses DEFAULT_BOT_NAME and DEFAULT_BOT_ICON when set', async () => {
    const s = await server();
    const icon = 'https://static.dooray.com/static_images/dooray-bot.png';
    const { handle } = handlerFor(s.url, { DEFAULT_BOT_NAME: '보안봇', DEFAULT_BOT_ICON: icon });
    await handle(readFixture('sns/guide-test-event.json'));
    expect(s.requests[0]?.body).toMatchObject({ botName: '보안봇', botIconImage: icon });
  });
});

describe('records, states and repeats', () => {
  it('delivers every SNS record, in order, one message each', async () => {
    const s = await server();
    const { handle } = handlerFor(s.url);
    const records = [
      'sns/root-alert-alarm.json',
      'sns/metric-math-alarm.json',
      'sns/composite-alarm.json',
    ].flatMap((f) => readFixture<{ Records: unknown[] }>(f).Records);
    const result = await handle({ Records: records });
    expect(result.delivered).toBe(3);
    expect(s.requests.map((r) => (r.body as { text: string }).text)).toEqual([
      'root 계정 경보 발생하였습니다',
      'root-api-calls-per-hour 경보 발생하였습니다',
      'security-baseline 경보 발생하였습니다',
    ]);
  });

  it('skips OK unless NOTIFY_STATES has it', async () => {
    const s = await server();
    const ok = readFixture('sns/root-alert-ok.json');
    const off = await handlerFor(s.url).handle(ok);
    expect(off.decisions).toEqual([
      expect.objectContaining({ outcome: 'skipped', reason: expect.stringMatching(/NOTIFY_STATES/) }),
    ]);
    expect(s.requests).toHaveLength(0);
    const on = await handlerFor(s.url, { NOTIFY_STATES: 'ALARM,OK' }).handle(ok);
    expect(on.delivered).toBe(1);
    expect((s.requests[0]?.body as { text: string }).text).toBe('root 계정 경보 해제되었습니다');
  });

  it('skips a repeat of AlarmArn + StateChangeTime + state, but only after a delivery succeeded', async () => {
    const s = await server((n) => ({ status: n === 1 ? 400 : 200 }));
    const { handle } = handlerFor(s.url);
    const event = readFixture('sns/root-alert-alarm.json');
    await expect(handle(event)).rejects.toThrow(AlertDeliveryError); // 400: not recorded
    expect((await handle(event)).delivered).toBe(1);
    const third = await handle(event);
    expect(third.decisions[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/repeat/) });
    expect(s.requests).toHaveLength(2);
    // The guide's test event has neither field nor an SNS MessageId: a retried batch is known by the SHA-256
    // of its content (issue 9 item 5), so it is not posted again.
    const guide = readFixture('sns/guide-test-event.json');
    expect((await handle(guide)).delivered).toBe(1);
    expect((await handle(guide)).decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'repeat of an input already delivered (same content: SHA-256 of the input)',
    });
    expect(s.requests).toHaveLength(3);
  });
});

describe('a dedupe store that never answers', () => {
  it('costs at most its 2 s timeout per call, never the alert', async () => {
    const s = await server();
    const never = () => new Promise<never>(() => undefined);
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: capture().logger,
      dedupe: { has: never, add: never, claim: never, release: never },
    });
    const started = Date.now();
    expect((await handle(readFixture('sns/root-alert-alarm.json'), context())).delivered).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_900); // claim, then add: 2 s each
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(s.requests).toHaveLength(1);
  });
});

describe('delivery failures surface', () => {
  it('a failed alert does not stop the others, and the handler then throws naming it', async () => {
    const s = await server((n) => ({ status: n === 1 ? 404 : 200 }));
    const { handle, lines } = handlerFor(s.url);
    const records = ['sns/root-alert-alarm.json', 'sns/composite-alarm.json'].flatMap(
      (f) => readFixture<{ Records: unknown[] }>(f).Records,
    );
    const error = await handle({ Records: records }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect((error as Error).message).toMatch(
      /failed for 1 of 2 alert\(s\): root-alert \(ALARM\): .*HTTP 404/,
    );
    expect(s.requests).toHaveLength(2);
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['error', 'failed'],
      ['info', 'delivered'],
    ]);
  });

  it('stops retrying before the Lambda deadline (remaining time − 3 s) and throws', async () => {
    const s = await server(() => ({ status: 500 }));
    const { handle } = handlerFor(s.url);
    const started = Date.now();
    await expect(handle(readFixture('sns/guide-test-event.json'), context(5_000))).rejects.toThrow(
      /HTTP 500.*gave up/,
    );
    expect(Date.now() - started).toBeLessThan(2_100);
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
  });
});

describeWithSamples('every SNS sample of ../shared/samples/sns', () => {
  const index = readSample<{ file: string; NewStateValue: string }[]>('sns/INDEX.json');
  for (const states of ['ALARM', 'ALARM,OK,INSUFFICIENT_DATA']) {
    it.each(index.map((e) => [e.file, e.NewStateValue] as const))(
      `NOTIFY_STATES=${states}: %s is delivered iff its state is listed`,
      async (file, state) => {
        const s = await server();
        const result: HandlerResult = await handlerFor(s.url, { NOTIFY_STATES: states }).handle(
          readSample(`sns/${file}`),
        );
        if (states.split(',').includes(state)) {
          expect(result).toMatchObject({ delivered: 1, skipped: 0 });
          expect(s.requests).toHaveLength(1);
          expect((s.requests[0]?.body as { text: string }).text).toMatch(
            /경보 (발생하였습니다|해제되었습니다|데이터 부족 상태입니다)$/,
          );
        } else {
          expect(result.decisions).toEqual([
            expect.objectContaining({ outcome: 'skipped', reason: expect.stringContaining(state) }),
          ]);
          expect(s.requests).toHaveLength(0);
        }
      },
    );
  }
});

describe('bad input: an explained skip, never an unhandled exception', () => {
  const sns = (Message: unknown, extra: Record<string, unknown> = {}) => ({
    Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', Message, ...extra } }],
  });
  const alarm = (fields: Record<string, unknown>) =>
    sns(JSON.stringify({ AlarmName: 'root-alert', NewStateValue: 'ALARM', ...fields }));
  const cases: [string, unknown, RegExp][] = [
    ['undefined event', undefined, /undefined, not a JSON object/],
    ['null event', null, /null/],
    ['number event', 42, /number/],
    ['string event', 'Records', /string/],
    ['JSON array event', [{ Records: [] }], /array/],
    ['empty object', {}, /not a recognised event/],
    ['empty Records', { Records: [] }, /empty Records/],
    ['Records not a list', { Records: 'x' }, /not a list/],
    ['null record', { Records: [null] }, /record 0 is not a JSON object/],
    ['wrong EventSource', { Records: [{ EventSource: 'aws:s3', s3: {} }] }, /aws:s3, not aws:sns/],
    ['SNS record without Sns', { Records: [{ EventSource: 'aws:sns' }] }, /no Sns object/],
    ['SQS record without body', { Records: [{ eventSource: 'aws:sqs' }] }, /no string body/],
  ];
  it.each(cases)('%s', async (_name, event, reason) => {
    const s = await server();
    const { handle, lines } = handlerFor(s.url);
    const result = await handle(event);
    expect(result.delivered).toBe(0);
    expect(result.decisions).toEqual([
      expect.objectContaining({ outcome: 'skipped', reason: expect.stringMatching(reason) }),
    ]);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: 'skipped' })]);
    expect(s.requests).toHaveLength(0);
  });

  // Issue 9: these were explained skips (a success return, so no retry and no failure queue); the guide's Lambda
  // delivered each. Now each is delivered, degraded, with a note saying what could not be read.
  const degradedCases: [string, unknown, string, RegExp][] = [
    ['Message not a string', sns(12), 'unknown 경보 발생하였습니다', /Message is not a string/],
    ['Message not JSON, no Subject', sns('hello'), 'unknown 경보 발생하였습니다', /not JSON: no SNS Subject/],
    [
      'Message not JSON, Subject not an alarm',
      sns('hello', { Subject: 'TestInvoke' }),
      'TestInvoke 경보 발생하였습니다',
      /not JSON: the SNS Subject is not an alarm subject/,
    ],
    ['Message a JSON array', sns('[1,2]'), 'unknown 경보 발생하였습니다', /JSON array/],
    ['Message JSON null', sns('null'), 'unknown 경보 발생하였습니다', /JSON null/],
    [
      'Message without AlarmName',
      sns('{"NewStateValue":"ALARM"}'),
      'unknown 경보 발생하였습니다',
      /no AlarmName/,
    ],
    [
      'AlarmName a number',
      sns('{"AlarmName":5,"NewStateValue":"ALARM"}'),
      'unknown 경보 발생하였습니다',
      /no AlarmName/,
    ],
    [
      'unknown state',
      alarm({ NewStateValue: 'PANIC' }),
      'root 계정 경보 발생하였습니다',
      /alarm state "PANIC" \(NewStateValue\) is not one of OK, ALARM, INSUFFICIENT＿DATA: delivered as ALARM/,
    ],
    ['Trigger of the wrong type', alarm({ Trigger: 'x' }), 'root 계정 경보 발생하였습니다', /Trigger/],
    [
      '1 MB message',
      sns(
        JSON.stringify({
          AlarmName: 'root-alert',
          NewStateValue: 'ALARM',
          NewStateReason: 'x'.repeat(1_048_576),
        }),
      ),
      'unknown 경보 발생하였습니다',
      /more than SNS's limit/,
    ],
    [
      'SQS body not JSON',
      { Records: [{ eventSource: 'aws:sqs', body: 'oops' }] },
      'unknown 경보 발생하였습니다',
      /SQS body is not JSON/,
    ],
    [
      'alarm action with a bad state',
      { source: 'aws.cloudwatch', alarmData: { alarmName: 'x', state: { value: 'BAD' } } },
      'x 경보 발생하였습니다',
      /"BAD"/,
    ],
  ];
  it.each(degradedCases)('%s: delivered degraded, with a note', async (_name, event, text, note) => {
    const s = await server();
    const { handle, lines } = handlerFor(s.url);
    const result = await handle(event);
    expect(result).toMatchObject({ delivered: 1, skipped: 0 });
    expect(s.requests).toHaveLength(1);
    const body = s.requests[0]?.body as { text: string; attachments: { text: string }[] };
    expect(body.text).toContain(text);
    expect(body.attachments.map((a) => a.text).join('\n')).toMatch(note);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', message: 'delivered' })]);
  });

  it('control characters and long texts are delivered cleaned', async () => {
    const s = await server();
    const { handle } = handlerFor(s.url);
    await handle(
      alarm({
        AlarmName: 'root-alert',
        NewStateReason: `evil\u0000\u001b[31m${'r'.repeat(5_000)}`,
        StateChangeTime: 'garbage',
      }),
    );
    const body = s.requests[0]?.body as { text: string; attachments: { text: string }[] };
    expect(body.text).toBe('root 계정 경보 발생하였습니다');
    // eslint-disable-next-line no-control-regex
    expect(body.attachments[0]?.text).not.toMatch(/[\u0000-\u0008\u001b]/);
    expect(body.attachments[0]?.text.length).toBeLessThanOrEqual(3_000);
  });

  it('a lone surrogate in an alarm name neither crashes nor stops the batch', async () => {
    const s = await server();
    const bad = alarm({
      AlarmName: 'root\ud800-alert',
      AlarmArn: 'arn:aws:cloudwatch:ap-northeast-2:210987654321:alarm:x',
    });
    const good = readFixture<{ Records: unknown[] }>('sns/composite-alarm.json');
    const result = await handlerFor(s.url).handle({ Records: [...bad.Records, ...good.Records] });
    expect(result.delivered).toBe(2);
    expect((s.requests[0]?.body as { text: string }).text).toBe('root\ufffd-alert 경보 발생하였습니다');
  });

  it('a Message that is not JSON but has an alarm Subject is delivered from the Subject', async () => {
    const s = await server();
    const result = await handlerFor(s.url).handle(
      sns('Root was used', { Subject: 'ALARM: "root-alert" in Asia Pacific (Seoul)' }),
    );
    expect(result.delivered).toBe(1);
    expect(s.requests[0]?.body).toMatchObject({ text: 'root 계정 경보 발생하였습니다' });
  });
});

describe('configuration', () => {
  const url = 'https://hook.dooray.com/services/1/2/SECRETTOKEN123';
  it.each([
    [
      {},
      /set exactly one of DOORAY_HOOK_URL, DOORAY_HOOK_URL_PARAMETER or DOORAY_HOOK_URL_SECRET_ARN \(none is set\)/,
    ],
    [
      { DOORAY_HOOK_URL: url, DOORAY_HOOK_URL_PARAMETER: '/x' },
      /DOORAY_HOOK_URL and DOORAY_HOOK_URL_PARAMETER are set/,
    ],
    [
      { DOORAY_HOOK_URL: 'https://evil.example/services/1/2/SECRETTOKEN123' },
      /DOORAY_HOOK_URL has host evil.example/,
    ],
    [{ DOORAY_HOOK_URL: 'SECRETTOKEN123' }, /DOORAY_HOOK_URL is not a valid URL/],
    [
      { DOORAY_HOOK_URL_SECRET_ARN: 'my-secret' },
      /DOORAY_HOOK_URL_SECRET_ARN is not a Secrets Manager secret ARN/,
    ],
    [{ DOORAY_HOOK_URL: url, NOTIFY_STATES: 'ALARM,PANIC' }, /NOTIFY_STATES .*"PANIC"/],
    [{ DOORAY_HOOK_URL: url, SUBJECT_MAP: '{bad' }, /SUBJECT_MAP is not valid JSON/],
    [{ DOORAY_HOOK_URL: url, SUBJECT_MAP: '["a"]' }, /SUBJECT_MAP must be a JSON object/],
    [{ DOORAY_HOOK_URL: url, ALERT_LOCALE: 'jp' }, /ALERT_LOCALE must be ko or en/],
    [{ DOORAY_HOOK_URL: url, ALERT_TIMEZONE: 'Mars/Base' }, /ALERT_TIMEZONE/],
    [{ DOORAY_HOOK_URL: url, DOORAY_MIN_INTERVAL_MS: '-5' }, /DOORAY_MIN_INTERVAL_MS/],
    [{ DOORAY_HOOK_URL: url, DEFAULT_BOT_ICON: 'not-a-url' }, /DEFAULT_BOT_ICON/],
    [
      { DOORAY_HOOK_URL: url, DOORAY_MIN_INTERVAL_MS: '1e3' },
      /DOORAY_MIN_INTERVAL_MS must be a whole number/,
    ],
    [
      { DOORAY_HOOK_URL: url, DOORAY_ALLOWED_HOSTS: '*' },
      /DOORAY_ALLOWED_HOSTS entry 1 of 1 is not a host name/,
    ],
    [
      { DOORAY_HOOK_URL: url, DOORAY_ALLOWED_HOSTS: 'ok.example.com, *.com' },
      /DOORAY_ALLOWED_HOSTS entry 2 of 2 is not a host name/,
    ],
    [{ DOORAY_HOOK_URL: url, DEDUPE_TABLE_NAME: 'a b' }, /DEDUPE_TABLE_NAME is not a DynamoDB table name/],
  ])('%o → ConfigError', (env, message) => {
    const error = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('SECRETTOKEN123');
  });

  it('reads the defaults of the guide', () => {
    expect(loadConfig({ DOORAY_HOOK_URL: url })).toEqual({
      hookUrlSource: { kind: 'env', url },
      botName: 'AlarmBot',
      notifyStates: ['ALARM'],
      subjectMap: {},
      locale: 'ko',
      timeZone: 'Asia/Seoul',
      minIntervalMs: 1000,
      allowedHosts: [],
      digestMaxDelayMs: 300_000,
      organizationLookup: false,
      rootCredentialsRemovedAccounts: [],
    });
  });

  it('reads DIGEST_MAX_DELAY_MS from 1 minute to 1 hour', () => {
    expect(loadConfig({ DOORAY_HOOK_URL: url, DIGEST_MAX_DELAY_MS: '120000' }).digestMaxDelayMs).toBe(
      120_000,
    );
    for (const bad of ['59999', '3600001', '5m', '-1']) {
      expect(() => loadConfig({ DOORAY_HOOK_URL: url, DIGEST_MAX_DELAY_MS: bad })).toThrow(
        /DIGEST_MAX_DELAY_MS/,
      );
    }
  });

  it('reads ORGANIZATION_LOOKUP and ROOT_CREDENTIALS_REMOVED_ACCOUNTS, and names a bad entry', () => {
    expect(
      loadConfig({
        DOORAY_HOOK_URL: url,
        ORGANIZATION_LOOKUP: 'TRUE',
        ROOT_CREDENTIALS_REMOVED_ACCOUNTS: ' 222222222222, 333333333333 ',
      }),
    ).toMatchObject({
      organizationLookup: true,
      rootCredentialsRemovedAccounts: ['222222222222', '333333333333'],
    });
    expect(() => loadConfig({ DOORAY_HOOK_URL: url, ORGANIZATION_LOOKUP: 'yes' })).toThrow(
      'ORGANIZATION_LOOKUP must be true or false',
    );
    expect(() =>
      loadConfig({ DOORAY_HOOK_URL: url, ROOT_CREDENTIALS_REMOVED_ACCOUNTS: '2222,o-abc' }),
    ).toThrow(/ROOT_CREDENTIALS_REMOVED_ACCOUNTS must list 12-digit account ids.*"2222"/);
  });

  it('reads DEDUPE_TABLE_NAME', () => {
    expect(loadConfig({ DOORAY_HOOK_URL: url, DEDUPE_TABLE_NAME: 'secu-alert-dooray-dedupe' })).toMatchObject(
      {
        dedupeTableName: 'secu-alert-dooray-dedupe',
      },
    );
  });
});

describe('webhook URL from SSM or Secrets Manager (aws-sdk-client-mock, GetParameter/GetSecretValue shapes)', () => {
  const ssm = mockClient(SSMClient);
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => {
    ssm.reset();
    secrets.reset();
  });
  const parameter = (Value: string) => ({
    Parameter: {
      Name: '/secu-alert-dooray/hook-url',
      Type: 'SecureString' as const,
      Value,
      Version: 1,
      ARN: 'arn:aws:ssm:ap-northeast-2:210987654321:parameter/secu-alert-dooray/hook-url',
    },
  });

  it('reads a SecureString parameter with decryption and caches it', async () => {
    const s = await server();
    ssm.on(GetParameterCommand).resolves(parameter(s.url));
    const handle = createHandler({
      config: loadConfig({
        DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url',
        DOORAY_MIN_INTERVAL_MS: '0',
      }),
      logger: capture().logger,
      dedupe: new MemoryDedupe(),
    });
    await handle(readFixture('sns/guide-test-event.json'));
    await handle(readFixture('sns/root-alert-alarm.json'));
    expect(s.requests).toHaveLength(2);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/secu-alert-dooray/hook-url',
      WithDecryption: true,
    });
  });

  it('re-reads the parameter once after a 404 (rotated URL) and delivers to the new URL', async () => {
    const old = await server(() => ({ status: 404 }));
    const rotated = await server();
    ssm.on(GetParameterCommand).resolvesOnce(parameter(old.url)).resolves(parameter(rotated.url));
    const { lines, logger } = capture();
    const handle = createHandler({
      config: loadConfig({
        DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url',
        DOORAY_MIN_INTERVAL_MS: '0',
      }),
      logger,
      dedupe: new MemoryDedupe(),
    });
    expect((await handle(readFixture('sns/guide-test-event.json'))).delivered).toBe(1);
    expect([old.requests.length, rotated.requests.length]).toEqual([1, 1]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(lines.map((l) => l.message)).toEqual([
      'webhook rejected the URL; re-reading it once',
      'delivered',
    ]);
  });

  it('a missing parameter fails the invocation with a clear error (the alert is kept by Lambda retries)', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url' }),
      logger: capture().logger,
      dedupe: new MemoryDedupe(),
    });
    await expect(handle(readFixture('sns/guide-test-event.json'))).rejects.toThrow(
      /root-alert \(ALARM\): could not read the webhook URL from SSM parameter \/secu-alert-dooray\/hook-url \(DOORAY_HOOK_URL_PARAMETER\): ParameterNotFound/,
    );
  });

  it.each([
    ['the URL itself', (url: string) => url],
    ['JSON {"url": …}', (url: string) => JSON.stringify({ url })],
  ])('reads a secret holding %s', async (_what, shape) => {
    const s = await server();
    const arn = 'arn:aws:secretsmanager:ap-northeast-2:210987654321:secret:secu-alert-dooray/hook-url-AbCdEf';
    secrets.on(GetSecretValueCommand).resolves({
      ARN: arn,
      Name: 'secu-alert-dooray/hook-url',
      SecretString: shape(s.url),
      VersionId: 'v1',
    });
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL_SECRET_ARN: arn, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: capture().logger,
      dedupe: new MemoryDedupe(),
    });
    expect((await handle(readFixture('sns/guide-test-event.json'))).delivered).toBe(1);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: arn });
  });
});

describe('the token never appears in logs', () => {
  it('not in the captured decision logs nor in what Powertools Logger prints, on success and failure', async () => {
    const ok = await server();
    const bad = await server(() => ({ status: 500 }));
    const written: string[] = [];
    const write = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(write),
      vi.spyOn(process.stderr, 'write').mockImplementation(write),
    ];
    const logged: LogLine[] = [];
    try {
      for (const url of [ok.url, bad.url]) {
        const withCapture = handlerFor(url);
        await withCapture
          .handle(readFixture('sns/root-alert-alarm.json'), context(5_000))
          .catch(() => undefined);
        logged.push(...withCapture.lines);
        // Default logger: Powertools Logger, JSON lines on stdout (errors on stderr).
        const powertools = createHandler({
          config: loadConfig({ DOORAY_HOOK_URL: url, DOORAY_MIN_INTERVAL_MS: '0' }),
          dedupe: new MemoryDedupe(),
        });
        await powertools(readFixture('sns/guide-test-event.json'), context(5_000)).catch(() => undefined);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const all = JSON.stringify(logged) + written.join('');
    expect(logged.map((l) => l.message)).toEqual(['delivered', 'failed']);
    expect(written.join('')).toMatch(/"message":"failed"/);
    expect(all).toContain('/***');
    expect(all).not.toContain(TEST_TOKEN);
  });
});
