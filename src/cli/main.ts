/**
 * The command line. `runCli` can be called from code (it returns the exit code and never exits);
 * `runMain` is the only place that calls `process.exit`.
 */
import yargs from 'yargs';
import { OvsimError } from '../errors.js';
import { loadCommands } from './commands/index.js';
import { EXIT, processIo, type CliIo } from './io.js';

/**
 * Runs one `ovsim` command, as the binary does, and resolves with its exit code (0 success, 1 failure, 2 bad input,
 * 130 interrupted); errors are reported on `io`, which receives what the command prints (default: the process's
 * stdout and stderr).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.OK;
  const run = (p: Promise<number>) => p.then((c) => void (code = c));
  let parser = yargs([...argv])
    .scriptName('ovsim')
    .usage('$0 <command> [options]\n\nOpenVidu 2.x CDR and WebHook emitter simulator.')
    .demandCommand(1, 'name a command (ovsim --help lists them)')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      throw err ?? new OvsimError('BAD_INPUT', msg);
    });
  for (const c of await loadCommands(argv)) {
    parser = parser.command(c.command, c.describe, c.builder, (a) => run(c.run(a, io)));
  }
  let helpOutput = '';
  try {
    await parser.parseAsync([...argv], {}, (_err, _argv, output) => {
      if (output) helpOutput = output;
    });
  } catch (e) {
    return reportError(e, io);
  }
  if (helpOutput) io.stdout(helpOutput + '\n');
  return code;
}

/** Prints an error the way a user needs it: the message, no stack for user errors; returns the exit code. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof OvsimError && (e.code === 'BAD_INPUT' || e.code === 'NOT_FOUND' || e.code === 'REFUSED')) {
    io.stderr(`ovsim: ${e.message}\n`);
    return EXIT.BAD_INPUT;
  }
  if (e instanceof OvsimError && e.code === 'INTERRUPTED') {
    io.stderr(`ovsim: ${e.message}\n`);
    return EXIT.INTERRUPTED;
  }
  if (e instanceof OvsimError && e.code === 'IO') {
    io.stderr(`ovsim: ${e.message}\n`);
    return EXIT.FAILURE;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr(`ovsim: internal error: ${err.message}\n${process.env.OVSIM_DEBUG ? `${err.stack}\n` : ''}`);
  return EXIT.FAILURE;
}

export function runMain(argv: readonly string[]): void {
  runCli(argv).then(
    (code) => process.exit(code),
    (e: unknown) => process.exit(reportError(e, processIo)),
  );
}
