/**
 * Every `ovsim` command, in the order `--help` lists them. Add a command here with one line. Modules load on
 * demand, so `ovsim generate` does not pay for the web server, the HTTP clients and the rest (tens of MB).
 */
import type { OvsimCommand } from '../command.js';

export const COMMAND_LOADERS: ReadonlyArray<readonly [name: string, load: () => Promise<OvsimCommand>]> = [
  ['generate', async () => (await import('./generate.js')).generateCommand],
  ['validate', async () => (await import('./validate.js')).validateCommand],
  ['run', async () => (await import('./run.js')).runCommand],
  ['load', async () => (await import('./load.js')).loadCommand],
  ['receive', async () => (await import('./receive.js')).receiveCommand],
  ['score', async () => (await import('./score.js')).scoreCommand],
  ['scenarios', async () => (await import('./scenarios.js')).scenariosCommand],
  ['serve', async () => (await import('./serve.js')).serveCommand],
];

/**
 * The commands an invocation needs: only the one it names, or all of them (help, typos, no command). A completion
 * request (`--get-yargs-completions ovsim generate --se`) names its command after the script name.
 */
export async function loadCommands(argv: readonly string[]): Promise<OvsimCommand[]> {
  const completion = argv.indexOf('--get-yargs-completions');
  const words = completion < 0 ? argv : argv.slice(completion + 2);
  const first = words.find((a) => !a.startsWith('-'));
  const named = COMMAND_LOADERS.find(([name]) => name === first);
  const chosen = named ? [named] : COMMAND_LOADERS;
  return Promise.all(chosen.map(([, load]) => load()));
}
