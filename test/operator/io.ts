import type { CliIo } from '../../src/cli/errors.js';

/** A captured CLI output: `out`/`err` hold everything written to stdout/stderr. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
