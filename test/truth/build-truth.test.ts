import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { OvsimError } from '../../src/errors.js';
import { perMinute, peakOf } from '../../src/truth/billing.js';
import { TruthBuilder } from '../../src/truth/build-truth.js';
import { generateWithTruth } from './helpers.js';

const OPEN_AT_END = `name: open-at-end
steps:
  - at: 0s
    createSession: { session: s1 }
  - at: 1s
    join: { session: s1, participant: alice }
  - at: 2s
    join: { session: s1, participant: bob }
  - at: 3s
    publish: { participant: alice }
  - at: 10s
    leave: { participant: bob }
  - at: 20s
    startRecording: { session: s1, recording: r1 }
  - at: 30s
    createSession: { session: s2 }
`;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ovsim-truth-'));
}

describe('entities still open at the end of the run', () => {
  it('are counted until the last instant the engine reported and flagged open', async () => {
    const file = join(tmp(), 'open.yaml');
    writeFileSync(file, OPEN_AT_END);
    const { events, truth } = await generateWithTruth(file);
    const lastInstant = Math.max(...events.map((e) => e['timestamp'] as number));
    expect(truth.run.end).toBe(lastInstant);
    const [s1, s2] = truth.sessions;
    expect(s1?.open).toBe(true);
    expect(s1?.destroyedAt).toBeNull();
    expect(s1?.durationSeconds).toBe((truth.run.end - (s1?.createdAt ?? 0)) / 1000);
    const [alice, bob] = s1?.participants ?? [];
    expect(alice).toMatchObject({ open: true, leftAt: null, reason: null });
    expect(alice?.connectedSeconds).toBe((truth.run.end - (alice?.joinedAt ?? 0)) / 1000);
    expect(bob).toMatchObject({ open: false, reason: 'disconnect' });
    expect(bob?.connectedSeconds).toBeCloseTo(8, 0);
    expect(s1?.billing.participantSeconds).toBe(
      (truth.run.end - (alice?.joinedAt ?? 0) + (bob?.leftAt ?? 0) - (bob?.joinedAt ?? 0)) / 1000,
    );
    expect(s1?.billing.peakParticipants).toBe(2);
    expect(truth.recordings).toMatchObject([
      { status: 'started', open: true, statuses: ['started'], stoppedAt: null },
    ]);
    expect(s2).toMatchObject({
      open: true,
      participants: [],
      billing: { participants: 0, participantSeconds: 0 },
    });
  });
});

describe('generate --truth', () => {
  it('writes the same truth for the same seed whatever the output format', async () => {
    const a = await generateWithTruth('default');
    const dir = tmp();
    const r = await cli('generate', 'default', '--out', join(dir, 'x.cdr'), '--truth', join(dir, 't.json'));
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 't.json'), 'utf8')).toBe(readFileSync(a.truthFile, 'utf8'));
    const other = await cli(
      'generate',
      'default',
      '--seed',
      '7',
      '--out',
      join(dir, 'y.cdr'),
      '--truth',
      join(dir, 'u.json'),
    );
    expect(other.code).toBe(0);
    expect(readFileSync(join(dir, 'u.json'), 'utf8')).not.toBe(readFileSync(a.truthFile, 'utf8'));
  });

  it('refuses to write the truth over the output (exit 2, nothing written)', async () => {
    const dir = tmp();
    const r = await cli(
      'generate',
      'basic-call',
      '--out',
      join(dir, 'same.json'),
      '--truth',
      join(dir, 'same.json'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--truth .*same\.json is also --out/);
    expect(existsSync(join(dir, 'same.json'))).toBe(false);
  });

  it('leaves no output behind when the truth cannot be written', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'file'), 'not a directory');
    const r = await cli(
      'generate',
      'basic-call',
      '--out',
      join(dir, 'out.jsonl'),
      '--truth',
      join(dir, 'file', 't.json'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/file/);
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
  });

  it('records a Pro cluster’s media nodes, their status changes and crashes', async () => {
    const { truth } = await generateWithTruth('pro-node-faults');
    expect(truth.mediaNodes.length).toBeGreaterThan(1);
    expect(truth.mediaNodes.some((n) => n.crashes > 0)).toBe(true);
    for (const n of truth.mediaNodes) expect(n.status).toBe(n.statuses.at(-1)?.status ?? 'unknown');
  });
});

describe('billing aggregates', () => {
  const iv = (from: number, to: number, key: string) => ({ from, to, key });

  it('peak: an interval ending is not concurrent with one starting at the same instant', () => {
    expect(peakOf([iv(0, 10, 'a'), iv(10, 20, 'a')])).toBe(1);
    expect(peakOf([iv(0, 90_000, 'a'), iv(30_000, 60_000, 'b'), iv(59_999, 70_000, 'c')])).toBe(3);
    expect(peakOf([iv(5, 5, 'a')])).toBe(0);
  });

  it('per minute: connected seconds split at UTC minute boundaries, participants and sessions seen in each', () => {
    const minutes = perMinute([
      iv(0, 90_000, 'a'),
      iv(30_000, 60_000, 'b'),
      iv(60_000, 60_000, 'c'),
      iv(150_000, 150_500, 'a'),
    ]);
    expect(minutes).toEqual([
      { start: 0, participantSeconds: 90, participants: 2, sessions: 2 },
      { start: 60_000, participantSeconds: 30, participants: 2, sessions: 2 },
      { start: 120_000, participantSeconds: 0.5, participants: 1, sessions: 1 },
    ]);
  });
});

describe('the fold', () => {
  it('refuses an impossible order instead of inventing a participant', () => {
    const b = new TruthBuilder();
    b.add({ kind: 'sessionCreated', at: 0, sessionId: 's', uniqueSessionId: 's_0' });
    expect(() =>
      b.add({
        kind: 'participantLeft',
        at: 5,
        sessionId: 's',
        uniqueSessionId: 's_0',
        participantId: 'con_x',
        reason: 'disconnect',
      }),
    ).toThrow(OvsimError);
  });

  it('takes an explicit end later than the last fact for what is still open', () => {
    const b = new TruthBuilder();
    b.add({ kind: 'sessionCreated', at: 0, sessionId: 's', uniqueSessionId: 's_0' });
    b.add({
      kind: 'participantJoined',
      at: 1000,
      sessionId: 's',
      uniqueSessionId: 's_0',
      participantId: 'con_x',
      participantKind: 'WEBRTC',
    });
    const t = b.finish({
      scenario: 'x',
      seed: '1',
      start: 0,
      end: 61_000,
      openviduVersion: '2.32',
      edition: 'ce',
    });
    expect(t.run.end).toBe(61_000);
    expect(t.sessions[0]?.participants[0]?.connectedSeconds).toBe(60);
    expect(t.billing.participantMinutes).toBe(1);
    expect(t.billing.perMinute.map((m) => m.participantSeconds)).toEqual([59, 1]);
  });
});
