/**
 * Mistakes on the command line itself — an unknown command, an unknown flag, a missing argument — as messages that say
 * what was meant, with the same "did you mean" as the scenario parser's.
 */
import { OvsimError } from '../errors.js';
import { suggest } from '../suggest.js';

/** What the parser knew when it failed: the command being parsed (if any) and the flags it has. */
export interface UsageContext {
  /** The command's usage, e.g. `generate <scenario>`; undefined at the top level. */
  readonly usage: string | undefined;
  /** Every flag name the command (or the top level) accepts, without dashes, aliases included. */
  readonly flags: readonly string[];
}

/** `unknown command "generat"; did you mean "generate"? Commands: …`. */
export function unknownCommandError(word: string, commands: readonly string[]): OvsimError {
  const guess = suggest(word, commands);
  return new OvsimError(
    'BAD_INPUT',
    `unknown command "${word}"${guess ? `; did you mean "${guess}"?` : ';'} Commands: ${commands.join(', ')} ` +
      '(ovsim --help describes them)',
  );
}

/** Turns a message of yargs' validation into ovsim's: unknown flags with a guess each, a missing argument by name. */
export function usageError(message: string, argv: readonly string[], ctx: UsageContext): OvsimError {
  const name = ctx.usage?.split(' ')[0];
  const help = name === undefined ? 'ovsim --help' : `ovsim ${name} --help`;
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown) {
    const lines = unknownNames(unknown[1] ?? '').map((n) => describeUnknown(n, argv, ctx));
    return new OvsimError('BAD_INPUT', `${lines.join('\n')}\n(${help} lists what it accepts)`);
  }
  if (/^Not enough non-option arguments/.test(message) && ctx.usage !== undefined) {
    return new OvsimError('BAD_INPUT', `missing argument: ovsim ${ctx.usage} (${help} shows examples)`);
  }
  return new OvsimError('BAD_INPUT', `${message} (${help})`);
}

/** yargs lists `--webhook-endpont` twice, as itself and camel-cased: keep the spelling the user typed. */
function unknownNames(list: string): string[] {
  const names = list.split(', ');
  const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return names.filter((n) => !names.some((m) => m !== n && camel(m) === n));
}

function describeUnknown(name: string, argv: readonly string[], ctx: UsageContext): string {
  // A word the user typed bare is a surplus argument; anything else came from a flag.
  if (argv.includes(name)) return `unexpected argument "${name}"`;
  const dashes = name.length === 1 ? '-' : '--';
  const candidates = ctx.flags.filter((f) => f.length > 1);
  const guess = suggest(name, candidates);
  return `unknown option ${dashes}${name}${guess ? `; did you mean --${guess}?` : ''}`;
}
