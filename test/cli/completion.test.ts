/** Shell completion: `ovsim completion` prints a script that, sourced in bash, completes commands and flags. */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const run = promisify(execFile);

describe('ovsim completion', () => {
  it('answers the completion requests of the script: commands, then the flags of the command typed', async () => {
    const commands = await cli('--get-yargs-completions', 'ovsim', '');
    expect(commands.code).toBe(0);
    expect(commands.stdout.split('\n')).toEqual(expect.arrayContaining(['generate', 'serve', 'scenarios']));
    const flags = await cli('--get-yargs-completions', 'ovsim', 'serve', '--');
    expect(flags.stdout.split('\n')).toEqual(
      expect.arrayContaining(['--log', '--log-format', '--secret', '--port']),
    );
    expect(flags.stdout).not.toContain('--shard');
  });

  it('completes in bash through the printed script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovsim-completion-'));
    const shim = join(dir, 'ovsim');
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    writeFileSync(shim, `#!/bin/sh\nexec "${tsx}" "${join(process.cwd(), 'src', 'cli', 'bin.ts')}" "$@"\n`);
    chmodSync(shim, 0o755);
    const script = [
      'eval "$(ovsim completion)"',
      'COMP_WORDS=(ovsim gen); COMP_CWORD=1; _ovsim_yargs_completions; echo "1:${COMPREPLY[*]}"',
      'COMP_WORDS=(ovsim generate basic-call --se); COMP_CWORD=3; _ovsim_yargs_completions; echo "2:${COMPREPLY[*]}"',
    ].join('\n');
    const { stdout } = await run('bash', ['-c', script], {
      env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}`, SHELL: '/bin/bash' },
      timeout: 60_000,
    });
    expect(stdout).toContain('1:generate\n');
    expect(stdout).toMatch(/^2:--seed --server --set$/m);
  });
});
