/**
 * OpenVidu Meet webhook bodies, byte for byte as the Meet backend writes them (`webhook-dispatcher.service.ts`,
 * `participant.helper.ts`, `recording.helper.ts`, `permission-naming.helper.ts`): `JSON.stringify` of
 * `{event, creationDate, data}`, each payload object built in the key order of the source's object literals (an
 * `undefined` property disappears), dates in ms.
 */
import type { DisconnectReasonName } from '../livekit/enums.js';
import type { EgressInfo } from '../livekit/egress.js';
import type { ParticipantInfo } from '../livekit/models.js';
import {
  MEET_PERMISSION_ALIASES,
  type MeetDeprecatedPermissionKey,
  type MeetEventName,
  type MeetLeftReason,
  type MeetParticipant,
  type MeetParticipantJoinedPayload,
  type MeetParticipantLeftPayload,
  type MeetPermissions,
  type MeetRecordingInfo,
  type MeetRecordingLayout,
  type MeetRecordingStatus,
  type MeetRoom,
  type MeetWebhookPayload,
} from './meet-types.js';

/** The body of one Meet webhook; `creationDate` (ms) is also the `X-Timestamp` header. */
export function meetWebhookBody(
  event: MeetEventName,
  creationDate: number,
  data: MeetWebhookPayload,
): string {
  return JSON.stringify({ event, creationDate, data });
}

/** `MEET_MODE`: `compatibility` (the 3.9 default, until 3.12) or `3.9.0`. */
export type MeetMode = 'compatibility' | '3.9.0';

/**
 * `roomToWirePermissions`: in compatibility mode each role's permissions carry the current keys, then the
 * deprecated `can*` ones (`toDeprecatedPermissions`: a group collapses with AND, and is left out when one of its
 * keys is missing).
 */
export function meetRoomToWire(room: MeetRoom, mode: MeetMode = 'compatibility'): MeetRoom {
  if (mode !== 'compatibility') return room;
  return {
    ...room,
    roles: {
      moderator: { permissions: withDeprecatedAliases(room.roles.moderator.permissions) },
      speaker: { permissions: withDeprecatedAliases(room.roles.speaker.permissions) },
    },
  };
}

function withDeprecatedAliases(permissions: MeetPermissions): MeetPermissions {
  const deprecated: Partial<Record<MeetDeprecatedPermissionKey, boolean>> = {};
  for (const [old, current] of Object.entries(MEET_PERMISSION_ALIASES) as [
    MeetDeprecatedPermissionKey,
    readonly string[],
  ][]) {
    let collapsed: boolean | undefined = true;
    for (const key of current) {
      const v = permissions[key as keyof MeetPermissions];
      if (typeof v !== 'boolean') {
        collapsed = undefined;
        break;
      }
      collapsed = collapsed && v;
    }
    if (typeof collapsed === 'boolean') deprecated[old] = collapsed;
  }
  return { ...permissions, ...deprecated };
}

/** `extractLeftReason`: the LiveKit disconnect reason as the `participantLeft` webhook names it. */
export function meetLeftReason(reason: DisconnectReasonName | undefined): MeetLeftReason {
  switch (reason) {
    case 'CLIENT_INITIATED':
      return 'voluntary_leave';
    case 'SIGNAL_CLOSE':
    case 'STATE_MISMATCH':
    case 'CONNECTION_TIMEOUT':
    case 'MEDIA_FAILURE':
      return 'network_disconnect';
    case 'SERVER_SHUTDOWN':
      return 'server_shutdown';
    case 'PARTICIPANT_REMOVED':
      return 'participant_kicked';
    case 'ROOM_DELETED':
    case 'ROOM_CLOSED':
      return 'meeting_ended';
    case 'DUPLICATE_IDENTITY':
      return 'duplicate_identity';
    default:
      return 'unknown';
  }
}

/** What `parseMeetingMetadata` reads from the participant's metadata (its token's Meet metadata). */
export interface MeetParticipantMeta {
  readonly externalId?: string;
  readonly metadata?: string;
  readonly role: 'moderator' | 'speaker';
}

