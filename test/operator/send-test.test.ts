import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { startWebhookServer, TEST_TOKEN } from '../helpers/webhook-server.js';
import { captureIo } from './io.js';

const ssm = mockClient(SSMClient);
const lambda = mockClient(LambdaClient);
const secrets = mockClient(SecretsManagerClient);

beforeEach(() => {
  ssm.reset();
  secrets.reset();
  lambda.reset();
  for (const name of ['DOORAY_HOOK_URL', 'DOORAY_HOOK_URL_PARAMETER', 'DOORAY_HOOK_URL_SECRET_ARN']) {
    vi.stubEnv(name, '');
  }
  vi.stubEnv('DOORAY_MIN_INTERVAL_MS', '0');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('send-test (local post through the handler code)', () => {
  it('posts the [테스트] guide alert to --hook-url and prints status, attempts and duration', async () => {
    const server = await startWebhookServer();
    try {
      const io = captureIo();
      expect(await runCli(['send-test', '--hook-url', server.url], io)).toBe(0);
      expect(server.requests).toHaveLength(1);
      expect((server.requests[0]!.body as { text: string }).text).toBe(
        '[테스트] root 계정 경보 발생하였습니다',
      );
      expect(io.out()).toMatch(/Result: delivered \(HTTP 200, 1 attempt, \d+ ms\)/);
      expect(io.out()).toMatch(/^1 +200 /m);
      expect(io.out() + io.err()).not.toContain(TEST_TOKEN);
    } finally {
      await server.close();
    }
  });

  it('reads the URL from the Lambda’s variables when no flag is given', async () => {
    const server = await startWebhookServer();
    try {
      vi.stubEnv('DOORAY_HOOK_URL', server.url);
      const io = captureIo();
      expect(await runCli(['send-test', '--output', 'json'], io)).toBe(0);
      const result = JSON.parse(io.out()) as Record<string, unknown>;
      expect(result).toMatchObject({
        mode: 'local',
        source: 'DOORAY_HOOK_URL',
        outcome: 'delivered',
        status: 200,
      });
      expect(io.out()).not.toContain(TEST_TOKEN);
    } finally {
      await server.close();
    }
  });

  it('reads the URL from --parameter (SSM GetParameter with decryption, in --region)', async () => {
    const server = await startWebhookServer();
    try {
      ssm.on(GetParameterCommand, { Name: '/secu-alert-dooray/hook-url', WithDecryption: true }).resolves({
        Parameter: {
          Name: '/secu-alert-dooray/hook-url',
          Type: 'SecureString',
          Value: server.url,
          Version: 3,
          ARN: 'arn:aws:ssm:ap-northeast-2:111122223333:parameter/secu-alert-dooray/hook-url',
          DataType: 'text',
        },
      });
      const io = captureIo();
      const code = await runCli(
        ['send-test', '--parameter', '/secu-alert-dooray/hook-url', '--region', 'ap-northeast-2'],
        io,
      );
      expect(code).toBe(0);
      expect(io.out()).toContain('URL source: --parameter (SSM parameter /secu-alert-dooray/hook-url)');
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('reads the URL from --secret (Secrets Manager GetSecretValue, JSON {"url": …})', async () => {
    const server = await startWebhookServer();
    const arn = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:secu-alert-dooray/hook-url-AbCdEf';
    try {
      secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({
        ARN: arn,
        Name: 'secu-alert-dooray/hook-url',
        VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1',
        SecretString: JSON.stringify({ url: server.url }),
        VersionStages: ['AWSCURRENT'],
        CreatedDate: new Date('2026-01-05T02:00:00Z'),
      });
      const io = captureIo();
      expect(await runCli(['send-test', '--secret', arn, '--region', 'ap-northeast-2'], io)).toBe(0);
      expect(server.requests).toHaveLength(1);
      expect(io.out()).not.toContain(TEST_TOKEN);
    } finally {
      await server.close();
    }
  });

  it('exits 1 with a one-line error when the SSM parameter cannot be read', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('Parameter not found'), { name: 'ParameterNotFound' }));
    const io = captureIo();
    expect(await runCli(['send-test', '--parameter', '/missing', '--region', 'ap-northeast-2'], io)).toBe(1);
    expect(io.err()).toMatch(/^secu-alert: could not read the webhook URL from SSM parameter \/missing/m);
  });

  it('exits 1 with each failed attempt shown when the hook rejects the post (permanent 400)', async () => {
    const server = await startWebhookServer(() => ({ status: 400, body: 'bad' }));
    try {
      const io = captureIo();
      expect(await runCli(['send-test', '--hook-url', server.url], io)).toBe(1);
      expect(io.out()).toMatch(/Result: FAILED: .*400/);
      expect(io.out()).toMatch(/^1 +400 /m);
      expect(io.out() + io.err()).not.toContain(TEST_TOKEN);
    } finally {
      await server.close();
    }
  });

  it('exits 2 for two URL flags, for a non-Dooray URL, and when nothing is configured', async () => {
    const io = captureIo();
    expect(
      await runCli(
        ['send-test', '--hook-url', 'https://hook.dooray.com/services/1/2/x', '--parameter', '/p'],
        io,
      ),
    ).toBe(2);
    expect(await runCli(['send-test', '--hook-url', 'https://evil.example/services/1/2/SECRET99'], io)).toBe(
      2,
    );
    expect(await runCli(['send-test'], io)).toBe(2);
    expect(io.err()).toMatch(/at most one[\s\S]*not a Dooray host[\s\S]*set exactly one of DOORAY_HOOK_URL/);
    expect(io.err()).not.toContain('SECRET99');
  });

  it('exits 2 without quoting it when a URL stands where a parameter name or secret ARN belongs', async () => {
    const io = captureIo();
    for (const url of [
      'https://hook.dooray.com/services/1/2/PaStEd88',
      'hook.dooray.com/services/1/2/PaStEd88',
    ]) {
      expect(await runCli(['send-test', '--parameter', url, '--region', 'ap-northeast-2'], io)).toBe(2);
      expect(await runCli(['send-test', '--secret', url, '--region', 'ap-northeast-2'], io)).toBe(2);
      vi.stubEnv('DOORAY_HOOK_URL_PARAMETER', url);
      expect(await runCli(['send-test', '--region', 'ap-northeast-2'], io)).toBe(2);
      vi.stubEnv('DOORAY_HOOK_URL_PARAMETER', '');
    }
    expect(io.err()).toMatch(
      /--parameter holds no SSM parameter name \(value not shown[\s\S]*--secret holds no Secrets Manager secret ARN[\s\S]*DOORAY_HOOK_URL_PARAMETER holds no SSM parameter name/,
    );
    expect(io.out() + io.err()).not.toContain('PaStEd88');
    expect(ssm.calls()).toHaveLength(0);
  });
});

describe('send-test --invoke (the deployed Lambda)', () => {
  const logTail =
    'START RequestId: 7f1c Version: $LATEST\n' +
    '{"level":"INFO","message":"delivered","alarmName":"root-alert","status":200}\n' +
    'END RequestId: 7f1c\nREPORT RequestId: 7f1c Duration: 812.3 ms\n';

  it('invokes with the test event and shows the result and the log tail', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      LogResult: Buffer.from(logTail).toString('base64'),
      Payload: new TextEncoder().encode(JSON.stringify({ delivered: 1, skipped: 0, decisions: [] })) as never,
    });
    const io = captureIo();
    expect(
      await runCli(['send-test', '--invoke', 'secu-alert-dooray', '--region', 'ap-northeast-2'], io),
    ).toBe(0);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FunctionName: 'secu-alert-dooray',
      LogType: 'Tail',
      InvocationType: 'RequestResponse',
    });
    const sent = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as {
      Records: { Sns: { Message: string } }[];
    };
    expect(JSON.parse(sent.Records[0]!.Sns.Message)).toMatchObject({
      NewStateReason: '[테스트] manual test',
    });
    expect(io.out()).toContain('Invoke:     HTTP 200');
    expect(io.out()).toContain('"message":"delivered"');
    expect(io.out()).toContain('OK: the function delivered the test alert');
  });

  it('exits 1 when the function fails (FunctionError Unhandled)', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      ExecutedVersion: '$LATEST',
      LogResult: Buffer.from('ERROR AlertDeliveryError\n').toString('base64'),
      Payload: new TextEncoder().encode(
        JSON.stringify({ errorType: 'AlertDeliveryError', errorMessage: 'Dooray delivery failed' }),
      ) as never,
    });
    const io = captureIo();
    expect(
      await runCli(['send-test', '--invoke', 'secu-alert-dooray', '--region', 'ap-northeast-2'], io),
    ).toBe(1);
    expect(io.out()).toContain('FunctionError Unhandled');
    expect(io.out()).toContain('FAILED: the function did not deliver the test alert');
  });

  it('--invoke with a URL flag is a usage error (exit 2)', async () => {
    const io = captureIo();
    const argv = [
      'send-test',
      '--invoke',
      'secu-alert-dooray',
      '--hook-url',
      'https://hook.dooray.com/services/1/2/x',
    ];
    expect(await runCli(argv, io)).toBe(2);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('exits 1 with a one-line error when Invoke is denied', async () => {
    lambda.on(InvokeCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: lambda:InvokeFunction'), {
        name: 'AccessDeniedException',
      }),
    );
    const io = captureIo();
    expect(
      await runCli(['send-test', '--invoke', 'secu-alert-dooray', '--region', 'ap-northeast-2'], io),
    ).toBe(1);
    expect(io.err()).toMatch(
      /^secu-alert: lambda:Invoke failed: AccessDeniedException: User is not authorized/m,
    );
  });
});
