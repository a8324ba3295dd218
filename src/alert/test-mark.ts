import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '../defaults.js';

/**
 * Test marks that the stack can trust. Anyone allowed `cloudwatch:SetAlarmState` writes an alarm's state
 * reason, so a reason starting with `[테스트]` proves nothing. An alarm alert is a trusted test only when it
 * comes from the stack's own self-test alarm (`SELF_TEST_ALARM_NAME`), or when its state reason carries a
 * signature made with the stack's test-mark key (`TEST_MARK_KEY_SECRET_ARN` or `TEST_MARK_KEY`):
 * ` #tm1.<issuedAt, epoch s>.<HMAC-SHA256, first 16 bytes, hex>` over the alarm name and the time, valid
 * within ±15 minutes of the state change.
 */

/** Largest distance between a signature's `issuedAt` and the alarm's StateChangeTime, in ms (15 minutes). */
export const TEST_MARK_MAX_SKEW_MS = 15 * 60_000;
/** Longest wait for the test-mark key from Secrets Manager, in ms; then no mark is trusted for this alert. */
export const TEST_MARK_KEY_TIMEOUT_MS = 2_000;
/** How long a key read from Secrets Manager is kept, in ms (as the webhook URL: 300 s). */
export const TEST_MARK_KEY_CACHE_MS = 300_000;

const TOKEN = /#tm1\.(\d{1,12})\.([0-9a-f]{32})(?![0-9a-f])/g;

/** What a signature covers: the alarm it is for, and when it was made. */
export interface TestMarkClaim {
  alarmName: string;
  issuedAt: Date;
}

function mac(key: string, alarmName: string, issuedAtSeconds: number): Buffer {
  return createHmac('sha256', key)
    .update(`secu-alert-dooray test mark v1\n${alarmName}\n${issuedAtSeconds}`)
    .digest()
    .subarray(0, 16);
}

/**
 * The token to append to a test's state reason: `#tm1.<issuedAt epoch s>.<32 hex>` (HMAC-SHA256 with `key`
 * over the alarm name and `issuedAt`, cut to 16 bytes). Throws on an empty key.
 */
export function signTestMark(key: string, claim: TestMarkClaim): string {
  if (key === '') throw new Error('the test-mark key is empty');
  const seconds = Math.floor(claim.issuedAt.getTime() / 1000);
  return `#tm1.${seconds}.${mac(key, claim.alarmName, seconds).toString('hex')}`;
}

/**
 * True when `reason` carries a token made by {@link signTestMark} with `key` for `alarmName`, issued within
 * ±{@link TEST_MARK_MAX_SKEW_MS} of `stateChangeTime`. Compares in constant time; false without a state
 * change time or a key.
 */
export function verifyTestMark(
  key: string | undefined,
  alert: { alarmName: string; reason?: string | undefined; stateChangeTime?: Date | undefined },
): boolean {
  if (!key || !alert.reason || !alert.stateChangeTime) return false;
  const changed = alert.stateChangeTime.getTime();
  for (const [, secondsText, hex] of alert.reason.matchAll(TOKEN)) {
    const seconds = Number(secondsText);
    if (Math.abs(seconds * 1000 - changed) > TEST_MARK_MAX_SKEW_MS) continue;
    if (timingSafeEqual(Buffer.from(hex ?? '', 'hex'), mac(key, alert.alarmName, seconds))) return true;
  }
  return false;
}

/** What `toAlert` needs to trust a test mark: the self-test alarm's name and the key, when known. */
export interface TestMarkTrust {
  selfTestAlarmName?: string;
  key?: string;
}

/** Where the test-mark key comes from: a Secrets Manager secret, or plain text (local runs, demo, tests). */
export type TestMarkKeySource = { kind: 'secret'; arn: string } | { kind: 'plain'; key: string };

/** Gives the test-mark key, or undefined when there is none or it cannot be read (then no mark is trusted). */
export type TestMarkKeyLookup = () => Promise<string | undefined>;

/** Options of {@link createTestMarkKeyLookup}. */
export interface TestMarkKeyOptions {
  /** Default: an SDK Secrets Manager client with 1 s connect and 2 s request timeouts. */
  client?: SecretsManagerClient;
  timeoutMs?: number;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
  /** Told when the key cannot be read (the alert goes on, its test mark untrusted). */
  onError?: (message: string) => void;
}

/**
 * Reads the test-mark key: a plain key at once; a secret (`GetSecretValue`, its SecretString, trimmed) with a
 * timeout that aborts the request, cached for 300 s. Never throws: a secret that cannot be read in time gives
 * undefined (not cached, so the next alert tries again) and `onError` names the secret and the error class.
 */
export function createTestMarkKeyLookup(
  source: TestMarkKeySource | undefined,
  options: TestMarkKeyOptions = {},
): TestMarkKeyLookup {
  if (!source) return async () => undefined;
  if (source.kind === 'plain') return async () => source.key;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? TEST_MARK_KEY_TIMEOUT_MS;
  let client = options.client;
  let cached: { key: string; until: number } | undefined;
  return async () => {
    if (cached && clock() < cached.until) return cached.key;
    try {
      const sm = await import('@aws-sdk/client-secrets-manager');
      client ??= new sm.SecretsManagerClient({
        requestHandler: { connectionTimeout: 1_000, requestTimeout: timeoutMs },
      });
      const out = await client.send(new sm.GetSecretValueCommand({ SecretId: source.arn }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      const key = out.SecretString?.trim();
      if (!key) throw new Error('the secret has no string value');
      cached = { key, until: clock() + TEST_MARK_KEY_CACHE_MS };
      return key;
    } catch (error) {
      const e = error as { name?: string };
      options.onError?.(
        `could not read the test-mark key from secret ${source.arn} (${ENV.testMarkKeySecretArn}): ${e.name ?? 'error'}; no test mark is trusted`,
      );
      return undefined;
    }
  };
}

/**
 * The key an operator command (`secu-alert fire`) signs with: the secret `secretArn` when given, else what the
 * deployed function is configured with (`functionEnv()`: its `TEST_MARK_KEY_SECRET_ARN` or `TEST_MARK_KEY`).
 * Undefined when there is none or it cannot be read (the test then shows in the room as an unverified claim).
 */
export async function operatorTestMarkKey(
  secretArn: string | undefined,
  functionEnv: () => Promise<Readonly<Record<string, string | undefined>> | undefined>,
  client: SecretsManagerClient,
): Promise<string | undefined> {
  const env = secretArn ? {} : ((await functionEnv().catch(() => undefined)) ?? {});
  const arn = secretArn ?? env[ENV.testMarkKeySecretArn];
  const plain = env[ENV.testMarkKey];
  const source: TestMarkKeySource | undefined = arn
    ? { kind: 'secret', arn }
    : plain
      ? { kind: 'plain', key: plain }
      : undefined;
  return createTestMarkKeyLookup(source, { client })();
}
