/** `ovsim …` as a real process (tsx on the sources): exit codes, signals, colours and the process streams are the point. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const BIN = join(process.cwd(), 'src', 'cli', 'bin.ts');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: this one's, without colour settings unless `env` gives some. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base['FORCE_COLOR'];
  delete base['NO_COLOR'];
  delete base['NODE_DISABLE_COLORS'];
  return { ...base, ...env };
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Finished>;
  /** Waits (at most `ms`) until `test` holds for stderr; returns the first match. */
  waitForStderr(test: RegExp, ms?: number): Promise<RegExpExecArray>;
}

/** Starts `ovsim ...args`; stdin is closed unless `input` is given. */
export function startOvsim(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
): Running {
  const child = spawn(TSX, [BIN, ...args], {
    env: childEnv(options.env ?? {}),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Finished>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForStderr(test, ms = 20_000) {
      for (const end = Date.now() + ms; Date.now() < end;) {
        const m = test.exec(stderr);
        if (m) return m;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`stderr never matched ${String(test)}; stderr so far:\n${stderr}`);
    },
  };
}

/** Runs `ovsim ...args` to its end (killed after `ms`, default 30 s). */
export async function ovsim(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string; ms?: number } = {},
): Promise<Finished> {
  const run = startOvsim(args, options);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), options.ms ?? 30_000);
  try {
    return await run.exited;
  } finally {
    clearTimeout(timer);
  }
}
