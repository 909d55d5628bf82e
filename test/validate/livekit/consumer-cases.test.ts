/**
 * The cases LiveKit webhook consumers trip on (spec §1.8) are streams a real LiveKit sends, so `ovsim validate
 * --server openvidu3` accepts each: no error; the documented quirks of older versions and the lagging
 * numParticipants are warnings that say why. Streams built from the real `@livekit/protocol` messages.
 */
import { DisconnectReason, EgressStatus, IngressState_Status, ParticipantInfo_Kind } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import type { LivekitSummary } from '../../../src/validate/livekit/livekit-validator.js';
import { check, rules } from './check.js';
import { LkStream } from './stream-builder.js';

/** A whole meeting: two people, a camera and a microphone, a recording with its recorder participant. */
function meeting(s: LkStream): LkStream {
  const room = s.newRoom('daily-standup');
  const alice = s.newParticipant('alice');
  const bob = s.newParticipant('bob');
  const mic = s.newTrack(false);
  const cam = s.newTrack(true);
  s.roomStarted(room);
  s.tick().joined(room, alice);
  s.published(room, alice, mic);
  s.published(room, alice, cam);
  s.tick(3).joined(room, bob);
  const egress = s.tick(10).newEgress(room);
  s.egress(egress, 'egress_started', EgressStatus.EGRESS_STARTING);
  const recorder = s.newParticipant(egress.egressId, ParticipantInfo_Kind.EGRESS);
  s.joined(room, recorder);
  s.tick().egress(egress, 'egress_updated', EgressStatus.EGRESS_ACTIVE);
  s.tick(60).egress(egress, 'egress_updated', EgressStatus.EGRESS_ENDING);
  s.left(room, recorder);
  s.tick().unpublished(room, alice, cam);
  s.unpublished(room, alice, mic);
  s.left(room, alice);
  s.tick(5).left(room, bob, DisconnectReason.SIGNAL_CLOSE);
  s.tick(20).roomFinished(room);
  // egress events travel on their own queue: egress_ended may come after room_finished (L6).
  s.tick().egressCompleted(egress);
  return s;
}

