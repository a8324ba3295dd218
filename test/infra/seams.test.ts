import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('infra/ seams (DESIGN.md)', () => {
  it('imports nothing from src/ but src/defaults.ts', () => {
    const files = sources(join(root, 'infra'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((match) =>
        relative(root, resolve(file, '..', match[1] ?? '')),
      );
      for (const target of imports.filter((path) => path.startsWith('src'))) {
        expect(target, relative(root, file)).toBe(join('src', 'defaults.js'));
      }
    }
  });
});
