// COMPOSED_QUICK_START is in io.openvidu.java.client.Recording.OutputMode from v2.15.0; v2.14.0's enum has only
// COMPOSED and INDIVIDUAL (OpenVidu/openvidu, openvidu-java-client/.../Recording.java at both tags).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';

async function generate(text: string, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'ovsim-quickstart-'));
  const file = join(dir, 'qs.yaml');
  writeFileSync(file, text);
  const out = join(dir, 'out.cdr');
  const r = await cli('generate', file, '--out', out, ...args);
  if (r.code !== 0) expect(readdirSync(dir)).toEqual(['qs.yaml']);
  return { ...r, file };
}

const STEPS = [
  'steps:',
  '  - at: 0s',
  '    createSession: { session: s, recordingMode: ALWAYS, defaultRecording: { outputMode: COMPOSED_QUICK_START } }',
  '  - at: 0s',
  '    createSession: { session: t }',
  '  - at: 1s',
  '    join: { session: t, participant: a }',
  '  - at: 2s',
  '    startRecording:',
  '      session: t',
  '      outputMode: COMPOSED_QUICK_START',
  '  - at: 1m',
  '    leave: { participant: a }',
  '',
].join('\n');

describe('COMPOSED_QUICK_START under OpenVidu 2.12–2.14 is a located scenario error', () => {
  it('refuses a step and a session default of a 2.14 scenario, each at its field, exit 2, nothing written', async () => {
    const r = await generate(`openvidu: { version: "2.14" }\n${STEPS}`);
    expect(r.code).toBe(2);
    const why =
      'arrived in OpenVidu 2.15; OpenVidu 2.14 does not have it (use COMPOSED, or run as 2.15 or later)';
    expect(r.stderr).toContain(
      `${r.file}:4:77 steps[0].createSession.defaultRecording.outputMode: outputMode COMPOSED_QUICK_START ${why}`,
    );
    expect(r.stderr).toContain(
      `${r.file}:12:7 steps[3].startRecording.outputMode: outputMode COMPOSED_QUICK_START ${why}`,
    );
  });

  it('refuses it when --openvidu-version 2.12 overrides a file that says nothing', async () => {
    const r = await generate(STEPS, '--openvidu-version', '2.12');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OpenVidu 2.12 does not have it');
  });

  it('runs the same scenario as 2.15', async () => {
    const r = await generate(STEPS, '--openvidu-version', '2.15');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote CDR lines');
  });
});
