/**
 * `ovsim validate` on the command line: standard input through a real process (yargs used to drop the lone
 * `-`, issue 16 item 9), the output formats for CI, and the options.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { RULES } from '../../src/validate/rules.js';
import { githubCommand } from '../../src/validate/output-formats.js';
import { SESSION_1, VALID_CDR } from './fixtures.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const golden = readFileSync(new URL('../golden/basic-call.cdr.jsonl', import.meta.url), 'utf8');

/** Runs `ovsim ARGS` as a process with `stdin` piped in; at most 30 s. */
function ovsim(
  args: readonly string[],
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['src/cli/bin.ts', ...args], { stdio: 'pipe', timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ovsim-validate-cli-'));
function file(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

describe('ovsim validate - (a real process reading stdin)', () => {
  it('checks what is piped in', async () => {
    const lines = golden.trimEnd().split('\n').length;
    const ok = await ovsim(['validate', '-'], golden);
    expect(ok.stderr).toContain(`${lines} lines, ${lines} events`);
    expect(ok).toMatchObject({ code: 0, stdout: '' });
    const bad = await ovsim(['validate', '-'], `${golden}{"garbage\n`);
    expect(bad.stdout).toBe(`-:${lines + 1}: unparsable-line: not valid JSON: {"garbage\n`);
    expect(bad.code).toBe(1);
  });

  it('warns when nothing arrives, instead of passing silently', async () => {
    const r = await ovsim(['validate', '-'], '');
    expect(r.stdout).toBe('-:0: empty-input: no lines to check\n');
    expect(r.stderr).toContain('0 lines');
    expect(r.stderr).toContain('1 warning');
    expect(r.code).toBe(0);
  });
});

describe('output formats', () => {
  const broken = [SESSION_1[0] ?? '', 'garbage', '\uFEFF{"x":1}'];

  it('--json writes one document: diagnostics, summary, verdict', async () => {
    const path = file('broken.jsonl', broken);
    const r = await cli('validate', '--json', path);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { diagnostics: unknown[]; summary: { lines: number }; ok: boolean };
    expect(doc.diagnostics).toEqual([
      { file: path, line: 2, severity: 'error', rule: 'unparsable-line', message: 'not valid JSON: garbage' },
      {
        file: path,
        line: 3,
        severity: 'error',
        rule: 'encoding',
        message: 'the line starts with a byte order mark (U+FEFF); OpenVidu writes UTF-8 without one',
      },
      {
        file: path,
        line: 3,
        severity: 'error',
        rule: 'line-form',
        message: 'the value of the root key "x" is not an object',
      },
    ]);
    expect(doc.summary.lines).toBe(3);
    expect(doc.ok).toBe(false);
    const clean = JSON.parse((await cli('validate', '--format', 'json', file('ok.jsonl', VALID_CDR))).stdout);
    expect(clean).toMatchObject({ diagnostics: [], ok: true });
  });

  it('--format github writes workflow commands GitHub turns into annotations', async () => {
    const path = file('gh.jsonl', broken.slice(0, 2));
    const r = await cli('validate', '--format', 'github', path);
    expect(r.stdout).toBe(
      `::error file=${path},line=2,title=ovsim unparsable-line::not valid JSON: garbage\n`,
    );
    expect(
      githubCommand({
        file: 'a,b:c.log',
        line: 0,
        rule: 'empty-input',
        severity: 'warning',
        message: '100%\nok',
      }),
    ).toBe('::warning file=a%2Cb%3Ac.log,title=ovsim empty-input::100%25%0Aok\n');
  });

  it('--format sarif writes a SARIF 2.1.0 log with every rule and one result per diagnostic', async () => {
    const path = file('sarif file.jsonl', broken.slice(0, 2));
    const r = await cli('validate', '--format', 'sarif', path);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: Array<{
        tool: { driver: { name: string; rules: Array<{ id: string }> } };
        results: Array<Record<string, unknown>>;
      }>;
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('ovsim');
    expect(run.tool.driver.rules.map((x) => x.id)).toEqual(Object.keys(RULES));
    expect(run.results).toEqual([
      {
        ruleId: 'unparsable-line',
        ruleIndex: 0,
        level: 'error',
        message: { text: 'not valid JSON: garbage' },
        locations: [
          { physicalLocation: { artifactLocation: { uri: encodeURI(path) }, region: { startLine: 2 } } },
        ],
      },
    ]);
  });

  it('refuses contradictory or unknown options with exit 2, naming them', async () => {
    const path = file('x.jsonl', VALID_CDR);
    expect(await cli('validate', '--json', '--format', 'sarif', path)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--json and --format sarif'),
    });
    expect(await cli('validate', '--events', 'sessionCreated,participantjoined', path)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('did you mean "participantJoined"'),
    });
    expect(await cli('validate', '--max-line-size', 'huge', path)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--max-line-size'),
    });
  });

  it('passes a lone - through to list operands, and refuses it by name elsewhere (yargs dropped it)', async () => {
    const { protectDash, restoreDash } = await import('../../src/cli/dash-operand.js');
    const argv = ['validate', 'a', '-', 'b'];
    const args: Record<string, unknown> = { _: ['validate'], files: protectDash(argv).slice(1) };
    restoreDash(argv)(args);
    expect(args).toEqual({ _: ['validate'], files: ['a', '-', 'b'] });
    expect(await cli('generate', 'basic-call', '--out', '-')).toMatchObject({
      code: 2,
      stderr: 'ovsim: "-" (standard input or output) is not accepted for --out\n',
    });
    expect(await cli('generate', '-')).toMatchObject({
      code: 2,
      stderr: 'ovsim: "-" (standard input or output) is not accepted for the scenario operand\n',
    });
  });
});
