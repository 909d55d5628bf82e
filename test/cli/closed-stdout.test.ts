/**
 * A reader that closes stdout early (`ovsim validate … | head`) ends the command quietly: no EPIPE stack trace, and
 * for validate the verdict of what was checked until then. A real shell pipeline: the pipe and its EPIPE are the point.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const BIN = join(process.cwd(), 'src', 'cli', 'bin.ts');

/** Runs `ovsim <args> | head -n 2` in bash; ovsim's own exit code (PIPESTATUS) and what it printed on stderr. */
function throughHead(args: string): { code: number; stderr: string; shown: string } {
  const script = `'${TSX}' '${BIN}' ${args} 2>"$ERR" | head -n 2; echo "code=\${PIPESTATUS[0]}"`;
  const dir = mkdtempSync(join(tmpdir(), 'ovsim-head-'));
  const err = join(dir, 'stderr');
  const r = spawnSync('bash', ['-c', script], {
    env: { ...process.env, ERR: err, NO_COLOR: '1' },
    timeout: 60_000,
  });
  const out = r.stdout.toString();
  const code = Number(/code=(\d+)/.exec(out)?.[1] ?? -1);
  return { code, stderr: spawnSync('cat', [err]).stdout.toString(), shown: out };
}

describe('a reader closing stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ovsim-broken-'));
  const broken = join(dir, 'broken.jsonl');
  // Enough diagnostics to outlast the pipe's buffer, so the reader is gone while validate still writes.
  writeFileSync(broken, 'not json\n'.repeat(100_000));

  it('ends validate quietly with the verdict so far (1: errors were found), not an EPIPE crash', () => {
    const r = throughHead(`validate '${broken}'`);
    expect(r.shown.split('\n').filter((l) => l.includes('unparsable-line'))).toHaveLength(2);
    expect(r.stderr).not.toMatch(/EPIPE|internal error|at .*\.ts/);
    expect(r.code).toBe(1);
  });
});
