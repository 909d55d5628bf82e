import { styleText } from 'node:util';
import { OvsimError } from '../errors.js';
import { OutputClosed } from '../sinks/atomic-file.js';

/** A text format of `util.inspect.colors` (`red`, `bold`, `dim`, …), or several. */
export type TextStyle = Parameters<typeof styleText>[0];

/** Where a command writes: injectable so commands can run from tests without touching the process streams. */
export interface CliIo {
  /** Writes to stdout. @throws OutputClosed once the reader of stdout has gone (`ovsim … | head`). */
  readonly stdout: (text: string) => void;
  /**
   * Backpressure of stdout for commands that write a lot (`validate`'s diagnostics): a promise to await when the
   * reader is behind (resolved when it has caught up), `undefined` when writing may go on at once. Rejects with
   * `OutputClosed` once the reader has gone. Absent: never behind.
   */
  readonly stdoutReady?: (() => Promise<void> | undefined) | undefined;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly stderrIsTTY: boolean;
  /**
   * Styles text for one of the two streams, or returns it as is when that stream shows no colours (not a terminal,
   * `NO_COLOR`, `NODE_DISABLE_COLORS`; `FORCE_COLOR` forces them). Absent: never styled.
   */
  readonly style?: ((stream: 'stdout' | 'stderr', format: TextStyle, text: string) => string) | undefined;
}

/** What ended the process's stdout (the reader went away, or a write failed), once it has. */
let stdoutEnded: OvsimError | undefined;
let stdoutWatched = false;

/** Records stdout's failure instead of letting it escape as an uncaught 'error' (an EPIPE stack trace). */
function watchStdout(): void {
  if (stdoutWatched) return;
  stdoutWatched = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    stdoutEnded ??=
      e.code === 'EPIPE'
        ? new OutputClosed(e)
        : new OvsimError('IO', `cannot write to standard output: ${e.message}`, { cause: e });
  });
}

export const processIo: CliIo = {
  stdout: (t) => {
    watchStdout();
    if (stdoutEnded) throw stdoutEnded;
    process.stdout.write(t);
  },
  stdoutReady: () => {
    watchStdout();
    if (stdoutEnded) return Promise.reject(stdoutEnded);
    if (!process.stdout.writableNeedDrain) return undefined;
    return new Promise<void>((resolve, reject) => {
      const settle = () => {
        process.stdout.off('drain', settle);
        process.stdout.off('error', settle);
        if (stdoutEnded) reject(stdoutEnded);
        else resolve();
      };
      process.stdout.on('drain', settle);
      process.stdout.on('error', settle);
    });
  },
  stderr: (t) => void process.stderr.write(t),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  style: (stream, format, text) => {
    const target = stream === 'stdout' ? process.stdout : process.stderr;
    // Node (>= 20.18) decides from the stream and the environment whether colours apply — but Node 20 skips that
    // check for an array of formats, so they are applied one at a time.
    const formats = Array.isArray(format) ? format : [format];
    return formats.reduceRight((t, f) => styleText(f, t, { stream: target }), text);
  },
};

/** `text` styled for `stream` when `io` styles and that stream shows colours; else `text` unchanged. */
export function paint(io: CliIo, stream: 'stdout' | 'stderr', format: TextStyle, text: string): string {
  return io.style ? io.style(stream, format, text) : text;
}

/** Exit codes of the contract: 0 success, 1 the work found or caused a failure, 2 bad input, 130 interrupted. */
export const EXIT = { OK: 0, FAILURE: 1, BAD_INPUT: 2, INTERRUPTED: 130 } as const;
