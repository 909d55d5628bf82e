import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `ovsim generate …` as a real process (signals and pipes are the point): node itself with tsx's loader, as the
 * installed bin runs node on dist/. Not through the tsx command: it relays a signal to its child and SIGKILLs it when
 * the child has not acknowledged within 30 ms — on a busy machine, mid-chunk, which killed ovsim before its cleanup.
 */
function generate(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'generate', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': only then has all of stderr been read (on a busy machine it can come after the exit).
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('ovsim generate under signals and closed pipes', () => {
  for (const workers of ['1', '2']) {
    it(`stops quietly with exit 0 when its reader closes stdout (generate | head), --workers ${workers}`, async () => {
      const g = generate(['busy-day', '--workers', workers]);
      let received = 0;
      await new Promise<void>((resolve) => {
        g.child.stdout.on('data', (d: Buffer) => {
          received += d.length;
          if (received > 100_000) {
            g.child.stdout.destroy();
            resolve();
          }
        });
      });
      expect(await g.exited).toBe(0);
      expect(g.stderr()).toBe('');
    }, 60_000);
  }

  it('removes its temporary file and exits 130 on SIGINT, leaving no output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovsim-sigint-'));
    const g = generate(['busy-day', '--workers', '1', '--out', join(dir, 'day.jsonl')]);
    // Interrupted mid-run: once the temporary file holds some output.
    await until(() => readdirSync(dir).some((f) => statSync(join(dir, f)).size > 200_000), 30_000);
    g.child.kill('SIGINT');
    expect(await g.exited).toBe(130);
    expect(g.stderr()).toContain(`interrupted: nothing written to ${join(dir, 'day.jsonl')}`);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
