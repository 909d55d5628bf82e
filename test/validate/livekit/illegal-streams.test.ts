/**
 * Streams no LiveKit server sends: each breaks one guarantee LiveKit gives (one FIFO queue per room, one end per
 * participant, statuses that never go back), and `ovsim validate --server openvidu3` reports it as an error at the
 * line that breaks it.
 */
import { DisconnectReason, EgressStatus, ParticipantInfo_Kind } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { LIVEKIT_EVENT_NAMES } from '../../../src/model/livekit/index.js';
import { check } from './check.js';
import { LkStream, type PartRef, type RoomRef } from './stream-builder.js';

/** The errors as `[line, rule]`; `whole`: the stream is said to hold every type (`--events all`). */
function errorsOf(lines: readonly string[], whole = false): Array<[number, string]> {
  const opts = whole
    ? { server: 'openvidu3' as const, events: LIVEKIT_EVENT_NAMES }
    : { server: 'openvidu3' as const };
  return check(lines, opts).errors.map((d) => [d.line, d.rule]);
}

function opened(): { s: LkStream; room: RoomRef; alice: PartRef } {
  const s = new LkStream();
  const room = s.newRoom('r');
  const alice = s.newParticipant('alice');
  s.roomStarted(room);
  return { s, room, alice };
}

