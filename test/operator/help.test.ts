import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { captureIo } from './io.js';

describe('operator commands: --help', () => {
  it('the program lists send-test, audit, fire and replay', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const name of ['send-test', 'audit', 'fire', 'replay'])
      expect(io.out()).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it.each([['send-test'], ['audit'], ['fire'], ['replay']])(
    '%s --help has the common AWS options, examples and exit statuses',
    async (name) => {
      const io = captureIo();
      expect(await runCli([name, '--help'], io)).toBe(0);
      const help = io.out();
      for (const text of [
        '--profile <name>',
        '--region <region>',
        '--output <format>',
        'Examples:',
        `secu-alert ${name}`,
        'Exit status: 0',
      ]) {
        expect(help).toContain(text);
      }
    },
  );

  it('--output other than table|json is a usage error', async () => {
    const io = captureIo();
    expect(await runCli(['audit', '--output', 'yaml'], io)).toBe(2);
    expect(io.err()).toMatch(/Allowed choices are table, json/);
  });
});
