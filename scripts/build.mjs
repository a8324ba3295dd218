// Builds the two bundles with esbuild:
//  - dist/lambda/index.mjs (+ dist/lambda/chunks/): the Lambda handler (export `handler`), target node22, AWS
//    SDK v3 left external (the Lambda Node.js runtime provides it);
//  - dist/index.mjs: the package entry (the library API), target node20, dependencies left external
//    (type declarations come from `tsc -p tsconfig.build.json` at `npm pack`);
//  - dist/cli/secu-alert.mjs: the `secu-alert` command, target node20, everything bundled.
// Source maps: the package entry and the CLI get linked maps; the Lambda bundle gets none unless asked for with
// `SOURCEMAP=1 npm run build`, because everything in dist/lambda is deployed (the CDK asset
// `Code.fromAsset('dist/lambda')` and the zip of `npm run package` both take the whole folder), and the
// runtime does not read maps unless NODE_OPTIONS has --enable-source-maps.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// ESM bundles that contain CommonJS dependencies need `require` for node built-ins.
const requireShim =
  "import { createRequire as __secuCreateRequire } from 'node:module'; const require = __secuCreateRequire(import.meta.url);";

await rm(`${root}dist`, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};
await Promise.all([
  build({
    ...common,
    // Code splitting keeps what only some configurations need (SSM / Secrets Manager readers and the AWS SDK
    // clients they load) out of the cold start of the others.
    entryPoints: { index: 'src/lambda/index.ts' },
    sourcemap: process.env.SOURCEMAP === '1' ? 'linked' : false,
    outdir: 'dist/lambda',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node22',
    minify: true,
    external: ['@aws-sdk/*'],
    banner: { js: requireShim },
  }),
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.mjs',
    target: 'node20',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['src/cli/index.ts'],
    outfile: 'dist/cli/secu-alert.mjs',
    target: 'node20',
    banner: { js: `#!/usr/bin/env node\n${requireShim}` },
  }),
]);
