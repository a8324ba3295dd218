/**
 * Location of the shared samples (`<repo>/../shared/samples`), which are never copied into the repository.
 * Tests that read them use {@link describeWithSamples}: it skips with a one-line notice when the folder is absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** Absolute path of the shared samples folder (it may not exist). */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../shared/samples/', import.meta.url));

/** `describe` when the shared samples exist, else `describe.skip` with a one-line console notice. */
export function describeWithSamples(name: string, body: () => void): void {
  if (existsSync(SAMPLES_DIR)) {
    describe(name, body);
  } else {
    console.warn(`[skip] ${name}: shared samples not found at ${SAMPLES_DIR}`);
    describe.skip(name, body);
  }
}
