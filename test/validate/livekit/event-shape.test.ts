/** What each LiveKit event carries, and every time in its unit (spec §1.2, §1.4). */
import {
  EgressStatus,
  IngressState_Status,
  ParticipantEgressRequest,
  ParticipantInfo,
  ParticipantInfo_State,
  Room,
} from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { check } from './check.js';
import { LkStream } from './stream-builder.js';

/** `[severity, rule, message]` of a one-body stream. */
function said(line: string): Array<[string, string, string]> {
  return check([line]).text.map((t) => {
    const m = /^(\w+) \d+: ([a-z0-9-]+): (.*)$/.exec(t)!;
    return [m[1]!, m[2]!, m[3]!];
  });
}

describe('LiveKit event shapes', () => {
  const s = new LkStream();
  const room = s.newRoom('r');
  const alice = s.newParticipant('alice');
  const mic = s.newTrack(false);
  const egress = s.newEgress(room);

  it('track events carry a {sid,identity} participant and a {sid,name} room (a full room is a server option)', () => {
    const full = s.push({
      event: 'track_published',
      room: s.fullRoom(room),
      participant: s.participant(alice, ParticipantInfo_State.ACTIVE),
      track: s.track(mic),
    });
    expect(said(full)).toEqual([
      [
        'error',
        'unexpected-field',
        'participant.state: track_published carries a participant made of its sid and identity only',
      ],
    ]);
  });

  it('room events carry no participant; participant events carry one', () => {
    const started = s.push({
      event: 'room_started',
      room: s.fullRoom(room),
      participant: new ParticipantInfo({ sid: alice.sid, identity: 'alice' }),
    });
    expect(said(started)).toEqual([['error', 'unexpected-field', 'room_started carries no "participant"']]);
    const joined = s.push({ event: 'participant_joined', room: s.fullRoom(room) });
    expect(said(joined).map((d) => d[2])).toContain('participant_joined carries "participant"');
  });

  it('the room of an egress event is made of the egress info; of an ingress event, of its roomName alone', () => {
    const egressBody = s.push({
      event: 'egress_started',
      room: new Room({ sid: room.sid, name: 'other' }),
      egressInfo: s.egressInfo(egress, EgressStatus.EGRESS_STARTING),
    });
    expect(said(egressBody)).toEqual([
      ['error', 'field-mismatch', 'room.name "other" differs from egressInfo.roomName "r"'],
    ]);
    const ingress = s
      .ingress('r', 'IN_q3XmVb8RcTzK', 'ingress_started', IngressState_Status.ENDPOINT_PUBLISHING)
      .replace('"room":{"name":"r"}', `"room":{"sid":"${room.sid}","name":"r"}`);
    expect(said(ingress)).toEqual([
      [
        'error',
        'unexpected-field',
        "room.sid: ingress_started carries a room made of the ingress info's roomName only",
      ],
    ]);
  });

  it('participant_joined is sent for an ACTIVE participant, participant_left for a DISCONNECTED one (warnings)', () => {
    const joined = s.push({
      event: 'participant_joined',
      room: s.fullRoom(room, { numParticipants: 1 }),
      participant: s.participant(alice, ParticipantInfo_State.JOINED),
    });
    expect(said(joined)).toEqual([
      [
        'warning',
        'field-value',
        'participant.state is JOINED; participant_joined is sent when the participant becomes ACTIVE',
      ],
    ]);
  });

  it('times in their units: egress times in ns, creationTime and creationTimeMs the same instant', () => {
    const ms = s.egress(egress, 'egress_updated', EgressStatus.EGRESS_ACTIVE, { startedAt: 1767225611862n });
    expect(said(ms)).toEqual([
      [
        'error',
        'time-unit',
        'egressInfo.startedAt 1767225611862 looks like milliseconds; LiveKit writes egress times in nanoseconds (UnixNano)',
      ],
    ]);
    const skew = s.push({
      event: 'room_started',
      room: s.fullRoom(room, { creationTimeMs: 1767225700000n }),
    });
    expect(said(skew)).toEqual([
      [
        'error',
        'time-unit',
        `room.creationTime ${room.creationTime} and room.creationTimeMs 1767225700000 are not the same instant`,
      ],
    ]);
  });

  it('egress_ended without an egress id only for an auto-egress that failed to start', () => {
    const failed = s.push({
      event: 'egress_ended',
      room: new Room({ sid: room.sid, name: 'r' }),
      egressInfo: {
        roomId: room.sid,
        roomName: 'r',
        status: EgressStatus.EGRESS_FAILED,
        error: 'egress launcher not found',
        request: {
          case: 'participant',
          value: new ParticipantEgressRequest({ roomName: 'r', identity: 'alice' }),
        },
      },
    });
    expect(said(failed)).toEqual([]);
    const completed = s.push({
      event: 'egress_ended',
      room: new Room({ sid: room.sid, name: 'r' }),
      egressInfo: { roomId: room.sid, roomName: 'r', status: EgressStatus.EGRESS_COMPLETE },
    });
    expect(said(completed)).toEqual([['error', 'missing-field', 'no egressInfo.egressId']]);
  });

  it('ingress events carry the statuses they are sent for', () => {
    const buffering = s.ingress(
      'r',
      'IN_q3XmVb8RcTzK',
      'ingress_started',
      IngressState_Status.ENDPOINT_BUFFERING,
    );
    expect(said(buffering)).toEqual([
      [
        'error',
        'ingress-lifecycle',
        'ingress_started with state.status ENDPOINT_BUFFERING: it is sent when the ingress starts ENDPOINT_PUBLISHING',
      ],
    ]);
    const inactive = s.ingress(
      'r',
      'IN_q3XmVb8RcTzK',
      'ingress_ended',
      IngressState_Status.ENDPOINT_INACTIVE,
    );
    expect(said(inactive)).toEqual([]);
  });

  it('ids: EV_ + 12 base57 (not a UUID), RM_, PA_, TR_, EG_, IN_', () => {
    const uuid = s.push({
      event: 'room_started',
      room: s.fullRoom(room),
      id: '0b8e6a6c-6f7e-4c8a-9d55-0f1e2d3c4b5a',
    });
    expect(said(uuid)).toEqual([
      [
        'error',
        'id-format',
        'id "0b8e6a6c-6f7e-4c8a-9d55-0f1e2d3c4b5a" is not EV_ + 12 base57 characters (not a UUID)',
      ],
    ]);
    const badTrack = s.published(room, alice, { sid: 'TR_0', video: false });
    expect(said(badTrack)).toEqual([
      ['error', 'id-format', 'track.sid "TR_0" is not TR_ + 12 base57 characters'],
    ]);
  });

  it('what is not a LiveKit body: an OpenVidu 2 event, a CDR line, an unknown name', () => {
    expect(said('{"sessionId":"ses_A","timestamp":1,"event":"sessionCreated"}')).toContainEqual([
      'error',
      'unknown-event',
      '"sessionCreated" is an OpenVidu 2 event, not a LiveKit one (--server openvidu2 or openvidu3-v2compat checks those)',
    ]);
    expect(said('{"sessionCreated":{"sessionId":"ses_A","timestamp":1}}')).toContainEqual([
      'error',
      'line-form',
      'an OpenVidu 2 CDR line ("sessionCreated"): OpenVidu 3 writes no CDR',
    ]);
    expect(
      said('{"event":"room_created","id":"EV_wL6Lh5MAFmDd","createdAt":"1767225600"}').map((d) => d[1]),
    ).toEqual(['unknown-event']);
  });
});
