// `npm run package`: zips the handler bundle (dist/lambda with its chunks/, built by `npm run build`) into
// dist/secu-alert-dooray-lambda.zip, the code the console template's CodeBucket/CodeKey parameters point to.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { LAMBDA_BUNDLE_DIR } from './stack.js';

const out = fileURLToPath(new URL('../dist/secu-alert-dooray-lambda.zip', import.meta.url));
const names = readdirSync(LAMBDA_BUNDLE_DIR, { recursive: true })
  .map(String)
  .filter((name) => statSync(join(LAMBDA_BUNDLE_DIR, name)).isFile())
  .sort();
if (!names.includes('index.mjs')) throw new Error(`no index.mjs in ${LAMBDA_BUNDLE_DIR}: run npm run build`);
// Unix mode 0644 (Lambda must be able to read every file), forward slashes in names.
const files: Zippable = Object.fromEntries(
  names.map((name) => [
    name.split(/[\\/]/).join('/'),
    [readFileSync(join(LAMBDA_BUNDLE_DIR, name)), { os: 3, attrs: 0o100644 << 16 }],
  ]),
);
writeFileSync(out, zipSync(files, { level: 9 }));
console.log(
  `wrote ${out} (${names.length} files); upload it to S3 and give its bucket and key as CodeBucket/CodeKey`,
);
