import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const FIXTURE = join(process.cwd(), 'test', 'cli', 'escaped-error.fixture.ts');

function runFixture(kind: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env['OVSIM_DEBUG'];
    delete env['FORCE_COLOR'];
    execFile(TSX, [FIXTURE, kind], { env, timeout: 30_000 }, (e, _stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stderr }),
    );
  });
}

describe('an error escaping a command', () => {
  it.each([
    ['exception', 'thrown outside any command'],
    ['rejection', 'rejected outside any command'],
  ])('an uncaught %s is an internal error: exit 1, one message, no stack trace', async (kind, message) => {
    const r = await runFixture(kind);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`ovsim: internal error: ${message}\\novsim: OVSIM_DEBUG=1 shows where\\n$`),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
