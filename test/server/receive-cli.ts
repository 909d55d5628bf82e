/** `ovsim receive` run in-process on 127.0.0.1:0 for a test: its URL, its stderr, and a stop that yields its exit code. */
import { runReceive, type ReceiveArgs } from '../../src/cli/commands/receive.js';

export interface RunningReceive {
  readonly url: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Stops it as a signal would; resolves with its exit code. */
  stop(): Promise<number>;
}

export async function startReceive(args: Partial<ReceiveArgs>): Promise<RunningReceive> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    stderrIsTTY: false,
  };
  let stop = () => undefined as void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const running = runReceive(
    { port: 0, host: '127.0.0.1', jsonl: false, respond: 200, validate: true, ...args } as ReceiveArgs,
    io,
    stopped,
  );
  // Bounded: 2 s for the listening line.
  for (let i = 0; i < 200 && !stderr.includes('http://'); i++) await new Promise((r) => setTimeout(r, 10));
  const url = /http:\/\/\S+/.exec(stderr)?.[0];
  if (url === undefined) throw new Error(`ovsim receive did not start: ${stderr}`);
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      stop();
      return running;
    },
  };
}
