/**
 * Entry of the `secu-alert` command (bundled to `dist/cli/secu-alert.mjs`).
 */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
