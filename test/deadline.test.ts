/**
 * Issue 9 item 4: deadlines hold everywhere. Every AWS endpoint the Lambda calls is a real listener on
 * 127.0.0.1 that accepts connections and never answers; the handler must end with its own error (or a delivery)
 * at least 1 s before a short simulated Lambda deadline, and its SDK clients must abort their own requests.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HANDLER_DEADLINE_MARGIN_MS } from '../src/defaults.js';
import { createAccountAliasLookup } from '../src/lambda/account-alias.js';
import { loadConfig } from '../src/lambda/config.js';
import { DynamoDedupe, DynamoSessionStore } from '../src/lambda/dynamo-dedupe.js';
import { createLogsEnricher, type Enricher } from '../src/lambda/enrich.js';
import {
  AlertDeliveryError,
  createHandler,
  HandlerDeadlineError,
  MemoryDedupe,
  type DecisionLogger,
} from '../src/lambda/handler.js';
import { readFixture } from './helpers/samples.js';
import { startWebhookServer, TEST_TOKEN } from './helpers/webhook-server.js';

/** One TCP connection the silent endpoint took: when it opened and when the client closed it (epoch ms). */
interface Connection {
  openedAt: number;
  closedAt?: number;
}

/** A listener on 127.0.0.1 that accepts every connection, reads what it is sent, and never answers. */
async function startSilentEndpoint() {
  const connections: Connection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const c: Connection = { openedAt: Date.now() };
    connections.push(c);
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      c.closedAt = Date.now();
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A silent endpoint for every service whose SDK reads `AWS_ENDPOINT_URL_<service id>`. */
async function silence(...variables: string[]) {
  const endpoint = await startSilentEndpoint();
  closers.push(endpoint.close);
  for (const v of variables) vi.stubEnv(v, endpoint.url);
  return endpoint;
}

async function webhook() {
  const s = await startWebhookServer();
  closers.push(s.close);
  return s;
}

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'ap-northeast-2');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_ENDPOINT_URL', '');
});

const quiet: DecisionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** A Lambda context whose remaining time counts down from `ms` in real time. */
function lambdaContext(ms: number) {
  const start = Date.now();
  return {
    getRemainingTimeInMillis: () => ms - (Date.now() - start),
    awsRequestId: 'req-deadline',
    invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:111122223333:function:secu-alert-dooray',
  };
}

/** Runs `work`, returning what it threw (or undefined) and how long it took, in ms. */
async function timed(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number; value: unknown }> {
  const start = Date.now();
  try {
    const value = await work();
    return { error: undefined, ms: Date.now() - start, value };
  } catch (error) {
    return { error, ms: Date.now() - start, value: undefined };
  }
}

const ALARM = () => readFixture<{ Records: unknown[] }>('sns/root-alert-alarm.json');
const LAMBDA_MS = 6_000;
const MUST_END_BY = LAMBDA_MS - HANDLER_DEADLINE_MARGIN_MS;

