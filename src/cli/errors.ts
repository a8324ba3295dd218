import type { Command } from 'commander';

/**
 * What every command shares with the program, kept below both so that no command imports `program.ts`:
 * the exit codes, the error a command throws to end with a message, and where it writes.
 */

/** Exit codes of `secu-alert`: 0 ok, 1 failure (or a FAIL finding), 2 usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * An error a command throws to end with a message on stderr and a given exit code (no stack trace).
 * `exitCode` is one of {@link EXIT}.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes: stdout for results, stderr for progress and errors. Injected by tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The process's own stdout/stderr. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * A command module of `src/cli/commands/<name>.ts` exports a `register` function of this type: it adds its
 * sub-command to `program`, writes through `io`, and reports its exit code with `setExitCode`
 * (0 ok, 1 failure, 2 usage error) or by throwing a `CliError`.
 */
export type RegisterCommand = (program: Command, io: CliIo, setExitCode: (code: number) => void) => void;
