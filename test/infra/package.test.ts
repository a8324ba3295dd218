import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run package', () => {
  it('zips the whole Lambda bundle (index.mjs and its chunks) with readable Unix modes', async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/package.ts'], { cwd: root });
    const archive = readFileSync(`${root}dist/secu-alert-dooray-lambda.zip`);
    const files = unzipSync(archive);
    expect(Object.keys(files)).toContain('index.mjs');
    expect(Object.keys(files).some((name) => /^chunks\/ssm-.+\.mjs$/.test(name))).toBe(true);
    expect(Buffer.from(files['index.mjs']!).equals(readFileSync(`${root}dist/lambda/index.mjs`))).toBe(true);
    // External attributes of the first central-directory entry: mode 0100644 in the high 16 bits.
    const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(archive.readUInt32LE(central + 38) >>> 16).toBe(0o100644);
  }, 60_000);
});
