import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsimError } from '../../src/errors.js';
import { formatDiagnostic, formatSummary, validateFiles } from '../../src/validate/validate-files.js';
import type { Diagnostic } from '../../src/validate/rules.js';
import { SESSION_1, toWebhook, VALID_CDR } from './fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ovsim-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, lines: readonly string[], eol = '\n'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.map((l) => l + eol).join(''), 'utf8');
  return path;
}

describe('validateFiles', () => {
  it('validates several files as one continuous log (a CDR file rolled at midnight)', async () => {
    const day1 = await file('CDR.2020-09-29.log', VALID_CDR.slice(0, 10));
    const day2 = await file('CDR.2020-09-30.log', VALID_CDR.slice(10));
    const result = await validateFiles([day1, day2]);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatchObject({
      lines: 33,
      events: 33,
      errors: 0,
      sessions: { created: 2, destroyed: 2 },
    });
  });

  it('locates diagnostics by file and line within that file', async () => {
    const day1 = await file('a.log', VALID_CDR.slice(0, 10));
    const day2 = await file('b.log', [...VALID_CDR.slice(10, 12), 'garbage', ...VALID_CDR.slice(12)]);
    const result = await validateFiles([day1, day2]);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `${day2}:3: unparsable-line: not valid JSON: garbage`,
    ]);
    expect(result.ok).toBe(false);
  });

  it('reads CRLF files and WebHook-form files', async () => {
    const path = await file('webhook.jsonl', VALID_CDR.map(toWebhook), '\r\n');
    expect((await validateFiles([path])).diagnostics).toEqual([]);
  });

  it('streams diagnostics to onDiagnostic instead of collecting them', async () => {
    const path = await file('late.log', [...SESSION_1, SESSION_1[8] ?? '']);
    const seen: Diagnostic[] = [];
    const result = await validateFiles([path], { onDiagnostic: (d) => void seen.push(d) });
    expect(result.diagnostics).toEqual([]);
    expect(seen.map((d) => d.rule)).toEqual(['after-destroyed']);
    expect(result.summary.errors).toBe(1);
  });

  it("holds reading while onDiagnostic's promise is pending (a slow reader), and ends with its rejection", async () => {
    const broken = Array.from({ length: 200 }, () => 'not json');
    const path = await file('broken.log', broken);
    let seen = 0;
    let release: (() => void) | undefined;
    const run = validateFiles([path], {
      onDiagnostic: () => {
        seen++;
        return seen === 3 ? new Promise<void>((r) => (release = r)) : undefined;
      },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toBe(3);
    release?.();
    expect((await run).summary.errors).toBe(200);
    expect(seen).toBe(200);
    const gone = new OvsimError('IO', 'reader gone');
    await expect(validateFiles([path], { onDiagnostic: () => Promise.reject(gone) })).rejects.toBe(gone);
  });

  it('reads standard input for "-"', async () => {
    const stdin = Readable.from([VALID_CDR.join('\n')]);
    const result = await validateFiles(['-'], { stdin });
    expect(result.summary).toMatchObject({ lines: 33, errors: 0 });
  });

  it('refuses unreadable paths before reading anything', async () => {
    const good = await file('good.log', VALID_CDR);
    const missing = join(dir, 'missing.log');
    const seen: Diagnostic[] = [];
    const run = validateFiles([good, missing], { onDiagnostic: (d) => void seen.push(d) });
    await expect(run).rejects.toBeInstanceOf(OvsimError);
    await expect(run).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(validateFiles([dir])).rejects.toThrow(/not a file/);
    expect(seen).toEqual([]);
  });
});

describe('formatting', () => {
  it('formats a diagnostic as FILE:LINE: RULE: message', () => {
    expect(
      formatDiagnostic({
        file: 'x.log',
        line: 7,
        rule: 'duration',
        message: 'duration 1 is not 2',
        severity: 'error',
      }),
    ).toBe('x.log:7: duration: duration 1 is not 2');
  });

  it('formats a short summary', async () => {
    const path = await file('cut.log', [...SESSION_1.slice(0, 8), 'garbage']);
    const { summary } = await validateFiles([path]);
    expect(formatSummary(summary)).toBe(
      [
        '9 lines, 8 events (OpenVidu 2.20–2.32 field set, detected)',
        'events: sessionCreated 1, participantJoined 2, webrtcConnectionCreated 4, recordingStatusChanged 1',
        'event filter: none given, inferred from the 4 types present; no check skipped',
        'sessions: 1 created, 0 destroyed, 0 begun before the input',
        'open at end of input: 1 session, 2 participants, 4 WebRTC connections, 1 recording',
        '1 error, 0 warnings',
      ].join('\n'),
    );
  });
});
