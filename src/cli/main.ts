/**
 * The command line. `runCli` can be called from code (it returns the exit code and never exits); `runMain` is the only
 * place that calls `process.exit`, and `exitCodeOf` the only place that maps errors to exit codes.
 */
import yargs, { type Argv } from 'yargs';
import { OvsimError } from '../errors.js';
import { OutputClosed } from '../sinks/atomic-file.js';
import type { OvsimCommand } from './command.js';
import { COMMAND_LOADERS, loadCommands } from './commands/index.js';
import { protectDash, restoreDash, showDash } from './dash-operand.js';
import {
  applyHelpLayout,
  flagsOf,
  formatExamples,
  GENERAL_GROUP,
  HELP_LAYOUTS,
  TOP_LEVEL_EXAMPLES,
} from './help-layout.js';
import { EXIT, paint, processIo, type CliIo } from './io.js';
import { unknownCommandError, usageError, type UsageContext } from './usage-errors.js';
import { packageVersion } from './version.js';

/** The command yargs gives shell completion under (`ovsim completion >> ~/.bashrc`). */
const COMPLETION_COMMAND = 'completion';
/** The flag a completion script calls ovsim with. */
const COMPLETION_REQUEST = '--get-yargs-completions';

/**
 * Runs one `ovsim` command, as the binary does, and resolves with its exit code (0 success, 1 failure, 2 bad input,
 * 130 interrupted); errors are reported on `io`, which receives what the command prints (default: the process's
 * stdout and stderr).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    return await parseAndRun(normalizeArgv(argv), io);
  } catch (e) {
    return reportError(e, io);
  }
}

/** `ovsim`, `ovsim help` and `ovsim help <command> …` are asks for help, as in gh, stripe and k6. */
export function normalizeArgv(argv: readonly string[]): string[] {
  if (argv.length === 0 || (argv.length === 1 && argv[0] === 'help')) return ['--help'];
  if (argv[0] === 'help') return [...argv.slice(1), '--help'];
  return [...argv];
}

async function parseAndRun(argv: readonly string[], io: CliIo): Promise<number> {
  const names = COMMAND_LOADERS.map(([name]) => name);
  const first = argv.find((a) => !a.startsWith('-'));
  if (
    first !== undefined &&
    !argv.includes(COMPLETION_REQUEST) &&
    first !== COMPLETION_COMMAND &&
    !names.includes(first)
  ) {
    throw unknownCommandError(first, [...names, COMPLETION_COMMAND]);
  }
  let code: number = EXIT.OK;
  let active: UsageContext = { usage: undefined, flags: ['help', 'version'] };
  let parser = topLevel(protectDash(argv))
    .middleware(restoreDash(argv), true)
    .fail((msg, err) => {
      throw err ?? usageError(showDash(msg), argv, active);
    });
  for (const c of await loadCommands(argv)) {
    const name = c.command.split(' ')[0] ?? c.command;
    const builder = (y: Argv): Argv => {
      const built = applyHelpLayout(c.builder(y), HELP_LAYOUTS[name]);
      const { names, aliases } = flagsOf(built);
      active = { usage: c.command, flags: [...names, ...aliases] };
      return built;
    };
    parser = parser.command(c.command, c.describe, builder, async (a) => {
      code = await (c as OvsimCommand).run(a, io);
    });
  }
  let output = '';
  await parser.parseAsync(protectDash(argv), {}, (_err, _argv, text) => {
    if (text) output = text;
  });
  if (output) io.stdout(styleHelp(output, io) + '\n');
  return code;
}

function topLevel(argv: readonly string[]): Argv {
  return yargs([...argv])
    .scriptName('ovsim')
    .locale('en')
    .usage('$0 <command> [options]\n\nOpenVidu 2.x CDR and WebHook emitter simulator.')
    .demandCommand(1, 'name a command')
    .strict()
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .completion(
      COMPLETION_COMMAND,
      'print a bash/zsh script completing commands and flags (append it to ~/.bashrc or ~/.zshrc)',
    )
    .group(['help', 'version'], GENERAL_GROUP)
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .epilogue(formatExamples(TOP_LEVEL_EXAMPLES));
}

/** Section titles of a help text in bold, when stdout shows colours. */
function styleHelp(text: string, io: CliIo): string {
  return text.replace(/^([A-Z][^\n]*:)$/gm, (title) => paint(io, 'stdout', 'bold', title));
}

/** The exit code of an error: bad input 2, interrupted 130, anything else 1. */
export function exitCodeOf(e: unknown): number {
  // The reader of stdout has gone (`ovsim … | head`): it has what it wanted.
  if (e instanceof OutputClosed) return EXIT.OK;
  if (!(e instanceof OvsimError)) return EXIT.FAILURE;
  switch (e.code) {
    case 'BAD_INPUT':
    case 'NOT_FOUND':
    case 'REFUSED':
      return EXIT.BAD_INPUT;
    case 'INTERRUPTED':
      return EXIT.INTERRUPTED;
    case 'IO':
    case 'INTERNAL':
      return EXIT.FAILURE;
  }
}

/** Prints an error the way a user needs it: the message, no stack for user errors; returns the exit code. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof OutputClosed) return exitCodeOf(e);
  const prefix = paint(io, 'stderr', ['bold', 'red'], 'ovsim:');
  if (e instanceof OvsimError && e.code !== 'INTERNAL') {
    io.stderr(`${prefix} ${e.message}\n`);
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(
      `${prefix} internal error: ${err.message}\n` +
        (process.env['OVSIM_DEBUG'] ? `${err.stack}\n` : 'ovsim: OVSIM_DEBUG=1 shows where\n'),
    );
  }
  return exitCodeOf(e);
}

/** Runs the command line of this process and exits with its code; an error escaping a command is reported the same. */
export function runMain(argv: readonly string[]): void {
  const fatal = (e: unknown) => process.exit(reportError(e, processIo));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  runCli(argv).then((code) => process.exit(code), fatal);
}
