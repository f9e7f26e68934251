import type { ParseArgsConfig } from 'node:util';
import type { Session } from './session.js';

/** Where a command writes: stdout and stderr of the process (or a test's buffers). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command gets: its positionals and options, the connection (made on first use), and output. */
export interface CommandContext {
  readonly positionals: readonly string[];
  readonly values: OptionValues;
  /** Connects (kubeconfig or `--mock`) the first time it is called. */
  session(): Promise<Session>;
  readonly io: CommandIo;
  /** Keeps the process going until `done` settles instead of closing the session at once (console). */
  hold(done: Promise<unknown>): void;
}

/** One `kubesmart` subcommand. The table of them is `commands/index.ts`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage lines after `kubesmart NAME`. */
  readonly usage: string;
  /** Options besides the global ones (`--kubeconfig`, `--context`, `--mock`, `-n`). */
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
