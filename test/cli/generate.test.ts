import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const run = promisify(execFile);
const tmp = () => mkdtempSync(join(tmpdir(), 'ovsim-cli-'));
const golden = (name: string) =>
  readFileSync(new URL(`../golden/${name}.cdr.jsonl`, import.meta.url), 'utf8');

describe('ovsim generate', () => {
  it('writes the bundled scenario to --out and a summary to stderr', async () => {
    const dir = tmp();
    const out = join(dir, 'basic.cdr');
    const r = await cli('generate', 'basic-call', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(golden('basic-call'));
    expect(r.stderr).toMatch(/wrote CDR lines to .*basic\.cdr/);
    expect(r.stderr).toMatch(
      /14 events \(sessionCreated 1, participantJoined 2, .*\), 1 sessions, virtual span 2m 06s/,
    );
  });

  it('gives the same bytes for the same seed and start, and other bytes for another seed', async () => {
    const dir = tmp();
    const paths = ['a', 'b', 'c'].map((n) => join(dir, n));
    await cli('generate', 'default', '--seed', '42', '--start', '2025-03-01T10:00:00Z', '--out', paths[0]!);
    await cli('generate', 'default', '--seed', '42', '--start', '2025-03-01T10:00:00Z', '--out', paths[1]!);
    await cli('generate', 'default', '--seed', '43', '--start', '2025-03-01T10:00:00Z', '--out', paths[2]!);
    const [a, b, c] = paths.map((p) => readFileSync(p, 'utf8'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toContain('"uniqueSessionId":"DailyStandup_1740823200000"');
  });

  it('writes WebHook bodies with --format webhook', async () => {
    const out = join(tmp(), 'w');
    await cli('generate', 'basic-call', '--format', 'webhook', '--out', out);
    const first = readFileSync(out, 'utf8').split('\n')[0]!;
    expect(first).toMatch(
      /^\{"sessionId":"ses_[A-Z][0-9A-Za-z]{9}","uniqueSessionId":"[^"]+","timestamp":\d+,"event":"sessionCreated"\}$/,
    );
  });

  it('writes the 2.16 field set with --openvidu-version 2.16', async () => {
    const out = join(tmp(), 'old');
    await cli('generate', 'signals-and-filters', '--openvidu-version', '2.16', '--out', out);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('uniqueSessionId');
    expect(text).not.toContain('signalSent');
    expect(text).not.toContain('"connectionId"');
  });
});

describe('bad input: exit 2, a message naming file, line, column and field, nothing written', () => {
  it('an invalid scenario', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'steps:\n  - at: 1s\n    publish: { participant: bob, videoSource: WEBCAM }\n');
    const out = join(dir, 'out.cdr');
    const r = await cli('generate', file, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3:34 steps[0].publish.videoSource:`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('a step OpenVidu would refuse, located at the step; no temporary file left behind', async () => {
    const dir = tmp();
    const file = join(dir, 'refused.yaml');
    writeFileSync(
      file,
      [
        'steps:',
        '  - at: 0s',
        '    createSession: { session: s }',
        '  - at: 1s',
        '    join: { session: s, participant: bob }',
        '  - at: 2s',
        '    publish: { participant: bob }',
        '  - at: 3s',
        '    publish: { participant: bob }',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out.cdr');
    const r = await cli('generate', file, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ovsim: ${file}:9:5 steps[3].publish: participant "bob" is already publishing\n`);
    expect(readdirSync(dir).sort()).toEqual(['refused.yaml']);
  });

  it('an unknown scenario name lists the bundled ones', async () => {
    const r = await cli('generate', 'no-such-scenario');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file or scenario "no-such-scenario"; bundled scenarios: .*basic-call/);
  });

  it.each([
    [['generate', 'basic-call', '--start', 'yesterday'], /--start "yesterday" is not an ISO 8601 instant/],
    [['generate', 'basic-call', '--format', 'xml'], /Invalid values:[\s\S]*format/],
    [['generate', 'basic-call', '--openvidu-version', '3.1'], /unsupported OpenVidu version "3.1"/],
    [['generate'], /missing argument: ovsim generate <scenario>/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('bad option %j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('ovsim scenarios and help', () => {
  it('lists every bundled scenario with its description', async () => {
    const r = await cli('scenarios');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^basic-call +A one-to-one video call/m);
    expect(r.stdout).toMatch(/^server-shutdown +OpenVidu Server stops/m);
  });

  it('documents every option with its default', async () => {
    const r = await cli('generate', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--format +cdr: .*OpenVidu 2 only, the default there/s);
    expect(r.stdout).toMatch(/--server .*default: the scenario's openvidu.server, else openvidu2/s);
    expect(r.stdout).toContain('2024-01-01T00:00:00.000Z');
  });

  it('exits with the code through the real process', async () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const err = await run(tsx, ['src/cli/bin.ts', 'generate', 'nope']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((err as { code: number }).code).toBe(2);
    const ok = await run(tsx, ['src/cli/bin.ts', 'generate', 'basic-call']);
    expect(ok.stdout).toBe(golden('basic-call'));
  });
});

describe('generate --workers default', () => {
  it('is one per core up to 4, and 1 on machines of 2 cores or fewer', async () => {
    const { defaultWorkers } = await import('../../src/cli/commands/generate.js');
    expect([1, 2, 3, 4, 8, 64].map((cores) => defaultWorkers(cores))).toEqual([1, 1, 3, 4, 4, 4]);
  });
});
