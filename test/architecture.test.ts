import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { ARCHITECTURE_RULES } from './architecture-rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The rule violations dependency-cruiser finds in `dirs` of `baseDir` (TypeScript sources, real resolution). */
async function violations(baseDir: string, dirs: string[]): Promise<IViolation[]> {
  const { output } = await cruise(dirs, {
    baseDir,
    ruleSet: { forbidden: ARCHITECTURE_RULES },
    validate: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: join(root, 'tsconfig.json') },
  });
  return (output as ICruiseResult).summary.violations;
}

const describeViolation = (v: IViolation) =>
  `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('docs/architecture.md: the import rules over src/ and infra/', () => {
  it('no cycle, no import against the flow', async () => {
    const found = await violations(root, ['src', 'infra']);
    expect(found.map(describeViolation)).toEqual([]);
  }, 120_000);
});

describe('the rules fail when a file imports against the flow', () => {
  const tree = mkdtempSync(join(tmpdir(), 'architecture-'));
  afterAll(() => rmSync(tree, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  };
  write('src/defaults.ts', "export const NAME = 'root-alert';\n");
  write('src/events/index.ts', "import { NAME } from '../defaults.js';\nexport const input = NAME;\n");
  write('src/alert/alert.ts', "import { input } from '../events/index.js';\nexport const alert = input;\n");
  write(
    'src/lambda/handler.ts',
    "import { alert } from '../alert/alert.js';\nimport { store } from './store.js';\nexport const handle = () => [alert, store];\n",
  );
  write(
    'src/lambda/store.ts',
    "import { handle } from './handler.js';\nexport const store = () => handle;\n",
  );
  write('src/cloudwatch/engine.ts', "export const matches = (s: string) => s !== '';\n");

  it('a clean tree passes', async () => {
    write('src/lambda/store.ts', 'export const store = 1;\n');
    expect((await violations(tree, ['src'])).map(describeViolation)).toEqual([]);
  }, 60_000);

  it('alert importing the CloudWatch engine, events importing the handler, and a cycle are each named', async () => {
    write(
      'src/lambda/store.ts',
      "import { handle } from './handler.js';\nexport const store = () => handle;\n",
    );
    write(
      'src/alert/alert.ts',
      "import { input } from '../events/index.js';\nimport { matches } from '../cloudwatch/engine.js';\nexport const alert = matches(input);\n",
    );
    write(
      'src/events/index.ts',
      "import { NAME } from '../defaults.js';\nimport { handle } from '../lambda/handler.js';\nexport const input = NAME + String(handle);\n",
    );
    const names = new Set((await violations(tree, ['src'])).map((v) => v.rule.name));
    expect(names).toContain('alert-from-inputs-only');
    expect(names).toContain('events-below-all');
    expect(names).toContain('no-cycles');
  }, 60_000);
});

describe('comments point only to files in the repository or public pages', () => {
  it('no comment in src/, infra/, scripts/ or bench/ names a note outside the repository', () => {
    const outside = /\b(?:DESIGN\.md|shared\/(?:reference|samples|seed)\b)/;
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(?:ts|mjs|js)$/.test(entry.name)) {
          readFileSync(join(root, path), 'utf8')
            .split('\n')
            .forEach((line, i) => {
              const comment = /^\s*(?:\*|\/\/|\/\*)/.test(line) || line.includes(' // ');
              if (comment && outside.test(line)) found.push(`${path}:${i + 1}`);
            });
        }
      }
    };
    for (const dir of ['src', 'infra', 'scripts', 'bench']) walk(dir);
    expect(found).toEqual([]);
  });
});
