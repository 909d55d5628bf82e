/**
 * The OpenVidu Meet renderer: what the Meet backend sends when the LiveKit events of the run reach it
 * (`OpenVidu/openvidu-meet` `livekit-webhook.service.ts` → `webhook-dispatcher.service.ts`): `meetingStarted` and
 * `meetingEnded` with the room (`room_started`, `room_finished`), `participantJoined` and `participantLeft` for Meet
 * participants (3.9; not the egress recorder, not an ingress), `recordingStarted`, `recordingUpdated` and
 * `recordingEnded` for recording egresses (not broadcasts). A scenario's session is a Meet room whose `roomId` is the
 * LiveKit room name; a MODERATOR is a moderator, anyone else a speaker.
 */
import type { ConnectionFacts, SessionFacts } from '../entities.js';
import type { Fact } from '../facts.js';
import type { WebhookEvent } from '../livekit/webhook-event.js';
import {
  meetParticipant,
  meetParticipantJoined,
  meetParticipantLeft,
  meetRecordingFromEgress,
  meetRoomToWire,
  type MeetMode,
} from '../meet/meet-body.js';
import {
  MEET_PERMISSION_KEYS,
  type MeetEventName,
  type MeetPermissions,
  type MeetRoom,
  type MeetWebhookPayload,
} from '../meet/meet-types.js';
import type { LivekitRenderer } from './livekit-renderer.js';

/** One Meet webhook: its event, `creationDate` (ms, also `X-Timestamp`) and payload. */
export interface MeetEvent {
  readonly event: MeetEventName;
  readonly creationDate: number;
  readonly data: MeetWebhookPayload;
}

/** The base URL of the simulated Meet deployment's links. */
const MEET_URL = 'https://meet.example.com';

/** What a speaker may do in a default Meet room. */
const SPEAKER: readonly string[] = [
  'meetingJoin',
  'meetingRead',
  'mediaPublishVideo',
  'mediaPublishAudio',
  'mediaShareScreen',
  'chatRead',
  'chatWrite',
  'recordingList',
  'recordingPlay',
  'mediaChangeVirtualBackground',
];

function permissions(keys: readonly string[]): MeetPermissions {
  return Object.fromEntries(MEET_PERMISSION_KEYS.map((k) => [k, keys.includes(k)]));
}

/** The Meet room of a session, as the backend reads it from its database. */
export function meetRoomOf(s: SessionFacts, status: MeetRoom['status']): MeetRoom {
  const link = (role: string) => ({ enabled: true, url: `${MEET_URL}/room/${s.sessionId}?secret=${role}` });
  return {
    roomId: s.sessionId,
    roomName: s.handle,
    owner: 'admin',
    creationDate: s.createdAt,
    config: {
      chat: { enabled: true },
      recording: { enabled: true, layout: 'grid' },
      virtualBackground: { enabled: true },
    },
    roles: {
      moderator: { permissions: permissions(MEET_PERMISSION_KEYS) },
      speaker: { permissions: permissions(SPEAKER) },
    },
    access: {
      anonymous: { moderator: link('moderator'), speaker: link('speaker'), recording: link('recording') },
      user: link('user'),
    },
    status,
    rolesUpdatedAt: s.createdAt,
    meetingEndAction: 'none',
  };
}

export class MeetRenderer {
  private out: (e: MeetEvent) => void = () => undefined;

  constructor(
    private readonly livekit: LivekitRenderer,
    private readonly mode: MeetMode = 'compatibility',
  ) {}

  /** Calls `emit` with each Meet webhook the fact makes. */
  render(f: Fact, emit: (e: MeetEvent) => void): void {
    this.out = emit;
    this.livekit.render(f, (e) => this.onLivekit(f, e));
  }

  private onLivekit(f: Fact, e: WebhookEvent): void {
    const at = f.at;
    switch (e.event) {
      case 'room_started':
        if (f.type === 'sessionCreated')
          this.send('meetingStarted', at, meetRoomToWire(meetRoomOf(f.session, 'active_meeting'), this.mode));
        return;
      case 'room_finished':
        if (f.type === 'sessionClosed')
          this.send('meetingEnded', at, meetRoomToWire(meetRoomOf(f.session, 'open'), this.mode));
        return;
      case 'participant_joined':
      case 'participant_left':
        return this.participant(f, e);
      case 'egress_started':
      case 'egress_updated':
      case 'egress_ended': {
        const egress = e.egressInfo!;
        if (
          f.type !== 'recordingStatus' ||
          (egress.fileResults === undefined && egress.result?.case !== 'file')
        )
          return;
        const name =
          e.event === 'egress_started'
            ? 'recordingStarted'
            : e.event === 'egress_ended'
              ? 'recordingEnded'
              : 'recordingUpdated';
        const withFile =
          egress.fileResults === undefined && egress.result?.case === 'file'
            ? { ...egress, fileResults: [egress.result.value] }
            : egress;
        return this.send(name, at, meetRecordingFromEgress(withFile, f.recording.session.handle));
      }
      default:
        return;
    }
  }

  private participant(f: Fact, e: WebhookEvent): void {
    const c: ConnectionFacts | undefined =
      f.type === 'connectionActive' || f.type === 'connectionLeft' ? f.connection : undefined;
    if (c === undefined || c.ipcam !== undefined || e.participant?.kind !== undefined) return;
    const s = c.session;
    const who = meetParticipant(e.participant!, { role: c.role === 'MODERATOR' ? 'moderator' : 'speaker' });
    if (e.event === 'participant_joined')
      return this.send('participantJoined', f.at, meetParticipantJoined(s.sessionId, s.handle, who));
    this.send(
      'participantLeft',
      f.at,
      meetParticipantLeft(s.sessionId, s.handle, who, f.at, e.participant!.disconnectReason),
    );
  }

  private send(event: MeetEventName, creationDate: number, data: MeetWebhookPayload): void {
    this.out({ event, creationDate, data });
  }
}
