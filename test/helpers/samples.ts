import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `../shared/samples` beside the repository (CI always has it). Undefined when absent: tests that read it
 * skip with a one-line notice.
 */
export const samplesDir: string | undefined = (() => {
  const dir = fileURLToPath(new URL('../../../shared/samples/', import.meta.url));
  if (existsSync(dir)) return dir;
  console.warn(`notice: ${dir} not found; tests over the shared samples are skipped`);
  return undefined;
})();

/** Reads and parses a JSON file below the samples folder. */
export function readSample<T = unknown>(relative: string): T {
  if (!samplesDir) throw new Error('shared samples are not available');
  return JSON.parse(readFileSync(`${samplesDir}${relative}`, 'utf8')) as T;
}

/** Reads and parses a JSON file below the project's own `fixtures/`. */
export function readFixture<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${relative}`, import.meta.url), 'utf8')) as T;
}
