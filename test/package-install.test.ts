/**
 * The package as users get it: `npm pack`, then `npm install <tarball>` into an empty folder, then the
 * installed `secu-alert` runs `--help`, `demo`, `test-pattern` and an AWS command from there.
 *
 * `npm pack --ignore-scripts`: the global setup has built `dist/` already (`prepack` would rebuild it under the
 * other tests' feet and add the type declarations, which running the command does not use). The install takes
 * the runtime dependencies from npm's cache when it has them (`--prefer-offline`) and from the registry
 * otherwise. Measured on a shared two-core machine: pack 13 s, install 50–90 s with a warm cache or not
 * (unpacking the AWS SDK clients, 112 MB, is most of it); the four runs 20 s.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSilentEndpoint, type SilentEndpoint } from './helpers/silent-endpoint.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'secu-alert-pack-'));
const app = join(work, 'app');
let bin = '';
let endpoint: SilentEndpoint;

/** The environment of a user's shell: no switch of this test run (the SDK notice's switch included). */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.entries({ ...process.env, ...extra }).filter(
    ([name]) => name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED' && !name.startsWith('DOORAY_'),
  );
  return Object.fromEntries(env);
}

/** Runs the installed `secu-alert` with `args` in the app folder; resolves to its exit code and output. */
async function secuAlert(
  args: string[],
  env: NodeJS.ProcessEnv = userEnv(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: app, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  endpoint = await startSilentEndpoint();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "empty-folder", "private": true }\n');
  await run(
    npm,
    ['install', join(work, filename), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    {
      cwd: app,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  bin = join(app, 'node_modules', '.bin', 'secu-alert');
}, 300_000);

afterAll(async () => {
  await endpoint.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed into an empty folder', () => {
  it('secu-alert --help lists the commands', async () => {
    const { code, stdout } = await secuAlert(['--help']);
    expect(code).toBe(0);
    for (const command of ['demo', 'simulate', 'test-pattern', 'send-test', 'audit', 'fire', 'replay']) {
      expect(stdout).toContain(command);
    }
  });

  it('secu-alert demo delivers every sample alert to its embedded receiver', async () => {
    const { code, stdout, stderr } = await secuAlert(['demo']);
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    expect(stdout).toMatch(/Summary: \d+ events → \d+ delivered, \d+ skipped, 0 failed/);
    expect(code).toBe(0);
  });

  it('secu-alert test-pattern matches a root CloudTrail record and not another', async () => {
    const events = join(work, 'events.txt');
    writeFileSync(
      events,
      '{"userIdentity":{"type":"Root"},"eventType":"AwsApiCall","eventName":"ListBuckets"}\n' +
        '{"userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall","eventName":"ListBuckets"}\n',
    );
    const { code, stdout } = await secuAlert([
      'test-pattern',
      '{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }',
      events,
      '--output',
      'json',
    ]);
    expect(code).toBe(0);
    expect(
      (JSON.parse(stdout) as { matches: { eventNumber: number }[] }).matches.map((m) => m.eventNumber),
    ).toEqual([1]);
  });

  it('an AWS command ends with a clear error against a silent endpoint, without the AWS SDK notice', async () => {
    const { code, stderr } = await secuAlert(
      ['send-test', '--invoke', 'secu-alert-dooray', '--region', 'ap-northeast-2', '--aws-timeout', '0.3'],
      userEnv({
        AWS_ENDPOINT_URL: endpoint.url,
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_CONFIG_FILE: '/nonexistent/secu-alert-test-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/secu-alert-test-credentials',
      }),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/lambda:Invoke failed: TimeoutError/);
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  });
});