describe('validate --server openvidu3 rejects what LiveKit cannot send', () => {
  it('a participant event before room_started, when the room was created inside the input', () => {
    const s = new LkStream();
    const other = s.newRoom('other');
    s.roomStarted(other);
    const room = s.tick(120).newRoom('r');
    const alice = s.newParticipant('alice');
    s.tick().joined(room, alice);
    s.roomStarted(room);
    expect(errorsOf(s.lines)).toEqual([
      [2, 'room-lifecycle'],
      [3, 'room-lifecycle'],
    ]);
  });

  it('room_started twice, room_finished twice, events of a finished room', () => {
    const { s, room, alice } = opened();
    s.roomStarted(room);
    s.tick(5).roomFinished(room);
    s.roomFinished(room);
    s.tick().joined(room, alice);
    expect(errorsOf(s.lines)).toEqual([
      [2, 'room-lifecycle'],
      [4, 'room-lifecycle'],
      [5, 'room-lifecycle'],
    ]);
  });

  it('room_finished while someone is still in the room (a stream that holds participant_left)', () => {
    const { s, room, alice } = opened();
    const bob = s.newParticipant('bob');
    s.tick().joined(room, alice);
    s.joined(room, bob);
    s.tick().left(room, bob);
    s.tick(30).roomFinished(room);
    const r = check(s.lines);
    expect(r.errors.map((d) => [d.line, d.rule])).toEqual([[5, 'room-lifecycle']]);
    expect(r.errors[0]!.message).toContain(`alice (${alice.sid}, joined at in:2)`);
    // Without any participant_left in the stream, a sender may be filtering it out: the check is skipped.
    expect(errorsOf([...s.lines.slice(0, 3), s.lines[4]!])).toEqual([]);
    expect(errorsOf([...s.lines.slice(0, 3), s.lines[4]!], true)).toEqual([[4, 'room-lifecycle']]);
  });

  it('joined after left, joined twice, aborted after joined, left after aborted', () => {
    const { s, room, alice } = opened();
    const bob = s.newParticipant('bob');
    const carol = s.newParticipant('carol');
    s.tick().joined(room, alice);
    s.joined(room, alice);
    s.tick().left(room, alice);
    s.joined(room, alice);
    s.joined(room, bob);
    s.aborted(room, bob);
    s.aborted(room, carol);
    s.left(room, carol);
    expect(errorsOf(s.lines)).toEqual([
      [3, 'participant-lifecycle'],
      [5, 'participant-lifecycle'],
      [7, 'participant-lifecycle'],
      [9, 'participant-lifecycle'],
    ]);
  });

  it('tracks: published twice, unpublished without being published, unpublished by someone else', () => {
    const { s, room, alice } = opened();
    const bob = s.newParticipant('bob');
    const mic = s.newTrack(false);
    const cam = s.newTrack(true);
    s.tick().joined(room, alice);
    s.joined(room, bob);
    s.published(room, alice, mic);
    s.published(room, alice, mic);
    s.unpublished(room, alice, cam);
    s.unpublished(room, bob, mic);
    expect(errorsOf(s.lines)).toEqual([
      [5, 'track-lifecycle'],
      [6, 'track-lifecycle'],
      [7, 'field-mismatch'],
    ]);
  });

  it('egress statuses that go back, repeat a start or follow the end; statuses an event is not sent for', () => {
    const { s, room } = opened();
    const a = s.newEgress(room);
    const b = s.newEgress(room);
    s.egress(a, 'egress_started', EgressStatus.EGRESS_STARTING);
    s.tick().egress(a, 'egress_updated', EgressStatus.EGRESS_ENDING);
    s.tick().egress(a, 'egress_updated', EgressStatus.EGRESS_ACTIVE);
    s.egress(a, 'egress_started', EgressStatus.EGRESS_STARTING);
    s.tick().egressCompleted(a);
    s.egress(a, 'egress_updated', EgressStatus.EGRESS_ACTIVE);
    s.egress(b, 'egress_started', EgressStatus.EGRESS_STARTING);
    s.egress(b, 'egress_updated', EgressStatus.EGRESS_COMPLETE);
    s.egress(b, 'egress_ended', EgressStatus.EGRESS_ACTIVE);
    expect(errorsOf(s.lines)).toEqual([
      [4, 'egress-status-order'],
      [5, 'egress-status-order'],
      [7, 'egress-status-order'],
      [9, 'egress-status-order'],
      [10, 'egress-status-order'],
      [10, 'egress-status-order'],
    ]);
  });

  it('an egress_updated with no egress_started though the egress began inside the input', () => {
    const { s, room } = opened();
    const egress = s.tick(120).newEgress(room);
    s.egress(egress, 'egress_started', EgressStatus.EGRESS_STARTING);
    const lost = s.tick().newEgress(room);
    s.egress(lost, 'egress_updated', EgressStatus.EGRESS_ACTIVE);
    expect(errorsOf(s.lines)).toEqual([[3, 'egress-status-order']]);
  });

  it('one event id for two different bodies', () => {
    const { s, room, alice } = opened();
    s.tick().push({
      event: 'participant_joined',
      id: 'EV_wL6Lh5MAFmDd',
      room: s.fullRoom(room),
      participant: s.participant(alice, 2),
    });
    s.push({
      event: 'participant_left',
      id: 'EV_wL6Lh5MAFmDd',
      room: s.fullRoom(room),
      participant: s.participant(alice, 3),
    });
    expect(errorsOf(s.lines)).toEqual([[3, 'event-id']]);
  });

  it('a recorder participant joining a room after its room_finished (its own egress events may, it may not)', () => {
    const { s, room } = opened();
    const egress = s.newEgress(room);
    s.egress(egress, 'egress_started', EgressStatus.EGRESS_STARTING);
    s.tick(10).roomFinished(room);
    s.tick().joined(room, s.newParticipant(egress.egressId, ParticipantInfo_Kind.EGRESS));
    s.egressCompleted(egress);
    expect(errorsOf(s.lines)).toEqual([[4, 'room-lifecycle']]);
  });

  it('a new room under the same name while the old one never finished', () => {
    const { s, room, alice } = opened();
    s.tick().joined(room, alice);
    s.left(room, alice, DisconnectReason.CLIENT_INITIATED);
    const again = s.tick(30).newRoom('r');
    s.roomStarted(again);
    expect(errorsOf(s.lines, true)).toEqual([[4, 'room-lifecycle']]);
  });
});
