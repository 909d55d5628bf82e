/**
 * `ParticipantInfo` as `ParticipantImpl.ToProtoWithVersion` fills it (livekit/livekit `pkg/rtc/participant.go`):
 * `joinedAt`/`joinedAtMs` are the signal connection's instant; `version` counts the participant's changes (its state
 * JOINED then ACTIVE, each track published or unpublished, its departure); `tracks` are those published now;
 * `permission` comes from the token's grants; `disconnectReason` is set once it closes (from v1.8.0).
 * An OpenVidu 2 connection maps as: identity the token's (default the scenario handle), `name` the first name in
 * `clientData`, `metadata` the server data; a SUBSCRIBER cannot publish; an IP camera is an INGRESS participant; an
 * egress's recorder is a hidden EGRESS participant named after the egress.
 */
import type { ConnectionFacts, LivekitEgressFacts } from '../entities.js';
import type { DisconnectReasonName, ParticipantStateName } from '../livekit/enums.js';
import type { ParticipantInfo, ParticipantPermission, TrackInfo } from '../livekit/models.js';
import type { LivekitProfile } from './livekit-profile.js';
import type { RoomMember } from './room-state.js';

/** A participant as the renderer follows it. */
export interface ParticipantState {
  readonly member: RoomMember;
  state: ParticipantStateName;
  version: number;
  /** Tracks published now. */
  tracks: TrackInfo[];
  /** It became ACTIVE (LiveKit's telemetry worker `IsConnected`). */
  connected: boolean;
}

/** OpenVidu 2's departure reasons as the `DisconnectReason` of the same departure on LiveKit. */
const DISCONNECT_REASON: Readonly<Record<string, DisconnectReasonName>> = {
  disconnect: 'CLIENT_INITIATED',
  forceDisconnectByUser: 'PARTICIPANT_REMOVED',
  forceDisconnectByServer: 'PARTICIPANT_REMOVED',
  networkDisconnect: 'SIGNAL_CLOSE',
  sessionClosedByServer: 'ROOM_DELETED',
  lastParticipantLeft: 'ROOM_CLOSED',
  openviduServerStopped: 'SERVER_SHUTDOWN',
  mediaServerDisconnect: 'SERVER_SHUTDOWN',
  mediaServerReconnect: 'SERVER_SHUTDOWN',
  nodeCrashed: 'SERVER_SHUTDOWN',
};

export function disconnectReasonOf(reason: string): DisconnectReasonName {
  return DISCONNECT_REASON[reason] ?? 'UNKNOWN_REASON';
}

/** The display name an OpenVidu 2 application put in `clientData` (`{"clientData":"Ana"}`), else the text itself. */
export function displayName(c: ConnectionFacts): string {
  if (c.ipcam) return c.serverData ?? '';
  const text = c.clientData;
  if (text.startsWith('{')) {
    try {
      const v = (JSON.parse(text) as Record<string, unknown>).clientData;
      if (typeof v === 'string') return v;
    } catch {
      // not JSON: the text is the name
    }
  }
  return text;
}

function permissionOf(c: ConnectionFacts): ParticipantPermission {
  if (c.ipcam) return { canPublish: true };
  return { canSubscribe: true, canPublish: c.role !== 'SUBSCRIBER', canPublishData: true };
}

/** The full ParticipantInfo of a WebRTC participant or an IP camera's ingress participant. */
export function participantInfo(
  c: ConnectionFacts,
  p: ParticipantState,
  profile: LivekitProfile,
  reason?: DisconnectReasonName,
): ParticipantInfo {
  const lk = c.livekit!;
  return {
    sid: lk.sid,
    identity: lk.identity,
    state: p.state,
    tracks: p.tracks,
    metadata: c.ipcam ? '' : (c.serverData ?? ''),
    joinedAt: Math.floor(c.joinedAt / 1000),
    joinedAtMs: c.joinedAt,
    name: displayName(c),
    version: p.version,
    permission: permissionOf(c),
    isPublisher: p.member.isPublisher,
    ...(c.ipcam ? { kind: 'INGRESS' as const } : {}),
    ...(reason !== undefined && profile.writesDisconnectReason ? { disconnectReason: reason } : {}),
    ...(c.ipcam ? {} : { clientProtocol: profile.clientProtocol }),
  };
}

/** The hidden EGRESS participant a composite egress joins the room as; its identity is the egress id. */
export function recorderInfo(
  lk: LivekitEgressFacts,
  joinedAt: number,
  state: ParticipantStateName,
  version: number,
  profile: LivekitProfile,
  reason?: DisconnectReasonName,
): ParticipantInfo {
  return {
    sid: lk.recorderSid,
    identity: lk.egressId,
    state,
    joinedAt: Math.floor(joinedAt / 1000),
    joinedAtMs: joinedAt,
    version,
    permission: { canSubscribe: true, hidden: true, recorder: true },
    kind: 'EGRESS',
    ...(reason !== undefined && profile.writesDisconnectReason ? { disconnectReason: reason } : {}),
  };
}