describe('the webhook URL source never answers', () => {
  for (const source of [
    {
      name: 'SSM',
      variable: 'AWS_ENDPOINT_URL_SSM',
      env: { DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url' },
      named: 'SSM parameter /secu-alert-dooray/hook-url',
    },
    {
      name: 'Secrets Manager',
      variable: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
      env: {
        DOORAY_HOOK_URL_SECRET_ARN:
          'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:secu-alert-dooray-hook-AbCdEf',
      },
      named: 'secret arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:secu-alert-dooray-hook-AbCdEf',
    },
  ]) {
    it(`${source.name}: the handler throws its own error naming the source before the deadline; the SDK aborts its request`, async () => {
      const endpoint = await silence(source.variable);
      const handle = createHandler({
        config: loadConfig({ ...source.env, DOORAY_MIN_INTERVAL_MS: '0' }),
        logger: quiet,
        dedupe: new MemoryDedupe(),
      });
      const { error, ms } = await timed(() => handle(ALARM(), lambdaContext(LAMBDA_MS)));
      expect(error).toBeInstanceOf(AlertDeliveryError);
      expect(error).not.toBeInstanceOf(HandlerDeadlineError);
      const message = (error as Error).message;
      expect(message).toContain('root-alert (ALARM)');
      expect(message).toContain(source.named);
      expect(message).toMatch(/did not answer within \d+ ms|TimeoutError/);
      expect(ms).toBeLessThan(MUST_END_BY);
      expect(endpoint.connections.length).toBeGreaterThan(0);
      // The SDK client's own request timeout (2 s, throwing) closes the connection: it does not hang for ever.
      await vi.waitFor(() => expect(endpoint.connections[0]?.closedAt).toBeDefined(), {
        timeout: 4_000,
        interval: 50,
      });
      const first = endpoint.connections[0] as Required<Connection>;
      expect(first.closedAt - first.openedAt).toBeGreaterThanOrEqual(1_900);
      expect(first.closedAt - first.openedAt).toBeLessThan(3_500);
    }, 15_000);
  }
});

describe('DynamoDB, IAM and CloudWatch Logs never answer', () => {
  function productionLikeHandler(env: Record<string, string>) {
    return createHandler({
      config: loadConfig({ DOORAY_MIN_INTERVAL_MS: '0', ...env }),
      logger: quiet,
      dedupe: new DynamoDedupe({ tableName: 'secu-alert-dooray-dedupe' }),
      sessions: new DynamoSessionStore({ tableName: 'secu-alert-dooray-dedupe' }),
      enricher: createLogsEnricher(),
      accountAlias: createAccountAliasLookup(),
    });
  }
  const STORES = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS'];

  it('the alert is still delivered, once, and the handler returns before the deadline', async () => {
    const endpoint = await silence(...STORES);
    const room = await webhook();
    const handle = productionLikeHandler({ DOORAY_HOOK_URL: room.url });
    const lambdaMs = 8_000;
    const { error, ms, value } = await timed(() => handle(ALARM(), lambdaContext(lambdaMs)));
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ delivered: 1 });
    expect(room.requests).toHaveLength(1);
    expect(ms).toBeLessThan(lambdaMs - HANDLER_DEADLINE_MARGIN_MS);
    expect(endpoint.connections.length).toBeGreaterThan(0);
  }, 20_000);

  it('with SSM silent too: the handler throws its own error before the deadline, naming the alarm', async () => {
    await silence(...STORES, 'AWS_ENDPOINT_URL_SSM');
    const handle = productionLikeHandler({ DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url' });
    const { error, ms } = await timed(() => handle(ALARM(), lambdaContext(LAMBDA_MS)));
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect((error as Error).message).toContain('root-alert (ALARM)');
    expect((error as Error).message).toContain('SSM parameter /secu-alert-dooray/hook-url');
    expect(ms).toBeLessThan(MUST_END_BY);
  }, 20_000);
});

describe("the invocation's guard", () => {
  it('a step that overruns its contract: HandlerDeadlineError names the input 1 s before the timeout; no late post', async () => {
    const room = await webhook();
    // An enricher that ignores its deadline (its contract says it finishes by it) and answers after 2.5 s.
    const late: Enricher = {
      lookup: () =>
        new Promise((resolve) => setTimeout(() => resolve({ kind: 'gap', gap: 'no-events' }), 2_500)),
    };
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: room.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: quiet,
      dedupe: new MemoryDedupe(),
      enricher: late,
    });
    const lambdaMs = 2_500;
    const event = { Records: [...ALARM().Records, ...ALARM().Records] };
    const { error, ms } = await timed(() => handle(event, lambdaContext(lambdaMs)));
    expect(error).toBeInstanceOf(HandlerDeadlineError);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect((error as Error).message).toMatch(
      /stopped 1000 ms before the Lambda timeout .*not finished: #0 root-alert \(ALARM\), #1 root-alert \(ALARM\)/,
    );
    expect((error as HandlerDeadlineError).decisions.map((d) => d.outcome)).toEqual(['failed', 'failed']);
    expect(ms).toBeGreaterThanOrEqual(lambdaMs - HANDLER_DEADLINE_MARGIN_MS - 100);
    expect(ms).toBeLessThan(lambdaMs);
    // The enricher answers later; the abandoned input must not post after the handler threw.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(room.requests).toHaveLength(0);
    expect((error as Error).message).not.toContain(TEST_TOKEN);
  }, 10_000);
});
