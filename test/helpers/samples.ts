import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * `../shared/samples` beside the repository (CI always has it); its files are read in place, never copied into
 * the repository. Tests over them use {@link describeWithSamples}.
 */
export const SAMPLES_DIR = fileURLToPath(new URL('../../../shared/samples/', import.meta.url));

const available = existsSync(SAMPLES_DIR);

/**
 * `describe` when the shared samples exist; otherwise a skipped suite and a one-line notice. The body is not
 * run then, so it may read the samples at collection time.
 */
export function describeWithSamples(name: string, body: () => void): void {
  if (available) {
    describe(name, body);
  } else {
    console.warn(`[skip] ${name}: shared samples not found at ${SAMPLES_DIR}`);
    describe.skip(name, () => undefined);
  }
}

/** Reads and parses a JSON file below the samples folder. */
export function readSample<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(`${SAMPLES_DIR}${relative}`, 'utf8')) as T;
}

/** Reads and parses a JSON file below the project's own `fixtures/`. */
export function readFixture<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${relative}`, import.meta.url), 'utf8')) as T;
}
