/**
 * A lone `-` on the command line (stdin for `validate -`): yargs drops it, both as a positional and as an option
 * value (yargs/yargs#1312, yargs/yargs-parser#381, still open). It is carried through the parse as a placeholder
 * that yargs treats as an ordinary word and turned back into `-` before any command sees its arguments.
 */
const PLACEHOLDER = '\u0000-';

/** The arguments with each lone `-` replaced by the placeholder. */
export function protectDash(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '-' ? PLACEHOLDER : a));
}

/** Restores `-` in parsed arguments (a yargs middleware), in place. */
export function restoreDash(args: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(args)) {
    if (value === PLACEHOLDER) args[key] = '-';
    else if (Array.isArray(value) && value.includes(PLACEHOLDER)) {
      args[key] = value.map((v: unknown) => (v === PLACEHOLDER ? '-' : v));
    }
  }
}

/** A yargs message with the placeholder shown as the `-` the user typed. */
export function showDash(message: string): string {
  return message.replaceAll(PLACEHOLDER, '-');
}
