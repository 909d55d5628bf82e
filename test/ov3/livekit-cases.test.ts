/**
 * The bundled scenarios of the cases LiveKit webhook consumers trip on (spec openvidu3-webhooks.md §1.8): each shows
 * its case in the bodies `ovsim generate <name>` writes (the scenarios name `openvidu.server: openvidu3`).
 */
import { describe, expect, it } from 'vitest';
import { bundledBodies, events, type LkEvent } from './helpers.js';
import type { SettingsOverrides } from '../../src/scenario/simulate-scenario.js';

async function lk(name: string, overrides: SettingsOverrides = {}): Promise<LkEvent[]> {
  return events(await bundledBodies(name, overrides));
}

const of = (es: readonly LkEvent[], event: string, identity?: string) =>
  es.filter((e) => e.event === event && (identity === undefined || e.participant?.identity === identity));
const indexOf = (es: readonly LkEvent[], pred: (e: LkEvent) => boolean) => es.findIndex(pred);

describe('§1.8 cases as bundled scenarios', () => {
  it('lk-connection-aborted: participant_connection_aborted (1.9.1+), nothing (1.3.3–1.9.0), a lone participant_left before', async () => {
    const now = await lk('lk-connection-aborted');
    expect(of(now, 'participant_connection_aborted', 'bob')).toHaveLength(1);
    expect(now.filter((e) => e.participant?.identity === 'bob')).toHaveLength(1);
    const mid = await lk('lk-connection-aborted', { livekitVersion: '1.5.0' });
    expect(mid.filter((e) => e.participant?.identity === 'bob')).toHaveLength(0);
    const old = await lk('lk-connection-aborted', { livekitVersion: '1.2.0' });
    expect(of(old, 'participant_left', 'bob')).toHaveLength(1);
    expect(of(old, 'participant_joined', 'bob')).toHaveLength(0);
    expect(of(old, 'participant_connection_aborted')).toHaveLength(0);
  });

  it('lk-fast-reconnect: the old participant_left arrives after the new participant_joined of the same identity', async () => {
    const es = await lk('lk-fast-reconnect');
    const joined = of(es, 'participant_joined', 'bob');
    expect(joined).toHaveLength(2);
    const [oldSid, newSid] = joined.map((e) => e.participant!.sid);
    expect(oldSid).not.toBe(newSid);
    const newJoined = indexOf(es, (e) => e.event === 'participant_joined' && e.participant?.sid === newSid);
    const oldLeft = indexOf(es, (e) => e.event === 'participant_left' && e.participant?.sid === oldSid);
    expect(newJoined).toBeGreaterThan(-1);
    expect(oldLeft).toBeGreaterThan(newJoined);
    expect(es[oldLeft]!.participant!.disconnectReason).toBe('DUPLICATE_IDENTITY');
  });

  it('lk-duplicate-participant-left: every participant_left twice, same participant, two event ids', async () => {
    const es = await lk('lk-duplicate-participant-left');
    for (const who of ['alice', 'bob']) {
      const left = of(es, 'participant_left', who);
      expect(left).toHaveLength(2);
      expect(left[0]!.participant!.sid).toBe(left[1]!.participant!.sid);
      expect(left[0]!.id).not.toBe(left[1]!.id);
    }
  });

  it('lk-stale-num-participants: numParticipants missing on quick joins and still 3 when the last one leaves', async () => {
    const es = await lk('lk-stale-num-participants');
    expect(of(es, 'participant_joined').some((e) => e.room?.numParticipants === undefined)).toBe(true);
    const left = of(es, 'participant_left');
    expect(left.at(-1)!.participant!.identity).toBe('teacher');
    expect(left.at(-1)!.room!.numParticipants).toBeGreaterThan(1);
  });

  it('lk-room-resurrection: room_started again after room_finished, same name, a new RM_ sid', async () => {
    const es = await lk('lk-room-resurrection');
    const rooms = es.filter((e) => e.event === 'room_started' || e.event === 'room_finished');
    expect(rooms.map((e) => e.event)).toEqual([
      'room_started',
      'room_finished',
      'room_started',
      'room_finished',
    ]);
    expect(rooms[2]!.room!.name).toBe(rooms[1]!.room!.name);
    expect(rooms[2]!.room!.sid).not.toBe(rooms[1]!.room!.sid);
    expect(rooms[2]!.room!.sid).toMatch(/^RM_[2-9A-HJ-NP-Za-km-z]{12}$/);
  });

  it('lk-egress-after-room: egress_ended comes after room_finished', async () => {
    const es = await lk('lk-egress-after-room');
    const finished = indexOf(es, (e) => e.event === 'room_finished');
    const ended = indexOf(es, (e) => e.event === 'egress_ended');
    expect(finished).toBeGreaterThan(-1);
    expect(ended).toBeGreaterThan(finished);
    expect(es[ended]!.egressInfo!.status).toBe('EGRESS_COMPLETE');
  });

  it('lk-egress-started-no-status: egress_started has no status key (EGRESS_STARTING is omitted)', async () => {
    const lines = await bundledBodies('lk-egress-started-no-status', {});
    const started = lines.filter((l) => l.startsWith('{"event":"egress_started"'));
    expect(started).toHaveLength(1);
    expect(started[0]).not.toContain('"status"');
    expect(of(events(lines), 'egress_updated')[0]!.egressInfo!.status).toBe('EGRESS_ACTIVE');
  });

  it('lk-file-results-legacy: egress_ended with no fileResults, only the deprecated file result', async () => {
    const legacy = of(await lk('lk-file-results-legacy'), 'egress_ended')[0]!.egressInfo!;
    expect(legacy.fileResults).toBeUndefined();
    expect(legacy.file).toBeDefined();
    // The same recording with the default setting fills both.
    const both = of(await lk('lk-egress-started-no-status'), 'egress_ended')[0]!.egressInfo!;
    expect(both.fileResults).toHaveLength(1);
    expect(both.file).toBeDefined();
  });

  it('lk-recorder-participant: the composite recorder joins and leaves as kind EGRESS, identity = the egress id', async () => {
    const es = await lk('lk-recorder-participant');
    const egressId = of(es, 'egress_started')[0]!.egressInfo!.egressId!;
    expect(egressId).toMatch(/^EG_/);
    for (const event of ['participant_joined', 'participant_left']) {
      const recorder = of(es, event, egressId);
      expect(recorder).toHaveLength(1);
      expect(recorder[0]!.participant!.kind).toBe('EGRESS');
    }
  });

  it('lk-departure-timeout: room_finished 20 s after the last participant_left, in the same room', async () => {
    const es = await lk('lk-departure-timeout');
    const lastLeft = of(es, 'participant_left').at(-1)!;
    const finished = of(es, 'room_finished')[0]!;
    expect(Number(finished.createdAt) - Number(lastLeft.createdAt)).toBe(20);
    expect(finished.room!.sid).toBe(lastLeft.room!.sid);
    expect(of(es, 'room_started')).toHaveLength(1);
  });
});
