import { describe, expect, it } from 'vitest';
import {
  meetLeftReason,
  meetParticipant,
  meetParticipantJoined,
  meetParticipantLeft,
  meetRecordingFromEgress,
  meetRoomToWire,
  meetWebhookBody,
} from '../../../src/model/meet/meet-body.js';
import {
  MEET_PERMISSION_KEYS,
  type MeetPermissions,
  type MeetRoom,
} from '../../../src/model/meet/meet-types.js';
import { EXAMPLES } from '../livekit/examples.js';

const link = (url: string) => ({ enabled: true, url });
const allow = (keys: readonly string[]): MeetPermissions =>
  Object.fromEntries(MEET_PERMISSION_KEYS.map((k) => [k, keys.includes(k)]));

const ROOM: MeetRoom = {
  roomId: 'daily-standup-a1b2',
  roomName: 'Daily standup',
  owner: 'admin',
  creationDate: 1767225000000,
  config: { chat: { enabled: true } },
  roles: {
    moderator: { permissions: allow([...MEET_PERMISSION_KEYS]) },
    speaker: {
      permissions: allow([
        'meetingJoin',
        'meetingRead',
        'mediaPublishVideo',
        'mediaPublishAudio',
        'chatRead',
        'chatWrite',
        'recordingList',
        'recordingPlay',
      ]),
    },
  },
  access: {
    anonymous: {
      moderator: link('https://meet/m'),
      speaker: link('https://meet/s'),
      recording: link('https://meet/r'),
    },
    user: link('https://meet/u'),
  },
  status: 'active_meeting',
  rolesUpdatedAt: 1767225000000,
  meetingEndAction: 'none',
};

describe('Meet webhook bodies', () => {
  it('is JSON.stringify of {event, creationDate, data}', () => {
    const body = meetWebhookBody('meetingStarted', 1767225600123, meetRoomToWire(ROOM, '3.9.0'));
    expect(
      body.startsWith(
        '{"event":"meetingStarted","creationDate":1767225600123,"data":{"roomId":"daily-standup-a1b2","roomName":',
      ),
    ).toBe(true);
    expect(JSON.parse(body).data).toEqual(ROOM);
  });

  it('in compatibility mode (3.9 default) carries both permission names: current keys, then the can* ones collapsed with AND', () => {
    const wire = meetRoomToWire(ROOM);
    const speaker = wire.roles.speaker.permissions as Record<string, boolean>;
    expect(Object.keys(speaker).slice(0, MEET_PERMISSION_KEYS.length)).toEqual([...MEET_PERMISSION_KEYS]);
    expect(Object.keys(speaker).slice(MEET_PERMISSION_KEYS.length)[0]).toBe('canRecord');
    expect(speaker.canRetrieveRecordings).toBe(false); // list and play but not download
    expect(speaker.canJoinMeeting).toBe(true);
    expect((wire.roles.moderator.permissions as Record<string, boolean>).canRetrieveRecordings).toBe(true);
    expect(Object.keys(meetRoomToWire(ROOM, '3.9.0').roles.speaker.permissions)).toEqual([
      ...MEET_PERMISSION_KEYS,
    ]);
    const partial = meetRoomToWire({
      ...ROOM,
      roles: { ...ROOM.roles, speaker: { permissions: { recordingList: true } } },
    });
    expect(partial.roles.speaker.permissions).toEqual({ recordingList: true });
  });

  it('builds participantLeft as participant.helper does: stay rounded to seconds, reason mapped, undefined keys gone', () => {
    const joined = meetParticipant(EXAMPLES.participant_joined!.participant!, { role: 'moderator' });
    expect(JSON.stringify(meetParticipantJoined('r1', 'Room', joined))).toBe(
      '{"roomId":"r1","roomName":"Room","participant":{"participantIdentity":"alice","participantName":"Alice","role":"moderator","joinDate":1767225601417}}',
    );
    const left = meetParticipantLeft(
      'r1',
      'Room',
      { ...joined, externalId: 'u-42' },
      1767225663917,
      'SIGNAL_CLOSE',
    );
    expect(JSON.stringify(left.participant)).toBe(
      '{"participantIdentity":"alice","participantName":"Alice","externalId":"u-42","role":"moderator","joinDate":1767225601417,"leaveDate":1767225663917,"durationSeconds":63,"leaveReason":"network_disconnect"}',
    );
    expect(meetParticipant({ identity: 'x', joinedAt: 1767225601n }, { role: 'speaker' }).joinDate).toBe(
      1767225601000,
    );
    expect(
      meetParticipantLeft(
        'r',
        'R',
        { participantIdentity: 'x', participantName: '', role: 'speaker', joinDate: 0 },
        5,
        undefined,
      ).participant.durationSeconds,
    ).toBe(0);
    expect(
      ['CLIENT_INITIATED', 'PARTICIPANT_REMOVED', 'ROOM_CLOSED', 'JOIN_FAILURE'].map((r) =>
        meetLeftReason(r as never),
      ),
    ).toEqual(['voluntary_leave', 'participant_kicked', 'meeting_ended', 'unknown']);
  });

  it('builds recording info from an egress as recording.helper does: its key order, fractional ms from ns, seconds', () => {
    const egress = EXAMPLES.egress_ended!.egressInfo!;
    const info = meetRecordingFromEgress(
      {
        ...egress,
        roomName: 'daily-standup-a1b2',
        fileResults: [
          { ...egress.fileResults![0]!, filename: 'daily-standup-a1b2/daily-standup-a1b2--XyZ12.mp4' },
        ],
      },
      'Daily standup',
    );
    expect(Object.keys(info)).toEqual([
      'recordingId',
      'roomId',
      'roomName',
      'layout',
      'encoding',
      'status',
      'filename',
      'startDate',
      'endDate',
      'duration',
      'size',
      'errorCode',
      'error',
      'details',
    ]);
    expect(JSON.stringify(info)).toBe(
      `{"recordingId":"daily-standup-a1b2--EG_Bu37AhhwbBtN--XyZ12","roomId":"daily-standup-a1b2","roomName":"Daily standup","layout":"grid","encoding":"H264_720P_30","status":"complete","filename":"daily-standup-a1b2--XyZ12.mp4","startDate":${Number(1767225611862113475n) * (1 / 1e6)},"endDate":${Number(1767225731904581297n) * (1 / 1e6)},"duration":${120042467822 * (1 / 1e9)},"size":31457280,"details":"End reason: Source closed"}`,
    );
    expect(info.startDate).not.toBe(Math.round(info.startDate!));
    const started = meetRecordingFromEgress(
      { ...EXAMPLES.egress_started!.egressInfo!, fileResults: [{ filename: 'r--u.mp4' }], roomName: 'r' },
      'R',
    );
    expect(started).toMatchObject({
      status: 'starting',
      startDate: Number(1767225611204559871n) * (1 / 1e6),
    });
    expect('endDate' in JSON.parse(JSON.stringify(started))).toBe(false);
  });
});
