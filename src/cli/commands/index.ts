import type { Command } from 'commander';
import type { CliIo, RegisterCommand } from '../errors.js';
import { register as audit } from './audit.js';
import { register as registerDemo } from './demo.js';
import { register as fire } from './fire.js';
import { register as replay } from './replay.js';
import { register as sendTest } from './send-test.js';
import { register as simulate } from './simulate.js';
import { register as testPattern } from './test-pattern.js';

/** `demo` runs `simulate --fast-path` for its second part: it gets simulate's `register` from here. */
const demo: RegisterCommand = (program, io, setExitCode) => registerDemo(program, io, setExitCode, simulate);

/** Every command of `secu-alert`, in the order `--help` lists them. */
const COMMANDS: readonly RegisterCommand[] = [demo, simulate, testPattern, sendTest, audit, fire, replay];

/** Adds every command of {@link COMMANDS} to `program`. */
export function registerCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  for (const register of COMMANDS) register(program, io, setExitCode);
}
