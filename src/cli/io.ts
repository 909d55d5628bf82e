import { styleText } from 'node:util';

/** A text format of `util.inspect.colors` (`red`, `bold`, `dim`, …), or several. */
export type TextStyle = Parameters<typeof styleText>[0];

/** Where a command writes: injectable so commands can run from tests without touching the process streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly stderrIsTTY: boolean;
  /**
   * Styles text for one of the two streams, or returns it as is when that stream shows no colours (not a terminal,
   * `NO_COLOR`, `NODE_DISABLE_COLORS`; `FORCE_COLOR` forces them). Absent: never styled.
   */
  readonly style?: ((stream: 'stdout' | 'stderr', format: TextStyle, text: string) => string) | undefined;
}

export const processIo: CliIo = {
  stdout: (t) => void process.stdout.write(t),
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
