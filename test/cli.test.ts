import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../src/cli/program.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe('secu-alert CLI skeleton', () => {
  it('--help lists the commands and exits 0', async () => {
    const captured = io();
    expect(await runCli(['--help'], captured)).toBe(0);
    expect(captured.out.join('')).toMatch(/Usage: secu-alert[\s\S]*demo/);
  });

  it.each([[['no-such-command']], [['demo', '--no-such-option']], [['demo', 'extra-argument']]])(
    '%o is a usage error: exit 2',
    async (argv) => {
      const captured = io();
      expect(await runCli(argv, captured)).toBe(2);
      expect(captured.err.join('')).toMatch(/error|unknown|too many/i);
    },
  );

  it('demo --hook-url "" is a usage error, not a silent fallback to the embedded receiver', async () => {
    const captured = io();
    expect(await runCli(['demo', '--hook-url', ''], captured)).toBe(2);
    expect(captured.err.join('')).toMatch(/--hook-url is not a valid URL/);
  });

  it('replay --queue with something that is not a URL is a usage error (exit 2), before any AWS call', async () => {
    const captured = io();
    expect(await runCli(['replay', '--queue', 'not-a-url', '--region', 'ap-northeast-2'], captured)).toBe(2);
    expect(captured.err.join('')).toMatch(/--queue must be an SQS queue URL/);
  });

  it('simulate over a folder with no CloudTrail records fails (exit 1) instead of passing for "no alert"', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'secu-alert-empty-'));
    const captured = io();
    expect(await runCli(['simulate', empty], captured)).toBe(1);
    expect(captured.err.join('')).toMatch(/no CloudTrail records were read/);
  });

  it('demo --hook-url with a non-Dooray host is a usage error: exit 2, URL token not echoed', async () => {
    const captured = io();
    expect(await runCli(['demo', '--hook-url', 'https://evil.example/services/1/2/SECRET99'], captured)).toBe(
      2,
    );
    expect(captured.err.join('')).toMatch(/not a Dooray host/);
    expect(captured.err.join('')).not.toContain('SECRET99');
  });
});

describe('npm run demo (the built CLI running the bundled handler)', () => {
  it('shows the Korean root alert and every fixture arriving at the embedded receiver, paced', async () => {
    const { stdout } = await run(process.execPath, ['dist/cli/secu-alert.mjs', 'demo'], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(stdout).toContain('│ root 계정 경보 발생하였습니다');
    expect(stdout).toContain('│ root 계정 경보 해제되었습니다');
    expect(stdout).toContain('│ security-baseline 경보 발생하였습니다');
    expect(stdout).toMatch(
      /Summary: 6 events → 6 delivered, 0 skipped, 0 failed; the receiver took 6 valid message\(s\), rejected 0, least spacing (\d+) ms/,
    );
    const spacing = Number(/least spacing (\d+) ms/.exec(stdout)?.[1]);
    expect(spacing).toBeGreaterThanOrEqual(1_000);
    expect(stdout).not.toContain('receiverToken');
    // Then the fast path over fixtures/cloudtrail: the sign-in announced in seconds, listed later by the alarm.
    const fastPath = stdout.slice(stdout.indexOf('── Fast path'));
    expect(fastPath).toContain('│ root 계정 사용이 감지되었습니다');
    expect(fastPath).toMatch(/이미 보고됨: .* · ConsoleLogin \(signin\.amazonaws\.com\)/);
    expect(fastPath).toMatch(/ConsoleLogin {2}fast path 10 s; alarm path 5 min 48 s/);
    // Outside Lambda the bundled handler makes no AWS lookup (enrichment, account alias): no note about one.
    expect(stdout).not.toContain('CloudTrail 이벤트 조회');
  }, 60_000);
});
