/**
 * Every CLI command that calls AWS ends with a clear error, exit 1, when the endpoint accepts the connection and
 * never answers: a real silent listener on 127.0.0.1 stands for SSM, CloudWatch, Lambda, CloudTrail, CloudWatch
 * Logs, SNS, IAM and STS (the SDK's `AWS_ENDPOINT_URL`), and `--aws-timeout 0.5` keeps each test to seconds.
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { startSilentEndpoint, type SilentEndpoint } from '../helpers/silent-endpoint.js';
import { cli } from '../helpers/cli.js';

let endpoint: SilentEndpoint;

beforeAll(async () => {
  endpoint = await startSilentEndpoint();
});
afterAll(() => endpoint.close());

beforeEach(() => {
  vi.stubEnv('AWS_ENDPOINT_URL', endpoint.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/secu-alert-test-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/secu-alert-test-credentials');
  vi.stubEnv('DOORAY_HOOK_URL', undefined);
  vi.stubEnv('DOORAY_HOOK_URL_PARAMETER', undefined);
  vi.stubEnv('DOORAY_HOOK_URL_SECRET_ARN', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const TIMEOUT = ['--region', 'ap-northeast-2', '--aws-timeout', '0.5'];

/** Runs `secu-alert …argv` and returns its result and how long it took (ms). */
async function timed(...argv: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  const started = Date.now();
  const result = await cli(...argv);
  return { ...result, ms: Date.now() - started };
}

describe('a silent AWS endpoint ends each command with a clear error', () => {
  it('send-test --parameter: the SSM read times out, exit 1', async () => {
    const before = endpoint.connections();
    const { code, err, ms } = await timed(
      'send-test',
      '--parameter',
      '/secu-alert-dooray/hook-url',
      ...TIMEOUT,
    );
    expect(endpoint.connections()).toBeGreaterThan(before);
    expect(code).toBe(1);
    expect(err).toMatch(/timed? ?out|TimeoutError|requestTimeout/i);
    expect(ms).toBeLessThan(20_000);
  }, 30_000);

  it('send-test --invoke: the Lambda Invoke times out, exit 1', async () => {
    const { code, err, ms } = await timed('send-test', '--invoke', 'secu-alert-dooray', ...TIMEOUT);
    expect(code).toBe(1);
    expect(err).toMatch(/lambda:Invoke failed: TimeoutError/);
    expect(ms).toBeLessThan(20_000);
  }, 30_000);

  it('fire: DescribeAlarms times out, exit 1', async () => {
    const { code, err, ms } = await timed('fire', ...TIMEOUT);
    expect(code).toBe(1);
    expect(err).toMatch(/cloudwatch:DescribeAlarms failed: TimeoutError/);
    expect(ms).toBeLessThan(20_000);
  }, 30_000);

  it('audit: every read times out and becomes a FAIL naming the operation, exit 1', async () => {
    const { code, out, ms } = await timed('audit', ...TIMEOUT);
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL\s+trail\s+cloudtrail:DescribeTrails failed: TimeoutError/);
    expect(out).toMatch(/FAIL\s+alarm\s+cloudwatch:DescribeAlarms failed: TimeoutError/);
    expect(out).toMatch(/FAIL\s+lambda\s+lambda:GetFunctionConfiguration failed: TimeoutError/);
    expect(out).toMatch(/FAIL\s+root-mfa\s+iam:GetAccountSummary failed: TimeoutError/);
    expect(ms).toBeLessThan(40_000);
  }, 60_000);
});
