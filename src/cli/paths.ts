import { fileURLToPath } from 'node:url';

/**
 * The package's root folder: two levels above this module, both in the bundle (`dist/cli/secu-alert.mjs`) and
 * in the sources (`src/cli/paths.ts`).
 */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The project's own fixtures (`fixtures/`), shipped in the package because `demo` and `audit` read them. */
export const fixturesDir = `${packageRoot}fixtures/`;

/** The Lambda bundle that `npm run build` writes. */
export const lambdaBundle = `${packageRoot}dist/lambda/index.mjs`;
