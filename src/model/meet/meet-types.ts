/**
 * OpenVidu Meet webhook payloads, typed from the Meet source (`OpenVidu/openvidu-meet`, `meet-ce/typings/src`,
 * branch `feat/meeting-control-parity` of August 2026, which carries the 3.9 webhooks): `webhook.ts`,
 * `database/room.entity.ts`, `database/recording.entity.ts`, `response/participant-response.ts`,
 * `database/room-member-permissions.ts`, `embedded/events.ts`.
 */

/** `MeetWebhookEventType`; `testEvent` is sent only by the "test URL" action. */
export const MEET_EVENT_NAMES = [
  'meetingStarted',
  'meetingEnded',
  'participantJoined',
  'participantLeft',
  'recordingStarted',
  'recordingUpdated',
  'recordingEnded',
] as const;
export type MeetEventName = (typeof MEET_EVENT_NAMES)[number];

/** `MeetRoomMemberPermissions`, current (3.9) names, in the interface's order. */
export const MEET_PERMISSION_KEYS = [
  'recordingControl',
  'recordingList',
  'recordingPlay',
  'recordingDownload',
  'recordingDelete',
  'meetingJoin',
  'meetingRead',
  'roomShareAccessLinks',
  'participantPromote',
  'participantKick',
  'meetingEnd',
  'mediaPublishVideo',
  'mediaPublishAudio',
  'mediaShareScreen',
  'chatRead',
  'chatWrite',
  'mediaChangeVirtualBackground',
] as const;
export type MeetPermissionKey = (typeof MEET_PERMISSION_KEYS)[number];
export type MeetPermissions = Partial<Record<MeetPermissionKey, boolean>>;

/**
 * `MEET_PERMISSION_ALIASES`: each deprecated `can*` name and the current names it stands for, in the source's
 * order. Until 3.12 (`MEET_MODE=compatibility`, the default) payloads carry both sets.
 */
export const MEET_PERMISSION_ALIASES = {
  canRecord: ['recordingControl'],
  canRetrieveRecordings: ['recordingList', 'recordingPlay', 'recordingDownload'],
  canDeleteRecordings: ['recordingDelete'],
  canJoinMeeting: ['meetingJoin'],
  canShareAccessLinks: ['roomShareAccessLinks'],
  canMakeModerator: ['participantPromote'],
  canKickParticipants: ['participantKick'],
  canEndMeeting: ['meetingEnd'],
  canPublishVideo: ['mediaPublishVideo'],
  canPublishAudio: ['mediaPublishAudio'],
  canShareScreen: ['mediaShareScreen'],
  canReadChat: ['chatRead'],
  canWriteChat: ['chatWrite'],
  canChangeVirtualBackground: ['mediaChangeVirtualBackground'],
} as const satisfies Record<string, readonly MeetPermissionKey[]>;
export type MeetDeprecatedPermissionKey = keyof typeof MEET_PERMISSION_ALIASES;

export type MeetRoomStatus = 'open' | 'active_meeting' | 'closed';
export type MeetingEndAction = 'none' | 'close' | 'delete';
export type MeetRoomMemberRole = 'moderator' | 'speaker';

interface AccessLink {
  enabled: boolean;
  url: string;
}

/** `MeetRoom`; `config` is kept opaque (written as given). */
export interface MeetRoom {
  roomId: string;
  roomName: string;
  owner: string;
  creationDate: number;
  autoDeletionDate?: number;
  autoDeletionPolicy?: {
    withMeeting: 'force' | 'when_meeting_ends' | 'fail';
    withRecordings: 'force' | 'close' | 'fail';
  };
  config: Readonly<Record<string, unknown>>;
  roles: { moderator: { permissions: MeetPermissions }; speaker: { permissions: MeetPermissions } };
  access: {
    anonymous: { moderator: AccessLink; speaker: AccessLink; recording: AccessLink };
    user: AccessLink;
  };
  status: MeetRoomStatus;
  rolesUpdatedAt: number;
  meetingEndAction: MeetingEndAction;
}

export type MeetRecordingStatus =
  'starting' | 'active' | 'ending' | 'complete' | 'failed' | 'aborted' | 'limit_reached';
export type MeetRecordingLayout = 'grid' | 'speaker' | 'single-speaker';

/** `MeetRecordingInfo`. Dates are ms (fractional: the backend multiplies nanoseconds by 1e-6), duration seconds. */
export interface MeetRecordingInfo {
  recordingId: string;
  roomId: string;
  roomName: string;
  status: MeetRecordingStatus;
  layout?: MeetRecordingLayout;
  encoding?: string | Readonly<Record<string, unknown>>;
  filename?: string;
  startDate?: number;
  endDate?: number;
  duration?: number;
  size?: number;
  errorCode?: number;
  error?: string;
  details?: string;
}

/** `LeftEventReason`. */
export type MeetLeftReason =
  | 'voluntary_leave'
  | 'network_disconnect'
  | 'server_shutdown'
  | 'participant_kicked'
  | 'meeting_ended'
  | 'meeting_ended_by_self'
  | 'duplicate_identity'
  | 'unknown';

/** `MeetParticipantPayload`. */
export interface MeetParticipant {
  participantIdentity: string;
  participantName: string;
  externalId?: string;
  metadata?: string;
  role: MeetRoomMemberRole;
  /** ms since the epoch. */
  joinDate: number;
}

export interface MeetParticipantJoinedPayload {
  roomId: string;
  roomName: string;
  participant: MeetParticipant;
}

export interface MeetParticipantLeftPayload {
  roomId: string;
  roomName: string;
  participant: MeetParticipant & { leaveDate: number; durationSeconds: number; leaveReason: MeetLeftReason };
}

export type MeetWebhookPayload =
  MeetRoom | MeetRecordingInfo | MeetParticipantJoinedPayload | MeetParticipantLeftPayload;
