import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { LATEST_INSTANT } from '../../src/model/time-bounds.js';

/** Runs `ovsim generate` on `text` (written to `name`) with `--out`; the file must not exist after a failure. */
async function generate(name: string, text: string, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'ovsim-times-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  const out = join(dir, 'out.cdr');
  const r = await cli('generate', file, '--out', out, ...args);
  if (r.code !== 0) expect(readdirSync(dir)).toEqual([name]);
  return { ...r, file, out };
}

const CALL = [
  'steps:',
  '  - at: 0s',
  '    createSession: { session: s }',
  '  - at: 1s',
  '    join: { session: s, participant: a }',
  '  - at: 2s',
  '    startRecording: { session: s, recording: r }',
  '  - at: 1m',
  '    leave: { participant: a }',
  '',
].join('\n');

describe('every instant stays within 1970-01-01T00:00:00.001Z … 9999-12-31T23:59:59.999Z (exit 2, located)', () => {
  it('LATEST_INSTANT is the last millisecond of year 9999', () => {
    expect(new Date(LATEST_INSTANT).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(new Date(LATEST_INSTANT + 1).toISOString()).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('refuses a huge finite offset (was "timestamp":1e+303, exit 0)', async () => {
    const r = await generate('huge.yaml', 'steps:\n  - at: 1e300\n    createSession: { session: s1 }\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ovsim: ${r.file}:2:5 steps[0].at: 1e+300 is too long: instants must stay between 1970 and the end of year 9999\n`,
    );
  });

  it('refuses offsets that add up past the range', async () => {
    const steps = Array.from(
      { length: 3 },
      (_, i) => `  - after: 1000000d\n    createSession: { session: s${i} }`,
    );
    const r = await generate('sum.yaml', `steps:\n${steps.join('\n')}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${r.file}:6:5 steps[2]: this step would run at +010237-09-21T00:00:00.000Z, after`,
    );
  });

  it('refuses a start before 1970 in the file (was negative timestamps, exit 0)', async () => {
    const r = await generate('old.yaml', `start: 0001-01-01T00:00:00Z\n${CALL}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ovsim: ${r.file}:1:1 start: 0001-01-01T00:00:00.000Z is before the range of instants OpenVidu logs and ` +
        'ovsim writes (1970-01-01T00:00:00.001Z to 9999-12-31T23:59:59.999Z)\n',
    );
  });

  it('refuses --start 1970-01-01T00:00:00Z (a zero epoch) and accepts one millisecond later', async () => {
    const bad = await generate('call.yaml', CALL, '--start', '1970-01-01T00:00:00Z');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--start\) 1970-01-01T00:00:00\.000Z is before the range/);
    const ok = await generate('call.yaml', CALL, '--start', '1970-01-01T00:00:00.001Z');
    expect(ok.code).toBe(0);
    expect(existsSync(ok.out)).toBe(true);
  });

  it('refuses a step that would run after year 9999, at the step', async () => {
    const r = await generate('late.yaml', CALL, '--start', '9999-12-31T23:59:30Z');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ovsim: ${r.file}:8:5 steps[3]: this step would run at +010000-01-01T00:00:30.000Z, after the range ` +
        'of instants OpenVidu logs and ovsim writes (1970-01-01T00:00:00.001Z to 9999-12-31T23:59:59.999Z); use an ' +
        'earlier start or a shorter offset\n',
    );
  });

  it('refuses a timeout that would fire after year 9999, at the step that set it', async () => {
    // The recording's auto-stop countdown (120 s) starts when the last participant leaves at 23:58:30.
    const r = await generate('autostop.yaml', CALL, '--start', '9999-12-31T23:57:30Z');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^ovsim: ${r.file}:8:5 steps\\[3\\]: auto-stop countdown of \\S+ would happen at \\+010000-01-01T00:00:30\\.000Z, after the range`,
      ),
    );
  });

  it('refuses a timeout longer than a Java int of seconds, at its field', async () => {
    const r = await generate('t.yaml', `openvidu:\n  recordingAutostopTimeout: 1e300\n${CALL}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ovsim: ${r.file}:2:3 openvidu.recordingAutostopTimeout: 1e+300 is too large: the maximum is 2147483647\n`,
    );
  });

  it('refuses a generate: window that ends after year 9999, at generate.duration', async () => {
    const text = 'start: 9999-12-01T00:00:00Z\ngenerate:\n  duration: 60d\n';
    const r = await generate('window.yaml', text);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^ovsim: ${r.file}:3:3 generate\\.duration: sessions would arrive until \\+010000-`),
    );
  });

  it('refuses generated sessions that would run after year 9999, at generate:', async () => {
    const text = [
      'start: 9999-12-31T00:00:00Z',
      'generate:',
      '  duration: 1h',
      '  sessions: { rate: 1/min, limit: 3 }',
      '  mix: { call: 1, meeting: 0, webinar: 0, ipcam: 0 }',
      '  call: { duration: 1000d }',
      '',
    ].join('\n');
    for (const workers of ['1', '2']) {
      // On two threads too: a worker's refusal is the user's to fix (was "internal error: generator thread … failed").
      const r = await generate('long.yaml', text, '--workers', workers);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^ovsim: ${r.file}:2:1 generate: a generated session would still run at \\+010000-`),
      );
    }
  });

  it('accepts a scenario that ends at the very end of year 9999', async () => {
    const r = await generate('end.yaml', CALL, '--start', '9999-12-31T23:55:00Z');
    expect(r.code).toBe(0);
  });
});

describe('start: now', () => {
  it('starts a generated file at the wall clock (was "\\"now\\" is not an ISO 8601 instant", unlocated)', async () => {
    const before = Date.now();
    const r = await generate('now.yaml', `start: now\n${CALL}`);
    expect(r.stderr).not.toContain('not an ISO 8601');
    expect(r.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const first = JSON.parse(readFileSync(r.out, 'utf8').split('\n')[0]!) as {
      sessionCreated: { timestamp: number };
    };
    expect(first.sessionCreated.timestamp).toBeGreaterThanOrEqual(before);
    expect(first.sessionCreated.timestamp).toBeLessThanOrEqual(Date.now());
  });
});
