import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { CliError, EXIT, processIo, type CliIo } from './errors.js';

// Kept for the commands not yet moved to `./errors.js` (simulate, test-pattern).
export { CliError, EXIT, processIo, type CliIo } from './errors.js';

/**
 * Builds the `secu-alert` program with every command of `src/cli/commands/` registered.
 * Commands report their exit code by returning a number from their action (see {@link runCli}).
 */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('secu-alert')
    .description(
      'secu-alert-dooray: AWS root-account usage alerts delivered to a Dooray! messenger room.\n' +
        'AWS 루트 계정 사용 경보를 Dooray! 메신저 대화방으로 전달합니다.',
    )
    .version(process.env['npm_package_version'] ?? '0.1.0')
    .showHelpAfterError('(run `secu-alert --help` for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  registerCommands(program, io, setExitCode);
  return program;
}

/**
 * Runs `secu-alert` with `argv` (without the node and script entries) and resolves to the exit code:
 * 0 ok, 1 failure, 2 usage error (unknown command or option, missing argument). Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exitCode 0; every other commander error is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      io.stderr(`secu-alert: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`secu-alert: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}
