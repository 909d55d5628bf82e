import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveOpenviduConfig } from '../../src/config/openvidu-config.js';
import { startRun } from '../../src/runtime/run.js';
import { readScenario } from '../../src/scenario/read-scenario.js';
import { resolveSettings } from '../../src/scenario/simulate-scenario.js';
import { cli } from '../cli/run-cli.js';
import { tempDir } from './helpers.js';

const CONSOLE_LINE =
  /^\[INFO\] (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) \[([^\]]{1,80})\] io\.openvidu\.server\.cdr\.CDRLoggerFile - (\{.*\})$/;

/** The messages of the console lines, checking each line's format and that times never go back. */
function messagesOf(stdout: string): string[] {
  const lines = stdout.trimEnd().split('\n');
  let last = '';
  return lines.map((line) => {
    const m = CONSOLE_LINE.exec(line);
    expect(m, line).not.toBeNull();
    expect(m![1]! >= last).toBe(true);
    last = m![1]!;
    return m![3]!;
  });
}

describe('--cdr-stdout', () => {
  it('echoes every CDR file line, in order, through the run runtime', async () => {
    const dir = tempDir();
    const scenario = await readScenario('basic-call');
    const settings = resolveSettings(scenario);
    const config = resolveOpenviduConfig({ flags: { OPENVIDU_CDR: 'true', OPENVIDU_CDR_PATH: dir } });
    let stdout = '';
    const handle = startRun({ scenario, settings, config, cdrEcho: (t) => void (stdout += t) });
    const result = await handle.done;
    const file = readFileSync(result.cdrFiles[0]!, 'utf8').trimEnd().split('\n');
    expect(file.length).toBeGreaterThan(5);
    expect(messagesOf(stdout)).toEqual(file);
    // The first line is logged at the virtual time of the first event (the scenario's start, UTC).
    expect(stdout.startsWith(`[INFO] ${new Date(settings.start).toISOString().slice(0, 10)} `)).toBe(true);
  });

  it('ovsim run --cdr-stdout prints the lines on stdout and nothing else', async () => {
    const dir = tempDir();
    const r = await cli('run', 'default', '--speed', 'max', '--cdr-path', dir, '--cdr-stdout');
    expect(r.code).toBe(0);
    const cdrFile = /ovsim: CDR: (\S+)/.exec(r.stderr)![1]!;
    expect(messagesOf(r.stdout)).toEqual(readFileSync(cdrFile, 'utf8').trimEnd().split('\n'));
    const quiet = await cli('run', 'default', '--speed', 'max', '--cdr-path', tempDir());
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
  });

  it('is refused (exit 2) when the CDR file is off or delivery is load', async () => {
    const off = await cli('run', 'default', '--speed', 'max', '--cdr-stdout');
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('--cdr-stdout');
    const load = await cli(
      'run',
      'default',
      '--delivery',
      'load',
      '--cdr-stdout',
      '--webhook-endpoint',
      'http://127.0.0.1:1/',
    );
    expect(load.code).toBe(2);
    expect(load.stderr).toContain('--cdr-stdout');
  });
});
