import { describe, expect, it } from 'vitest';
import type { Actual } from '../../src/score/actual-schema.js';
import { compareWithTruth } from '../../src/score/compare.js';
import type { DivergenceKind } from '../../src/score/divergence.js';
import { judge } from '../../src/score/verdict.js';
import { TruthBuilder } from '../../src/truth/build-truth.js';
import type { Truth } from '../../src/truth/truth-schema.js';

/**
 * Two sessions: s1 (alice 0–100 s, bob 10–70 s, recording r1 ready), s2 (carol 200 s – open at the end, 300 s);
 * s1 and s3 share the sessionId "room" (s3: nobody joins).
 */
function truth(): Truth {
  const b = new TruthBuilder();
  const ids = (u: string, s = 'room') => ({ sessionId: s, uniqueSessionId: u });
  b.add({ kind: 'sessionCreated', at: 0, ...ids('room_0') });
  b.add({
    kind: 'participantJoined',
    at: 0,
    ...ids('room_0'),
    participantId: 'alice',
    participantKind: 'WEBRTC',
  });
  b.add({
    kind: 'participantJoined',
    at: 10_000,
    ...ids('room_0'),
    participantId: 'bob',
    participantKind: 'WEBRTC',
  });
  const rec = {
    ...ids('room_0'),
    recordingId: 'room',
    outputMode: 'COMPOSED',
    startedAt: 20_000,
    reason: undefined,
  };
  b.add({ kind: 'recordingStatus', at: 20_000, ...rec, status: 'started', durationSeconds: 0, size: 0 });
  b.add({
    kind: 'participantLeft',
    at: 70_000,
    ...ids('room_0'),
    participantId: 'bob',
    reason: 'disconnect',
  });
  b.add({
    kind: 'participantLeft',
    at: 100_000,
    ...ids('room_0'),
    participantId: 'alice',
    reason: 'disconnect',
  });
  b.add({ kind: 'recordingStatus', at: 100_000, ...rec, status: 'stopped', durationSeconds: 80, size: 9 });
  b.add({ kind: 'recordingStatus', at: 101_000, ...rec, status: 'ready', durationSeconds: 80, size: 9 });
  b.add({ kind: 'sessionDestroyed', at: 100_000, ...ids('room_0'), reason: 'lastParticipantLeft' });
  b.add({ kind: 'sessionCreated', at: 150_000, ...ids('s2_150000', 's2') });
  b.add({
    kind: 'participantJoined',
    at: 200_000,
    ...ids('s2_150000', 's2'),
    participantId: 'carol',
    participantKind: 'WEBRTC',
  });
  b.add({ kind: 'sessionCreated', at: 300_000, ...ids('room_300000') });
  return b.finish({ scenario: 't', seed: '1', start: 0, openviduVersion: '2.32', edition: 'ce' });
}

/** The view of a perfect consumer, keyed by uniqueSessionId. */
function perfect(): Actual {
  return {
    sessions: [
      {
        sessionId: 'room',
        uniqueSessionId: 'room_0',
        open: false,
        participants: [
          { participantId: 'alice', seconds: 100, online: false },
          { participantId: 'bob', minutes: 1, online: false },
        ],
      },
      {
        sessionId: 's2',
        uniqueSessionId: 's2_150000',
        open: true,
        participants: [{ participantId: 'carol', seconds: 5, online: true }],
      },
      { sessionId: 'room', uniqueSessionId: 'room_300000', open: true, participants: [] },
    ],
    recordings: [{ id: 'room', status: 'ready', processed: 1 }],
  };
}

const kinds = (a: Actual, o = {}): DivergenceKind[] =>
  compareWithTruth(truth(), a, o).divergences.map((d) => d.kind);

