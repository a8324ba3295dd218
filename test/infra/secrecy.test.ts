import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleTemplateStack } from '../../infra/console-template.js';
import { settingsFromContext } from '../../infra/context.js';
import { defineApp } from '../../infra/define-app.js';

/** A URL that must never reach a synthesized template or any other file of the cloud assembly. */
const SENTINEL = 'https://hook.dooray.com/services/1111111111/2222222222/SENTINEL-token-do-not-leak';

const MODES: Record<string, Record<string, string>> = {
  'SSM parameter': {},
  'Secrets Manager secret': {
    hookUrlSecretArn: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:dooray-AbCdEf',
  },
  'plain DOORAY_HOOK_URL': { plainHookUrl: 'true' },
};

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [p, text] of filesUnder(path)) files.set(p, text);
    else files.set(path, readFileSync(path, 'utf8'));
  }
  return files;
}

describe('the app, synthesized as `cdk synth` does it, in every URL mode', () => {
  const outdirs: string[] = [];
  const assemblies = new Map<string, Map<string, string>>();
  const saved = process.env.DOORAY_HOOK_URL;

  beforeAll(() => {
    // A user who followed the guide may have the URL in the environment; synth must not pick it up.
    process.env.DOORAY_HOOK_URL = SENTINEL;
    try {
      for (const [mode, context] of [...Object.entries(MODES), ['console template', {}] as const]) {
        const outdir = mkdtempSync(join(tmpdir(), 'secu-alert-synth-'));
        outdirs.push(outdir);
        const app = new App({ outdir, context: { opsEmail: 'secops@example.com', ...context } });
        if (mode === 'console template') consoleTemplateStack(app);
        else defineApp(app);
        app.synth();
        assemblies.set(mode, filesUnder(outdir));
      }
    } finally {
      if (saved === undefined) delete process.env.DOORAY_HOOK_URL;
      else process.env.DOORAY_HOOK_URL = saved;
    }
  });

  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([...Object.keys(MODES), 'console template'])(
    '%s: no file of the cloud assembly holds it',
    (mode) => {
      const files = assemblies.get(mode);
      expect(files?.size).toBeGreaterThan(0);
      const templates = [...(files?.keys() ?? [])].filter((path) => path.endsWith('.template.json'));
      expect(templates).toHaveLength(1);
      for (const [path, text] of files ?? []) {
        expect(text.includes(SENTINEL), path).toBe(false);
        expect(text.includes('SENTINEL-token'), path).toBe(false);
      }
    },
  );

  it.each([...Object.keys(MODES), 'console template'])(
    '%s: cdk-nag and CloudFormation validation report no unacknowledged finding',
    (mode) => {
      const report = [...(assemblies.get(mode) ?? [])].find(([path]) =>
        path.endsWith('validation-report.json'),
      );
      const plugins = JSON.parse(report?.[1] ?? '{}') as { pluginReports?: { violations: unknown[] }[] };
      expect(plugins.pluginReports).toBeDefined();
      for (const plugin of plugins.pluginReports ?? []) expect(plugin.violations).toEqual([]);
    },
  );

  it('refuses the URL as a context value, which the cloud assembly would record', () => {
    for (const key of ['hookUrl', 'DOORAY_HOOK_URL']) {
      const app = new App({ context: { [key]: SENTINEL } });
      expect(() => settingsFromContext((k) => app.node.tryGetContext(k))).toThrow(/must not be recorded/);
    }
  });
});
