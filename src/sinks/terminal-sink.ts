/**
 * Output bound for a terminal. A generated day is millions of lines: printed to a terminal it floods the screen and
 * the scroll-back for minutes, which nobody asked for. Like gzip and curl, which will not write what a terminal cannot
 * use unless told to, `ovsim generate` holds the first lines back: a run that ends within the limit is printed whole,
 * a longer one is refused before anything is printed, with the ways to get it (a file, a pipe, or `--out=-`).
 */
import { OvsimError } from '../errors.js';
import type { TextSink } from './atomic-file.js';

/** Lines a terminal is given at most, unless asked explicitly: every bundled scripted scenario fits. */
export const TERMINAL_LINES = 1000;

/**
 * Holds up to `limit` lines for `inner`, passing them on at commit; throws when a write takes the output past it.
 * @param what names the output in the refusal, e.g. `busy-day`
 */
export function terminalSink(inner: TextSink, what: string, limit = TERMINAL_LINES): TextSink {
  const held: Buffer[] = [];
  let lines = 0;
  return {
    write(chunk, done) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      done?.();
      for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) lines++;
      if (lines > limit) {
        held.length = 0;
        throw new OvsimError(
          'BAD_INPUT',
          `${what} is more than ${limit} lines: not printed to the terminal. Write it to a file (--out FILE), ` +
            'pipe it (| less, | head), or print it here anyway with --out=-',
        );
      }
      held.push(bytes);
    },
    async commit() {
      for (const bytes of held.splice(0)) await inner.write(bytes);
      await inner.commit();
    },
    abort: () => inner.abort(),
  };
}