describe('compareWithTruth', () => {
  it('finds nothing in a perfect view; an open participant’s seconds are not compared, and said so', () => {
    const r = compareWithTruth(truth(), perfect());
    expect(r.divergences).toEqual([]);
    expect(r.keyedBy).toBe('uniqueSessionId');
    expect(r.notes.join()).toMatch(/1 participant\(s\) still connected/);
    expect(judge(r, {}).passed).toBe(true);
  });

  it('tolerates the truncation of CDR durations (1 s per participant by default), no more', () => {
    const a = perfect();
    a.sessions[0]!.participants![0]!.seconds = 99.01;
    expect(kinds(a)).toEqual([]);
    a.sessions[0]!.participants![0]!.seconds = 98.9;
    const r = compareWithTruth(truth(), a);
    expect(r.divergences).toMatchObject([
      { kind: 'minutes-lost', participantId: 'alice', expected: 100, actual: 98.9 },
    ]);
    expect(r.divergences[0]?.seconds).toBeCloseTo(1.1, 9);
    expect(kinds(a, { toleranceSeconds: 2 })).toEqual([]);
  });

  it('double-counted minutes, a participant listed twice, still online, and a session still open', () => {
    const a = perfect();
    const s1 = a.sessions[0]!;
    s1.open = true;
    s1.participants!.push({ participantId: 'bob', seconds: 60, online: true });
    const r = compareWithTruth(truth(), a);
    expect(r.divergences.map((d) => d.kind)).toEqual([
      'session-still-open',
      'duplicate-participant',
      'participant-still-online',
      'minutes-overcounted',
    ]);
    expect(r.divergences[3]).toMatchObject({ participantId: 'bob', seconds: 60, expected: 60, actual: 120 });
    expect(r.totals.overcountedSeconds).toBe(60);
    expect(r.totals.lostSeconds).toBe(0);
  });

  it('missing and extra sessions and participants, with the seconds at stake', () => {
    const a = perfect();
    a.sessions.splice(1, 1); // s2 missing
    a.sessions[0]!.participants!.splice(1, 1, { participantId: 'mallory', seconds: 42 });
    a.sessions.push({ sessionId: 'ghost', uniqueSessionId: 'ghost_1', seconds: 7 });
    const r = compareWithTruth(truth(), a);
    expect(r.divergences.map((d) => [d.kind, d.seconds])).toEqual([
      ['missing-participant', 60],
      ['extra-participant', 42],
      ['missing-session', 100], // carol, open: counted until the end of the run (300 s)
      ['extra-session', 7],
    ]);
    expect(r.totals.lostSeconds).toBe(160);
    expect(r.totals.overcountedSeconds).toBe(49);
  });

  it('a recording processed twice, with a wrong final status, missing or never made', () => {
    const a = perfect();
    a.recordings = [
      { id: 'room', status: 'stopped', processed: 2 },
      { id: 'other', status: 'ready' },
    ];
    expect(kinds(a)).toEqual(['recording-status', 'recording-processed-twice', 'extra-recording']);
    a.recordings = [];
    expect(kinds(a)).toEqual(['missing-recording']);
    delete a.recordings;
    const r = compareWithTruth(truth(), a);
    expect(r.divergences).toEqual([]);
    expect(r.notes.join()).toMatch(/recordings not scored/);
  });

  it('matches by sessionId when a view lacks uniqueSessionId, taking sessions that share it together', () => {
    const r = compareWithTruth(truth(), {
      sessions: [
        {
          sessionId: 'room',
          participants: [
            { participantId: 'alice', seconds: 100 },
            { participantId: 'bob', seconds: 60 },
          ],
        },
        { sessionId: 's2', participants: [{ participantId: 'carol', seconds: 1, online: true }] },
      ],
    });
    expect(r.keyedBy).toBe('sessionId');
    expect(r.divergences).toEqual([]);
    expect(r.totals.sessions).toEqual({ truth: 2, actual: 2 });
  });

  it('a session given as a total: its tolerance is 1 s per participant', () => {
    const view = (seconds: number): Actual => ({
      sessions: [
        { sessionId: 'room', uniqueSessionId: 'room_0', seconds },
        { sessionId: 's2', uniqueSessionId: 's2_150000', minutes: 1 },
        { sessionId: 'room', uniqueSessionId: 'room_300000', seconds: 0 },
      ],
    });
    expect(kinds(view(161.9))).toEqual([]);
    expect(kinds(view(162.1))).toEqual(['minutes-overcounted']);
    expect(kinds(view(320))).toEqual(['minutes-overcounted']);
  });

  it('a CSV export cannot list empty sessions: they are not expected of it', () => {
    const a = perfect();
    a.sessions.pop();
    expect(kinds(a)).toEqual(['missing-session']);
    expect(kinds(a, { expectsEmptySessions: false })).toEqual([]);
  });

  it('side effects done more than once are divergences judged by their own threshold', () => {
    const effects = new Map([
      ['charge:room_0', 3],
      ['charge:s2', 1],
    ]);
    const r = compareWithTruth(truth(), perfect(), { effects });
    expect(r.divergences).toMatchObject([{ kind: 'duplicate-effect', effect: 'charge:room_0', count: 2 }]);
    expect(r.totals.effects).toEqual({ distinct: 2, total: 4, duplicates: 2 });
    expect(judge(r, {}).breaches).toEqual(['2 duplicate side effect(s) > 0 (--max-duplicate-effects)']);
    expect(judge(r, { maxDuplicateEffects: 2 }).passed).toBe(true);
  });

  it('hands every divergence to the evidence hook and keeps what it returns', () => {
    const a = perfect();
    a.sessions.pop();
    const seen: string[] = [];
    const drop = {
      kind: 'fault' as const,
      fault: 'drop' as const,
      event: {
        seq: 0,
        type: 'sessionCreated',
        sessionId: 's2',
        uniqueSessionId: 's2',
        participantId: null,
        recordingId: null,
        timestamp: 0,
        digest: '0123456789abcdef',
      },
    };
    const r = compareWithTruth(truth(), a, {
      explain: (d) => {
        seen.push(d.kind);
        return { journal: [drop], reproduce: 'ovsim run … --chaos drop' };
      },
    });
    expect(seen).toEqual(['missing-session']);
    expect(r.divergences[0]?.evidence).toEqual({ journal: [drop], reproduce: 'ovsim run … --chaos drop' });
  });
});

describe('judge', () => {
  it('counts divergences against --max-divergences, or judges minutes by --max-minutes-error when given', () => {
    const a = perfect();
    a.sessions[0]!.participants![0]!.seconds = 110; // +10 s over 260 s of truth (carol counted until the end)
    a.recordings = [{ id: 'room', status: 'stopped' }];
    const r = compareWithTruth(truth(), a);
    expect(judge(r, {}).breaches).toEqual(['2 divergence(s) > 0 (--max-divergences)']);
    expect(judge(r, { maxDivergences: 2 }).passed).toBe(true);
    const v = judge(r, { maxMinutesError: 0.05, maxDivergences: 1 });
    expect(v.passed).toBe(true);
    expect(v.minutesError).toBeCloseTo(10 / 260, 9);
    expect(judge(r, { maxMinutesError: 0.01, maxDivergences: 1 }).breaches).toEqual([
      'participant time off by 3.85% > 1.00% (--max-minutes-error)',
    ]);
  });
});
