/**
 * Entry of the `secu-alert` command (bundled to `dist/cli/secu-alert.mjs`).
 */
import { runCli } from './program.js';

// The AWS SDK's notice that its releases after January 2027 will need Node.js 22 is not the operator's to act
// on: this command bundles its SDK. The SDK's documented switch turns it off unless the user set it
// (https://github.com/aws/aws-sdk-js-v3/issues/7983); other warnings still show.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// `secu-alert … | head` closes the pipe early: end quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
