/** Colours only where they help: a terminal, or FORCE_COLOR; never in a pipe or with NO_COLOR. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ovsim } from './spawn-ovsim.js';

const run = promisify(execFile);
/** util-linux `script` gives the CLI a terminal; without it the terminal case is skipped. */
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));

const ESC = '\u001b[';

describe('colours', () => {
  it('are off in a pipe, and off with NO_COLOR', async () => {
    const [plain, noColor] = await Promise.all([
      ovsim(['generat']),
      ovsim(['scenarios'], { env: { NO_COLOR: '1' } }),
    ]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^ovsim: unknown command "generat"/);
    expect(plain.stderr).not.toContain(ESC);
    expect(noColor.code).toBe(0);
    expect(noColor.stdout).not.toContain(ESC);
  });

  it('are on with FORCE_COLOR: the error prefix, scenario names, help titles', async () => {
    const [error, list, help] = await Promise.all([
      ovsim(['generat'], { env: { FORCE_COLOR: '1' } }),
      ovsim(['scenarios'], { env: { FORCE_COLOR: '1' } }),
      ovsim(['serve', '--help'], { env: { FORCE_COLOR: '1' } }),
    ]);
    expect(error.code).toBe(2);
    expect(
      error.stderr.startsWith(`${ESC}1m${ESC}31movsim:${ESC}39m${ESC}22m unknown command "generat"`),
    ).toBe(true);
    expect(list.stdout).toContain(`\n${ESC}36mbasic-call`);
    expect(list.stdout).toMatch(/basic-call\s*\S+ {2}A one-to-one/);
    expect(help.stdout).toContain(`\n${ESC}1mLogging:${ESC}22m\n`);
  });
});

describe.skipIf(SCRIPT === undefined)('colours on a terminal', () => {
  /** `ovsim scenarios` with stdout on a pseudo-terminal; what the terminal received. */
  async function onTerminal(env: Record<string, string>): Promise<string> {
    const command = `"${join(process.cwd(), 'node_modules', '.bin', 'tsx')}" src/cli/bin.ts scenarios`;
    const base: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    // Node reads colour support from the environment: on a CI machine (CI=true) a terminal counts as
    // monochrome, so the variables a CI runner sets are removed to test what a user's terminal gets.
    for (const k of ['FORCE_COLOR', 'NO_COLOR', 'NODE_DISABLE_COLORS', 'CI', 'TEAMCITY_VERSION']) {
      delete base[k];
    }
    const { stdout } = await run(SCRIPT!, ['-qec', command, '/dev/null'], {
      env: { ...base, ...env },
      timeout: 60_000,
    });
    return stdout;
  }

  it('are on by default and off with NO_COLOR', async () => {
    const [tty, noColor] = await Promise.all([onTerminal({}), onTerminal({ NO_COLOR: '1' })]);
    expect(tty).toContain(`${ESC}36mbasic-call`);
    expect(noColor).toMatch(/^basic-call\s+A one-to-one/m);
    expect(noColor).not.toContain(ESC);
  });
});
