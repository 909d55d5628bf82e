/** Where a command writes: injectable so commands can run from tests without touching the process streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly stderrIsTTY: boolean;
}

export const processIo: CliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

/** Exit codes of the contract: 0 success, 1 the work found or caused a failure, 2 bad input. */
export const EXIT = { OK: 0, FAILURE: 1, BAD_INPUT: 2, INTERRUPTED: 130 } as const;
