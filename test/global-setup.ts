import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds the bundles once per test run (the demo, CLI and CDK tests use `dist/`). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
}
