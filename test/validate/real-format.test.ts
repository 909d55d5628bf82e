/**
 * Lines as real OpenVidu 2.13, 2.16 and Pro 2.17 servers wrote them pass `ovsim validate` without options
 * (issue 17): the version is detected from what the lines show, filtered WebHook streams are recognised.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { toWebhook } from './fixtures.js';
import {
  OPENVIDU_2_13_CAPTURED,
  OPENVIDU_2_13_SESSION,
  OPENVIDU_2_16_RECORDINGS_ONLY,
  OPENVIDU_2_16_SESSIONS_ONLY,
  OPENVIDU_2_16_WEBHOOK,
  OPENVIDU_PRO_2_17_CDR,
} from './real-format-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'ovsim-real-'));
function file(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

/** `ovsim validate FILE` without options: exit code, diagnostics and the summary's first lines. */
async function validate(name: string, lines: readonly string[]) {
  const r = await cli('validate', file(name, lines));
  return { code: r.code, diagnostics: r.stdout, head: r.stderr.split('\n').slice(0, 3) };
}

describe('real lines pass ovsim validate without options', () => {
  it('OpenVidu 2.13, captured (OpenVidu issue #433) and the session around them', async () => {
    for (const [name, lines] of [
      ['captured-2.13.cdr.log', OPENVIDU_2_13_CAPTURED],
      ['session-2.13.cdr.log', OPENVIDU_2_13_SESSION],
    ] as const) {
      const r = await validate(name, lines);
      expect(r).toMatchObject({ code: 0, diagnostics: '' });
      expect(r.head[0]).toBe(
        `${lines.length} lines, ${lines.length} events (OpenVidu 2.12–2.16 field set, detected)`,
      );
    }
  });

  it('OpenVidu 2.16 WebHooks: the e2e webhookTest flow', async () => {
    const r = await validate('hooks-2.16.jsonl', OPENVIDU_2_16_WEBHOOK);
    expect(r).toMatchObject({ code: 0, diagnostics: '' });
    expect(r.head[2]).toBe('event filter: none given, inferred from the 8 types present; no check skipped');
  });

  it('OpenVidu 2.16 WebHooks behind OPENVIDU_WEBHOOK_EVENTS: sessions only, recordings only', async () => {
    const sessions = await validate('sessions-2.16.jsonl', OPENVIDU_2_16_SESSIONS_ONLY);
    expect(sessions).toMatchObject({ code: 0, diagnostics: '' });
    expect(sessions.head[2]).toBe(
      'event filter: none given, inferred from the 2 types present; 2 checks skipped for want of participantJoined',
    );
    expect(await validate('recordings-2.16.jsonl', OPENVIDU_2_16_RECORDINGS_ONLY)).toMatchObject({
      code: 0,
      diagnostics: '',
    });
  });

  it('OpenVidu Pro 2.17 CDR: detected as 2.17 (no frameRate, no ip; recordingStarted after the status)', async () => {
    const r = await validate('pro-2.17.cdr.log', OPENVIDU_PRO_2_17_CDR);
    expect(r).toMatchObject({ code: 0, diagnostics: '' });
    expect(r.head[0]).toBe(`17 lines, 17 events (OpenVidu 2.17 field set, detected)`);
  });

  it('OpenVidu Pro 2.17 WebHook filtered to recordingStatusChanged (the false "no sessionCreated … within the input")', async () => {
    const hooks = OPENVIDU_PRO_2_17_CDR.filter((l) => l.startsWith('{"recordingStatusChanged"')).map(
      toWebhook,
    );
    expect(hooks).toHaveLength(3);
    const late = [
      ...hooks,
      ...hooks.map((l) =>
        l
          .replaceAll('ses_Ix3aK7BbVq', 'ses_Mm8Qw1Zx0r')
          .replaceAll('16112300', '16112400')
          .replaceAll('16112301', '16112401'),
      ),
    ];
    expect(await validate('recordings-2.17.jsonl', late)).toMatchObject({ code: 0, diagnostics: '' });
  });
});
