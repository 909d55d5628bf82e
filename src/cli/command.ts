import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/**
 * One `ovsim` command. `run` returns the exit code and throws OvsimError for bad input (main maps it to exit 2);
 * it never calls process.exit.
 */
export interface OvsimCommand<A = Record<string, unknown>> {
  /** yargs command string, e.g. `generate <scenario>`. */
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  readonly run: (args: A, io: CliIo) => Promise<number>;
}

/** Declares a command with its argument type (keeps the registry's list homogeneous). */
export function defineCommand<A>(c: OvsimCommand<A>): OvsimCommand {
  return c as unknown as OvsimCommand;
}
