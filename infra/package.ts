// `npm run package`: zips the handler bundle (dist/lambda, built by `npm run build`) into
// dist/secu-alert-dooray-lambda.zip, the code the console template's CodeBucket/CodeKey parameters point to.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDA_BUNDLE_DIR } from './stack.js';
import { zip } from './zip.js';

const out = fileURLToPath(new URL('../dist/secu-alert-dooray-lambda.zip', import.meta.url));
const names = readdirSync(LAMBDA_BUNDLE_DIR).sort();
if (!names.includes('index.mjs')) throw new Error(`no index.mjs in ${LAMBDA_BUNDLE_DIR}: run npm run build`);
writeFileSync(out, zip(names.map((name) => ({ name, data: readFileSync(join(LAMBDA_BUNDLE_DIR, name)) }))));
console.log(
  `wrote ${out} (${names.join(', ')}); upload it to S3 and give its bucket and key as CodeBucket/CodeKey`,
);
