/**
 * OpenVidu Meet webhook streams for the validator's tests, written with ovsim's Meet model (src/model/meet, itself
 * tested against the Meet backend's builders): rooms, participants and recordings of one meeting.
 */
import type { EgressInfo } from '../../../src/model/livekit/egress.js';
import type { EgressStatusName } from '../../../src/model/livekit/enums.js';
import {
  meetParticipantJoined,
  meetParticipantLeft,
  meetRecordingFromEgress,
  meetRoomToWire,
  meetWebhookBody,
} from '../../../src/model/meet/meet-body.js';
import {
  MEET_PERMISSION_KEYS,
  type MeetEventName,
  type MeetParticipant,
  type MeetPermissions,
  type MeetRoom,
  type MeetWebhookPayload,
} from '../../../src/model/meet/meet-types.js';

const link = (url: string) => ({ enabled: true, url });
const allow = (keys: readonly string[]): MeetPermissions =>
  Object.fromEntries(MEET_PERMISSION_KEYS.map((k) => [k, keys.includes(k)]));

export const ROOM: MeetRoom = {
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

export class MeetStream {
  readonly lines: string[] = [];
  /** ms: the next body's creationDate. */
  now = 1767225600000;

  tick(ms = 1000): this {
    this.now += ms;
    return this;
  }

  push(event: MeetEventName, data: MeetWebhookPayload): string {
    const line = meetWebhookBody(event, this.now, data);
    this.lines.push(line);
    return line;
  }

  started(room = ROOM): string {
    return this.push('meetingStarted', meetRoomToWire({ ...room, status: 'active_meeting' }));
  }

  ended(room = ROOM): string {
    return this.push('meetingEnded', meetRoomToWire({ ...room, status: 'open' }));
  }

  participant(identity: string, role: 'moderator' | 'speaker' = 'speaker'): MeetParticipant {
    return { participantIdentity: identity, participantName: identity, role, joinDate: this.now - 200 };
  }

  joined(p: MeetParticipant, room = ROOM): string {
    return this.push('participantJoined', meetParticipantJoined(room.roomId, room.roomName, p));
  }

  left(p: MeetParticipant, room = ROOM): string {
    return this.push(
      'participantLeft',
      meetParticipantLeft(room.roomId, room.roomName, p, this.now - 150, 'CLIENT_INITIATED'),
    );
  }

  recording(
    event: 'recordingStarted' | 'recordingUpdated' | 'recordingEnded',
    status: EgressStatusName,
    room = ROOM,
  ): string {
    const ns = (ms: number) => BigInt(ms) * 1_000_000n + 113475n;
    const egress: EgressInfo = {
      egressId: 'EG_Bu37AhhwbBtN',
      roomId: 'RM_hT3kPq8ZsWnd',
      roomName: room.roomId,
      status,
      ...(status === 'EGRESS_STARTING' ? {} : { startedAt: ns(1767225610000) }),
      updatedAt: ns(this.now),
      ...(event === 'recordingEnded' ? { endedAt: ns(this.now) } : {}),
      request: {
        case: 'roomComposite',
        value: { roomName: room.roomId, layout: 'grid', options: { case: 'preset', value: 'H264_720P_30' } },
      },
      fileResults: [
        {
          filename: `${room.roomId}/${room.roomId}--XyZ12.mp4`,
          ...(event === 'recordingEnded' ? { duration: 60_000_000_000n, size: 31457280n } : {}),
        },
      ],
    };
    return this.push(event, meetRecordingFromEgress(egress, room.roomName));
  }
}
