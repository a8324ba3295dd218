/**
 * Entry of the `secu-alert` command (bundled to `dist/cli/secu-alert.mjs`).
 */
import { runCli } from './program.js';

// `secu-alert … | head` closes the pipe early: end quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
