/** Mistakes on the command line: exit 2 and a message that says what was meant. */
import { describe, expect, it } from 'vitest';
import { exitCodeOf, normalizeArgv, reportError } from '../../src/cli/main.js';
import { OvsimError, type ErrorCode } from '../../src/errors.js';
import { cli } from './run-cli.js';

describe('did you mean', () => {
  it.each([
    [
      ['generat', 'basic-call'],
      /^ovsim: unknown command "generat"; did you mean "generate"\? Commands: generate, validate, run/,
    ],
    [['sevre'], /unknown command "sevre"; did you mean "serve"\?/],
    [['help', 'scenario'], /unknown command "scenario"; did you mean "scenarios"\?/],
    [['frobnicate'], /unknown command "frobnicate"; Commands: /],
  ])('an unknown command %j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it.each([
    [
      ['generate', 'basic-call', '--sed', '1'],
      /^ovsim: unknown option --sed; did you mean --seed\?\n\(ovsim generate --help lists what it accepts\)\n$/,
    ],
    [['generate', 'basic-call', '--fromat=webhook'], /unknown option --fromat; did you mean --format\?/],
    [
      ['run', 'default', '--webhook-endpont', 'http://127.0.0.1:1/'],
      /unknown option --webhook-endpont; did you mean --webhook-endpoint\?\n/,
    ],
    [['receive', '--no-validat'], /unknown option --validat; did you mean --validate\?/],
    [['serve', '--lgo'], /unknown option --lgo; did you mean --log\?/],
    [['scenarios', '--jsno'], /unknown option --jsno; did you mean --json\?/],
    [['load', 'default', '--zzzzzz'], /^ovsim: unknown option --zzzzzz\n/],
  ])('an unknown flag %j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('names each unknown flag once, as typed, and a surplus word as an argument', async () => {
    const r = await cli('run', 'default', '--webhook-endpont', 'x', '-q');
    expect(r.stderr).toBe(
      'ovsim: unknown option --webhook-endpont; did you mean --webhook-endpoint?\nunknown option -q\n' +
        '(ovsim run --help lists what it accepts)\n',
    );
    const extra = await cli('scenarios', 'extra');
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/^ovsim: unexpected argument "extra"\n/);
  });

  it('a missing argument names it and where the examples are', async () => {
    const r = await cli('generate');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ovsim: missing argument: ovsim generate <scenario> (ovsim generate --help shows examples)\n',
    );
  });
});

describe('help as the first word', () => {
  it('is rewritten into --help', () => {
    expect(normalizeArgv([])).toEqual(['--help']);
    expect(normalizeArgv(['help'])).toEqual(['--help']);
    expect(normalizeArgv(['help', 'serve'])).toEqual(['serve', '--help']);
    expect(normalizeArgv(['generate', 'help'])).toEqual(['generate', 'help']);
  });
});

describe('exit codes: one place maps errors to them', () => {
  it.each([
    ['BAD_INPUT', 2],
    ['NOT_FOUND', 2],
    ['REFUSED', 2],
    ['INTERRUPTED', 130],
    ['IO', 1],
    ['INTERNAL', 1],
  ] as const)('%s → %i', (code: ErrorCode, exit: number) => {
    expect(exitCodeOf(new OvsimError(code, 'x'))).toBe(exit);
  });

  it('anything else is an internal error, exit 1, its stack only with OVSIM_DEBUG', () => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), stderrIsTTY: false };
    expect(reportError(new TypeError('boom'), io)).toBe(1);
    expect(stderr).toBe('ovsim: internal error: boom\novsim: OVSIM_DEBUG=1 shows where\n');
    stderr = '';
    expect(reportError(new OvsimError('IO', 'out.cdr: disk full'), io)).toBe(1);
    expect(stderr).toBe('ovsim: out.cdr: disk full\n');
  });
});