/** `toParticipantPayload`: join date from `joinedAtMs`, else `joinedAt`·1000, else 0. */
export function meetParticipant(p: ParticipantInfo, meta: MeetParticipantMeta): MeetParticipant {
  const joinedAtMs = Number(p.joinedAtMs ?? 0);
  return {
    participantIdentity: p.identity ?? '',
    participantName: p.name ?? '',
    externalId: meta.externalId,
    metadata: meta.metadata,
    role: meta.role,
    joinDate: joinedAtMs > 0 ? joinedAtMs : Number(p.joinedAt ?? 0) * 1000,
  } as MeetParticipant;
}

export function meetParticipantJoined(
  roomId: string,
  roomName: string,
  participant: MeetParticipant,
): MeetParticipantJoinedPayload {
  return { roomId, roomName, participant };
}

/** `toParticipantLeftPayload`: the stay in whole seconds, rounded (`Math.round`), 0 without a join date. */
export function meetParticipantLeft(
  roomId: string,
  roomName: string,
  participant: MeetParticipant,
  leaveDate: number,
  reason: DisconnectReasonName | undefined,
): MeetParticipantLeftPayload {
  const durationSeconds =
    participant.joinDate <= 0 ? 0 : Math.max(0, Math.round((leaveDate - participant.joinDate) / 1000));
  return {
    roomId,
    roomName,
    participant: { ...participant, leaveDate, durationSeconds, leaveReason: meetLeftReason(reason) },
  };
}

const STATUS: Readonly<Record<string, MeetRecordingStatus>> = {
  EGRESS_STARTING: 'starting',
  EGRESS_ACTIVE: 'active',
  EGRESS_ENDING: 'ending',
  EGRESS_COMPLETE: 'complete',
  EGRESS_FAILED: 'failed',
  EGRESS_ABORTED: 'aborted',
  EGRESS_LIMIT_REACHED: 'limit_reached',
};

/**
 * `RecordingHelper.toRecordingInfo` for a room-composite egress whose first file is `<roomId>--<uid>.<ext>`: the
 * recording id `<roomId>--<egressId>--<uid>`, times converted from ns by `* (1 / 1e6)` (fractional ms, as the
 * backend computes them), duration by `* (1 / 1e9)`. An `advanced` encoding is not converted (left out).
 */
export function meetRecordingFromEgress(egress: EgressInfo, roomName: string): MeetRecordingInfo {
  const file = egress.fileResults?.[0];
  const filename = (file?.filename ?? '').split('/').pop()!;
  const uid = (filename.split('--')[1] ?? '').split('.')[0];
  const roomId = egress.roomName ?? '';
  const request = egress.request?.case === 'roomComposite' ? egress.request.value : undefined;
  const toMs = (ns: unknown) => Number(ns ?? 0) * (1 / 1_000_000);
  const duration = Number(file?.duration ?? 0) * (1 / 1_000_000_000);
  const size = Number(file?.size ?? 0);
  const started =
    egress.startedAt !== undefined && Number(egress.startedAt) !== 0
      ? egress.startedAt
      : (egress.updatedAt ?? 0);
  const endDate = toMs(egress.endedAt);
  return {
    recordingId: `${roomId}--${egress.egressId ?? ''}--${uid}`,
    roomId,
    roomName,
    layout: request === undefined ? undefined : layoutOf(request.layout),
    encoding: request?.options?.case === 'preset' ? request.options.value : undefined,
    status: STATUS[egress.status ?? 'EGRESS_STARTING'] ?? 'failed',
    filename,
    startDate: toMs(started),
    endDate: endDate !== 0 ? endDate : undefined,
    duration: duration !== 0 ? duration : undefined,
    size: size !== 0 ? size : undefined,
    errorCode: egress.errorCode ? Number(egress.errorCode) : undefined,
    error: egress.error ? String(egress.error) : undefined,
    details: egress.details ? String(egress.details) : undefined,
  } as MeetRecordingInfo;
}

function layoutOf(layout: string | undefined): MeetRecordingLayout {
  return layout === 'speaker' || layout === 'single-speaker' ? layout : 'grid';
}
