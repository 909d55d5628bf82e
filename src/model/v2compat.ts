/**
 * OpenVidu 3 PRO's v2-compatibility webhooks as degradations of OpenVidu 2 events, a pure function per event.
 *
 * Documented facts (OpenVidu/openvidu.io-docs `docs/openvidu3.md`, "Breaking changes in Webhook events";
 * `shared/self-hosting/openvidu-pro-v2-compatibility-common.md`, `V2COMPAT_OPENVIDU_WEBHOOK_EVENTS`):
 * - exactly eight events exist: sessionCreated, sessionDestroyed, participantJoined, participantLeft,
 *   webrtcConnectionCreated, webrtcConnectionDestroyed, recordingStatusChanged, signalSent — so no node, autoscaling,
 *   HA, filter or broadcast events, and no CDR-only companions;
 * - subscriptions send nothing: no `webrtcConnection*` with `connection: "INBOUND"`;
 * - `location` is always `"unknown"` on participantJoined/participantLeft;
 * - `videoFramerate` is always 30 on webrtcConnection* (when the stream has video);
 * - `reason` is "available but not accurate" on sessionDestroyed, participantLeft, webrtcConnectionDestroyed and
 *   recordingStatusChanged;
 * - INDIVIDUAL recordings are `.mp4` files (no webhook field carries a file name: it concerns the REST API and the
 *   recording files) and COMPOSED recordings have no thumbnail.
 *
 * What "not accurate" means is ovsim's choice — the module's source is not public: the module can only report what
 * LiveKit tells it. `participant_left` carries a `disconnectReason` that distinguishes a client leave, a removal, a
 * room deletion, a dropped signal and a server shutdown, but not who asked for a removal, and v3 has no media-node
 * failures; `room_finished` and `track_unpublished` carry no reason; an egress ends by the StopEgress API or because
 * its source closed. Each OpenVidu 2 reason is therefore replaced by the one the module can tell apart (tables
 * below, and docs/openvidu3.md).
 */
import type { CdrEvent, EventName } from './catalogue.js';

/** `V2COMPAT_OPENVIDU_WEBHOOK_EVENTS` default: all the events the module has. */
export const V2COMPAT_EVENTS = [
  'sessionCreated',
  'sessionDestroyed',
  'participantJoined',
  'participantLeft',
  'webrtcConnectionCreated',
  'webrtcConnectionDestroyed',
  'recordingStatusChanged',
  'signalSent',
] as const satisfies readonly EventName[];

/** The extension of the files of an INDIVIDUAL recording under v2-compatibility (OpenVidu 2 wrote `webm`). */
export const V2COMPAT_INDIVIDUAL_FILE_EXTENSION = 'mp4';

/** participantLeft: what `disconnectReason` lets the module tell apart. */
const PARTICIPANT_REASON: Readonly<Record<string, string>> = {
  disconnect: 'disconnect', // CLIENT_INITIATED
  forceDisconnectByUser: 'forceDisconnectByServer', // PARTICIPANT_REMOVED, whoever asked
  forceDisconnectByServer: 'forceDisconnectByServer',
  sessionClosedByServer: 'sessionClosedByServer', // ROOM_DELETED
  networkDisconnect: 'networkDisconnect', // SIGNAL_CLOSE, CONNECTION_TIMEOUT
  openviduServerStopped: 'openviduServerStopped', // SERVER_SHUTDOWN
  mediaServerDisconnect: 'networkDisconnect', // no media nodes in v3: the client's connection drops
  mediaServerReconnect: 'networkDisconnect',
  nodeCrashed: 'networkDisconnect',
};

/** webrtcConnectionDestroyed (OUTBOUND): `track_unpublished` has no reason; a track ends alone or with its owner. */
const STREAM_REASON: Readonly<Record<string, string>> = {
  ...PARTICIPANT_REASON,
  unpublish: 'unpublish',
  forceUnpublishByUser: 'forceUnpublishByServer',
  forceUnpublishByServer: 'forceUnpublishByServer',
};

/**
 * sessionDestroyed: `room_finished` has no reason; the module knows the deletions it asked for itself and a server
 * shutdown (its participants left with `SERVER_SHUTDOWN` just before); a room nobody joined closes on its empty
 * timeout (`automaticStop`); any other room closed because its last participant left.
 */
function sessionReason(reason: string): string {
  return reason === 'sessionClosedByServer' ||
    reason === 'openviduServerStopped' ||
    reason === 'automaticStop'
    ? reason
    : 'lastParticipantLeft';
}

/**
 * recordingStatusChanged: an egress ends by StopEgress (the module's own stop or deletion) or by its source closing
 * (its room going: deleted, the server shutting down, or the last participant leaving).
 */
function recordingReason(reason: string): string {
  return reason === 'recordingStoppedByServer' ||
    reason === 'sessionClosedByServer' ||
    reason === 'openviduServerStopped'
    ? reason
    : 'lastParticipantLeft';
}

export interface V2CompatOptions {
  /** `V2COMPAT_OPENVIDU_WEBHOOK_EVENTS`: a subset of `V2COMPAT_EVENTS`; default all. */
  readonly events?: readonly string[];
}

/**
 * The event the v2-compatibility module sends for an OpenVidu 2 event, or `undefined` when it sends none. The
 * input is not modified.
 */
export function toV2Compat(event: CdrEvent, options: V2CompatOptions = {}): CdrEvent | undefined {
  const allowed: readonly string[] = options.events ?? V2COMPAT_EVENTS;
  if (!(V2COMPAT_EVENTS as readonly string[]).includes(event.name) || !allowed.includes(event.name))
    return undefined;
  const data = { ...(event.data as Record<string, unknown>) };
  const reason = typeof data.reason === 'string' ? data.reason : undefined;
  switch (event.name) {
    case 'participantJoined':
    case 'participantLeft':
      data.location = 'unknown';
      if (event.name === 'participantLeft' && reason !== undefined)
        data.reason = PARTICIPANT_REASON[reason] ?? reason;
      break;
    case 'webrtcConnectionCreated':
    case 'webrtcConnectionDestroyed':
      if (data.connection === 'INBOUND') return undefined;
      if (data.videoFramerate !== undefined) data.videoFramerate = 30;
      if (event.name === 'webrtcConnectionDestroyed' && reason !== undefined)
        data.reason = STREAM_REASON[reason] ?? reason;
      break;
    case 'sessionDestroyed':
      if (reason !== undefined) data.reason = sessionReason(reason);
      break;
    case 'recordingStatusChanged':
      if (reason !== undefined) data.reason = recordingReason(reason);
      break;
    default:
      break;
  }
  return { name: event.name, data } as CdrEvent;
}
