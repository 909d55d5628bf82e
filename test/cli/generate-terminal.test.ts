import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OvsimError } from '../../src/errors.js';
import { terminalSink } from '../../src/sinks/terminal-sink.js';
import { memorySink } from '../memory-sink.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const BIN = join(process.cwd(), 'src', 'cli', 'bin.ts');

/** util-linux `script` gives the command a pseudo-terminal, as a user's shell would. */
const hasScript = (() => {
  try {
    execFileSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore', timeout: 5_000 });
    return process.platform === 'linux';
  } catch {
    return false;
  }
})();

/** Runs `ovsim …` on a pseudo-terminal: its exit code and everything the terminal showed (stdout and stderr). */
async function onTerminal(...args: string[]): Promise<{ code: number; screen: string }> {
  const command = [TSX, BIN, ...args].map((a) => `'${a}'`).join(' ');
  // NO_COLOR: the terminal's text is asserted, not its colours (which a terminal gets, see test/cli/colours).
  const env = { ...process.env, NO_COLOR: '1' };
  return promisify(execFile)('script', ['-qec', command, '/dev/null'], {
    maxBuffer: 64 * 1024 * 1024,
    env,
  }).then(
    (r) => ({ code: 0, screen: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, screen: e.stdout }),
  );
}

const lineCount = (screen: string) => screen.split('\n').filter((l) => l.includes('{"')).length;

describe('generate to a terminal', () => {
  it.skipIf(!hasScript)(
    'refuses a large dataset before printing any of it (was thousands of lines)',
    async () => {
      const r = await onTerminal('generate', 'busy-day');
      expect(r.code).toBe(2);
      expect(r.screen).toContain(
        'ovsim: busy-day is more than 1000 lines: not printed to the terminal. Write it to a file (--out FILE), ' +
          'pipe it (| less, | head), or print it here anyway with --out=-',
      );
      expect(lineCount(r.screen)).toBe(0);
    },
  );

  it.skipIf(!hasScript)('prints a small scenario whole', async () => {
    const r = await onTerminal('generate', 'basic-call');
    expect(r.code).toBe(0);
    expect(lineCount(r.screen)).toBe(14);
  });

  it.skipIf(!hasScript)('prints any length with --out=-', async () => {
    const r = await onTerminal('generate', 'demo-random', '--set', 'duration=30m', '--out=-');
    expect(r.code).toBe(0);
    expect(lineCount(r.screen)).toBeGreaterThan(1000);
  });
});

describe('terminalSink', () => {
  it('passes the lines on at commit when they are within the limit', async () => {
    const inner = memorySink();
    const sink = terminalSink(inner, 'x', 3);
    await sink.write('a\nb\n');
    await sink.write(Buffer.from('c\n'));
    expect(inner.text()).toBe('');
    await sink.commit();
    expect(inner.text()).toBe('a\nb\nc\n');
  });

  it('throws, keeping nothing, when a write goes past the limit', async () => {
    const inner = memorySink();
    const sink = terminalSink(inner, 'big', 3);
    await sink.write('a\nb\n');
    expect(() => sink.write('c\nd\n')).toThrow(OvsimError);
    await sink.abort();
    expect(inner.text()).toBe('');
  });

  it('hands a chunk back at once (its bytes are copied)', async () => {
    const sink = terminalSink(memorySink(), 'x', 10);
    const chunk = new Uint8Array(Buffer.from('a\n'));
    let done = false;
    await sink.write(chunk, () => (done = true));
    expect(done).toBe(true);
  });
});
