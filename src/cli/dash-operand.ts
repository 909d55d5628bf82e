/**
 * A lone `-` on the command line (stdin for `validate -`): yargs drops it, both as a positional and as an option
 * value (yargs/yargs#1312, yargs/yargs-parser#381, still open). It is carried through the parse as a placeholder
 * that yargs treats as an ordinary word; list operands (`<files..>`) get `-` back before any command sees its
 * arguments, and a `-` anywhere else is refused by name rather than dropped.
 */
import { OvsimError } from '../errors.js';

const PLACEHOLDER = '\u0000-';

/** The arguments with each lone `-` replaced by the placeholder. */
export function protectDash(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '-' ? PLACEHOLDER : a));
}

/**
 * A yargs middleware restoring `-` in the list operands of the arguments parsed from `argv`, in place.
 * @throws OvsimError `BAD_INPUT` for a `-` given as a single value, which no command reads as stdin/stdout
 */
export function restoreDash(argv: readonly string[]): (args: Record<string, unknown>) => void {
  return (args) => {
    for (const [key, value] of Object.entries(args)) {
      if (value === PLACEHOLDER) {
        const before = argv[argv.indexOf('-') - 1] ?? '';
        const name = before.startsWith('-') ? before : `the ${key} operand`;
        throw new OvsimError('BAD_INPUT', `"-" (standard input or output) is not accepted for ${name}`);
      }
      if (Array.isArray(value) && value.includes(PLACEHOLDER)) {
        args[key] = value.map((v: unknown) => (v === PLACEHOLDER ? '-' : v));
      }
    }
  };
}

/** A yargs message with the placeholder shown as the `-` the user typed. */
export function showDash(message: string): string {
  return message.replaceAll(PLACEHOLDER, '-');
}