describe('validate --server openvidu3 accepts the streams LiveKit sends', () => {
  it('a whole meeting with a recording, in both comma spacings of protobuf-go: no error, no warning', () => {
    for (const spaceAfterComma of [false, true]) {
      const r = check(meeting(new LkStream({ spaceAfterComma })).lines);
      expect(r.text).toEqual([]);
      const summary = r.summary as LivekitSummary;
      expect(summary.spacing).toBe(spaceAfterComma ? 'space after comma' : 'compact');
      expect(summary.rooms).toEqual({ started: 1, finished: 1, begunBeforeInput: 0 });
      expect(summary.unterminated).toEqual({
        rooms: 0,
        participants: 0,
        tracks: 0,
        egresses: 0,
        ingresses: 0,
      });
      expect(summary.events).toBe(16);
    }
  });

  it('L1/L12 connection aborted: participant_connection_aborted without participant_joined', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const ghost = s.newParticipant('ghost');
    s.roomStarted(room);
    s.tick().aborted(room, ghost);
    s.tick(300).roomFinished(room);
    expect(check(s.lines).text).toEqual([]);
  });

  it('L1 before LiveKit 1.3: participant_left without participant_joined is a warning naming the old behaviour', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const alice = s.newParticipant('alice');
    s.roomStarted(room);
    s.tick().joined(room, alice);
    const ghost = s.tick(120).newParticipant('ghost');
    s.tick().left(room, ghost, DisconnectReason.JOIN_FAILURE);
    s.tick(60).left(room, alice);
    s.tick(20).roomFinished(room);
    const r = check(s.lines);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => [d.line, d.rule])).toEqual([[3, 'participant-lifecycle']]);
    expect(r.warnings[0]!.message).toMatch(/livekit#1130.*participant_connection_aborted/);
  });

  it('L2 fast reconnect: the old participant leaves after the new one (same identity, new sid) joined', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const old = s.newParticipant('alice');
    s.roomStarted(room);
    s.tick().joined(room, old);
    const fresh = s.tick(60).newParticipant('alice');
    s.tick().joined(room, fresh);
    s.tick(2).left(room, old, DisconnectReason.DUPLICATE_IDENTITY);
    s.tick(30).left(room, fresh);
    s.tick(20).roomFinished(room);
    expect(check(s.lines).text).toEqual([]);
  });

  it('L3 duplicate participant_left (before PR #2672): a warning, not an error', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const alice = s.newParticipant('alice');
    s.roomStarted(room);
    s.tick().joined(room, alice);
    s.tick(10).left(room, alice);
    s.left(room, alice);
    s.tick(20).roomFinished(room);
    const r = check(s.lines);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => [d.line, d.rule])).toEqual([[4, 'participant-lifecycle']]);
    expect(r.warnings[0]!.message).toContain('#2672');
  });

  it('L4 stale numParticipants: absent in participant_joined, non-zero in room_finished: warnings only', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const alice = s.newParticipant('alice');
    s.roomStarted(room);
    s.tick().push({
      event: 'participant_joined',
      room: s.fullRoom(room),
      participant: s.participant(alice, 2),
    });
    s.tick(10).left(room, alice);
    s.tick(20).roomFinished(room, { numParticipants: 2 });
    const r = check(s.lines);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => [d.line, d.rule])).toEqual([
      [2, 'num-participants'],
      [4, 'num-participants'],
    ]);
  });

  it('L5 room resurrection: room_started after room_finished on deletion, a new sid for the same name', () => {
    const s = new LkStream();
    const first = s.newRoom('class');
    const alice = s.newParticipant('alice');
    s.roomStarted(first);
    s.tick().joined(first, alice);
    s.tick(60).left(first, alice, DisconnectReason.ROOM_DELETED);
    s.roomFinished(first);
    const again = s.tick().newRoom('class');
    const back = s.newParticipant('alice');
    s.roomStarted(again);
    s.tick().joined(again, back);
    s.tick(30).left(again, back);
    s.tick(20).roomFinished(again);
    expect(check(s.lines).text).toEqual([]);
  });

  it('L5 with the old sid again: legal, a warning citing livekit#2945', () => {
    const s = new LkStream();
    const room = s.newRoom('class');
    s.roomStarted(room);
    s.tick(5).roomFinished(room);
    s.tick().roomStarted(room);
    const r = check(s.lines);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => d.message)).toEqual([expect.stringContaining('livekit#2945')]);
  });

  it('L6 egress events before room_started and after room_finished (their own queue)', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const egress = s.newEgress(room);
    s.egress(egress, 'egress_started', EgressStatus.EGRESS_STARTING);
    s.roomStarted(room);
    s.tick(30).roomFinished(room);
    s.tick().egress(egress, 'egress_updated', EgressStatus.EGRESS_ACTIVE);
    s.tick().egressCompleted(egress);
    expect(check(s.lines).text).toEqual([]);
  });

  it('L7 egress_started without status (EGRESS_STARTING is the omitted zero), then straight to FAILED', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const egress = s.newEgress(room);
    s.roomStarted(room);
    const started = s.egress(egress, 'egress_started', EgressStatus.EGRESS_STARTING);
    expect(started).not.toContain('"status"');
    s.tick().egress(egress, 'egress_ended', EgressStatus.EGRESS_FAILED, {
      error: 'pipeline failed',
      errorCode: 500,
    });
    expect(check(s.lines).text).toEqual([]);
  });

  it('L8 fileResults empty, only the deprecated result.file', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const egress = s.newEgress(room);
    s.roomStarted(room);
    s.egress(egress, 'egress_started', EgressStatus.EGRESS_STARTING);
    s.tick().egress(egress, 'egress_updated', EgressStatus.EGRESS_ACTIVE);
    const ended = s.tick(60).egressCompleted(egress, true);
    expect(ended).not.toContain('fileResults');
    expect(ended).toContain('"file":{');
    expect(check(s.lines).text).toEqual([]);
  });

  it('L9 the recorder participant: kind EGRESS, identity the egress id, joining and leaving', () => {
    const s = meeting(new LkStream());
    expect(s.lines.filter((l) => l.includes('"kind":"EGRESS"'))).toHaveLength(2);
    expect(check(s.lines).text).toEqual([]);
  });

  it('L10 joined/left dropped by the notifier: only the track events of a participant arrive', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const alice = s.newParticipant('alice');
    const mic = s.newTrack(false);
    s.roomStarted(room);
    s.tick(2).published(room, alice, mic);
    s.tick(30).unpublished(room, alice, mic);
    s.tick(20).roomFinished(room);
    expect(check(s.lines).text).toEqual([]);
  });

  it('L11 departure timeout: room_finished 20 s after the last participant_left', () => {
    const s = new LkStream();
    const room = s.newRoom('r');
    const alice = s.newParticipant('alice');
    s.roomStarted(room);
    s.tick().joined(room, alice);
    s.tick(40).left(room, alice);
    s.tick(20).roomFinished(room);
    expect(check(s.lines).text).toEqual([]);
  });

  it('L13 retries: the same body delivered again is counted, not checked again', () => {
    const s = meeting(new LkStream());
    const lines = [...s.lines.slice(0, 5), s.lines[3]!, s.lines[3]!, ...s.lines.slice(5)];
    const r = check(lines);
    expect(r.text).toEqual([]);
    expect((r.summary as LivekitSummary).redeliveries).toBe(2);
  });

  it('L14 one spacing per build: a stream mixing both is warned about once, not failed', () => {
    const compact = meeting(new LkStream()).lines;
    const spaced = meeting(new LkStream({ spaceAfterComma: true, seed: 99 })).lines;
    const r = check([...compact, ...spaced]);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => [d.line, d.rule])).toEqual([[compact.length + 1, 'serialization']]);
    expect((r.summary as LivekitSummary).spacing).toBe('both');
  });

  it('ingresses: started when publishing, ended without ever starting (an error while buffering)', () => {
    const s = new LkStream();
    const room = s.newRoom('lobby');
    s.roomStarted(room);
    s.tick().ingress('lobby', 'IN_q3XmVb8RcTzK', 'ingress_started', IngressState_Status.ENDPOINT_PUBLISHING);
    s.tick(30).ingress('lobby', 'IN_q3XmVb8RcTzK', 'ingress_ended', IngressState_Status.ENDPOINT_COMPLETE);
    s.tick().ingress('lobby', 'IN_Kf2pWq8VnXcB', 'ingress_ended', IngressState_Status.ENDPOINT_ERROR);
    const r = check(s.lines);
    expect(r.text).toEqual([]);
    expect(rules(r.warnings)).toEqual([]);
  });

  it('a slice of a longer stream: what began before it is counted, not reported', () => {
    const whole = meeting(new LkStream()).lines;
    const r = check(whole.slice(6));
    expect(r.text).toEqual([]);
    expect((r.summary as LivekitSummary).rooms.begunBeforeInput).toBe(1);
  });
});
