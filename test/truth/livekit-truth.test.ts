/**
 * The ground truth of an OpenVidu 3 (LiveKit) run (`--truth` with `--server openvidu3`): rooms by name and `RM_` sid,
 * participants by `PA_` sid from `joinedAtMs` to `participant_left`, aborted connections and the egress recorder not
 * counted — and `ovsim score` tells a consumer that keys participants by sid from one that keys them by identity
 * and so falls for the fast-reconnect trap.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempDir } from '../webhook/helpers.js';

interface Lk {
  event: string;
  createdAt: string;
  room?: { name?: string; sid?: string };
  participant?: { sid?: string; identity?: string; joinedAtMs?: string; kind?: string };
}
interface TruthDoc {
  run: { server?: string };
  sessions: {
    sessionId: string;
    uniqueSessionId: string;
    participants: { participantId: string; connectedSeconds: number }[];
  }[];
}

/** `generate <scenario> --server openvidu3 --truth`: the bodies and the truth. */
async function generated(scenario: string): Promise<{ events: Lk[]; truth: TruthDoc; dir: string }> {
  const dir = tempDir();
  const r = await cli(
    'generate',
    scenario,
    '--server',
    'openvidu3',
    '--out',
    join(dir, 'hooks.jsonl'),
    '--truth',
    join(dir, 'truth.json'),
  );
  expect(r.code, r.stderr).toBe(0);
  const events = readFileSync(join(dir, 'hooks.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Lk);
  return { events, truth: JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as TruthDoc, dir };
}

/** A consumer's participant seconds per room, its participants keyed by `key`: joinedAtMs to participant_left. */
function consumer(events: readonly Lk[], key: 'sid' | 'identity') {
  const rooms = new Map<string, Map<string, { from: number; seconds: number }>>();
  for (const e of events) {
    const p = e.participant;
    if (!p || !e.room?.name || p.kind === 'EGRESS') continue;
    const room = rooms.get(e.room.name) ?? new Map<string, { from: number; seconds: number }>();
    rooms.set(e.room.name, room);
    const id = p[key]!;
    if (e.event === 'participant_joined') room.set(id, { from: Number(p.joinedAtMs) / 1000, seconds: 0 });
    if (e.event === 'participant_left') {
      const open = room.get(id);
      if (open && open.from >= 0) room.set(id, { from: -1, seconds: Number(e.createdAt) - open.from });
    }
  }
  // Keyed by sid: per participant. Keyed by identity (the trap): only the room's total makes sense.
  return {
    sessions: [...rooms].map(([sessionId, ps]) =>
      key === 'sid'
        ? {
            sessionId,
            participants: [...ps].map(([participantId, p]) => ({ participantId, seconds: p.seconds })),
          }
        : { sessionId, seconds: [...ps.values()].reduce((n, p) => n + p.seconds, 0) },
    ),
  };
}

describe('the ground truth of a LiveKit run', () => {
  it('names rooms and participants as LiveKit does, and counts what LiveKit says', async () => {
    const { events, truth } = await generated('lk-recorder-participant');
    expect(truth.run.server).toBe('openvidu3');
    const joined = events.filter((e) => e.event === 'participant_joined' && e.participant?.kind !== 'EGRESS');
    expect(events.some((e) => e.participant?.kind === 'EGRESS')).toBe(true);
    const sids = truth.sessions.flatMap((s) => s.participants.map((p) => p.participantId)).sort();
    expect(sids).toEqual(joined.map((e) => e.participant!.sid!).sort());
    for (const s of truth.sessions) {
      expect(s.uniqueSessionId).toMatch(/^RM_/);
      for (const p of s.participants) {
        const left = events.find(
          (e) => e.event === 'participant_left' && e.participant?.sid === p.participantId,
        )!;
        const from = Number(
          joined.find((e) => e.participant!.sid === p.participantId)!.participant!.joinedAtMs,
        );
        // participant_left's createdAt is whole seconds.
        expect(Math.abs(Number(left.createdAt) - from / 1000 - p.connectedSeconds)).toBeLessThan(1);
      }
    }
  });

  it("keeps each file egress as a recording, with egress_ended's status, duration and size", async () => {
    const { events, truth } = await generated('recording-modes');
    const doc = truth as TruthDoc & {
      recordings: { id: string; status: string; durationSeconds: number; size: number }[];
    };
    const ended = events.filter((e) => e.event === 'egress_ended') as (Lk & {
      egressInfo: { egressId: string; status: string; fileResults?: { duration?: string; size?: string }[] };
    })[];
    expect(ended.length).toBeGreaterThan(1);
    expect(doc.recordings.map((r) => r.id).sort()).toEqual(ended.map((e) => e.egressInfo.egressId).sort());
    for (const e of ended) {
      const r = doc.recordings.find((x) => x.id === e.egressInfo.egressId)!;
      expect(r.status).toBe(e.egressInfo.status === 'EGRESS_COMPLETE' ? 'ready' : 'failed');
      const file = e.egressInfo.fileResults?.[0];
      expect(r.durationSeconds).toBe(Number(file?.duration ?? 0) / 1e9);
      expect(r.size).toBe(Number(file?.size ?? 0));
    }
    expect(doc.recordings.some((r) => r.status === 'failed')).toBe(true);
  });

  it('does not count a client whose media never connected', async () => {
    const { events, truth } = await generated('lk-connection-aborted');
    const aborted = events
      .filter((e) => e.event === 'participant_connection_aborted')
      .map((e) => e.participant!.sid);
    expect(aborted.length).toBeGreaterThan(0);
    const counted = truth.sessions.flatMap((s) => s.participants.map((p) => p.participantId));
    for (const sid of aborted) expect(counted).not.toContain(sid);
  });

  it('scores a consumer keyed by sid as right, and one keyed by identity as wrong on a fast reconnect', async () => {
    const { events, dir } = await generated('lk-fast-reconnect');
    const score = async (key: 'sid' | 'identity') => {
      const actual = join(dir, `actual-${key}.json`);
      writeFileSync(actual, JSON.stringify(consumer(events, key)));
      return cli('score', '--truth', join(dir, 'truth.json'), '--actual', actual);
    };
    const bySid = await score('sid');
    expect(bySid.code, bySid.stdout + bySid.stderr).toBe(0);
    // The old connection's late participant_left closes the new one under the same identity: time is lost.
    const byIdentity = await score('identity');
    expect(byIdentity.code).toBe(1);
    expect(byIdentity.stdout).toMatch(/undercount|lost|missing/i);
  });

  it('is not built for Meet: --truth with --server meet exits 2', async () => {
    const r = await cli('generate', 'basic-call', '--server', 'meet', '--truth', join(tempDir(), 't.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--server meet');
  });
});
