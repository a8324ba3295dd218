import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveTarget } from '../../src/cli/aws.js';
import { CliError } from '../../src/cli/errors.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolveTarget: the Region as the AWS CLI resolves it', () => {
  const noEnv = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined };

  it('--region wins, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' };
    expect(await resolveTarget({ region: 'ap-northeast-2' }, env)).toEqual({ region: 'ap-northeast-2' });
    expect(await resolveTarget({}, env)).toEqual({ region: 'us-east-1' });
    expect(await resolveTarget({ profile: 'ops' }, { AWS_DEFAULT_REGION: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      profile: 'ops',
    });
  });

  it('then the region of the profile in the shared config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secu-alert-aws-'));
    const file = join(dir, 'config');
    writeFileSync(file, '[default]\nregion = us-west-2\n\n[profile ops]\nregion = ap-northeast-2\n');
    vi.stubEnv('AWS_CONFIG_FILE', file);
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    expect(await resolveTarget({ profile: 'ops' }, noEnv)).toEqual({
      region: 'ap-northeast-2',
      profile: 'ops',
    });
    expect(await resolveTarget({}, noEnv)).toEqual({ region: 'us-west-2' });
  });

  it('a name that is not a Region is a usage error', async () => {
    await expect(resolveTarget({ region: 'seoul' }, noEnv)).rejects.toThrow(CliError);
    await expect(resolveTarget({ region: 'seoul' }, noEnv)).rejects.toMatchObject({ exitCode: 2 });
  });
});
