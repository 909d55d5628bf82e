/**
 * The legal values of the enum-like fields of OpenVidu 2.x's events and REST API, each written once, in the order of
 * OpenVidu's own declarations (spec §2, §8). The event catalogue, the scenario schema, the engine, the fake REST API
 * and the validator take them from here.
 */

/** Recording `outputMode` (`Recording.OutputMode` of openvidu-java-client, in its declaration order). */
export const OUTPUT_MODES = ['COMPOSED', 'INDIVIDUAL', 'COMPOSED_QUICK_START'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/**
 * The OpenVidu 2.x minor version in which an output mode appeared, for those younger than the oldest version
 * described: COMPOSED_QUICK_START is in `Recording.OutputMode` from v2.15.0 (v2.14.0's enum has COMPOSED and
 * INDIVIDUAL only).
 */
export const OUTPUT_MODE_SINCE: Readonly<Partial<Record<OutputMode, number>>> = { COMPOSED_QUICK_START: 15 };

/** Whether OpenVidu 2.`minor` knows the output mode. */
export function hasOutputMode(mode: string, minor: number): boolean {
  return (
    (OUTPUT_MODES as readonly string[]).includes(mode) &&
    minor >= (OUTPUT_MODE_SINCE[mode as OutputMode] ?? 0)
  );
}

/** Recording `recordingLayout` (`RecordingLayout` of openvidu-java-client, in its declaration order). */
export const RECORDING_LAYOUTS = [
  'BEST_FIT',
  'PICTURE_IN_PICTURE',
  'VERTICAL_PRESENTATION',
  'HORIZONTAL_PRESENTATION',
  'CUSTOM',
] as const;
export type RecordingLayout = (typeof RECORDING_LAYOUTS)[number];

/** Recording statuses the CDR and WebHook carry (`starting` never is logged, spec §2.7). */
export const RECORDING_STATUSES = ['started', 'stopped', 'ready', 'failed'] as const;

/** `videoSource` of a stream with video (`typeOfVideo`, spec §2.5). */
export const VIDEO_SOURCES = ['CAMERA', 'SCREEN', 'CUSTOM', 'IPCAM'] as const;

/** `connection` of a WebRTC connection event: OUTBOUND when publishing, INBOUND when subscribing. */
export const CONNECTION_TYPES = ['INBOUND', 'OUTBOUND'] as const;

/** Pro media node statuses (spec §8). */
export const MEDIA_NODE_STATUSES = [
  'launching',
  'canceled',
  'failed',
  'running',
  'waiting-idle-to-terminate',
  'terminating',
  'terminated',
] as const;

/** `nodeRole` of `nodeCrashed` and `nodeRecovered`. */
export const NODE_ROLES = ['medianode', 'masternode'] as const;

/** Connection-level end reasons (`participantLeft`, spec §2.4). */
export const PARTICIPANT_LEFT_REASONS = [
  'disconnect',
  'forceDisconnectByUser',
  'forceDisconnectByServer',
  'sessionClosedByServer',
  'networkDisconnect',
  'mediaServerDisconnect',
  'nodeCrashed',
  'openviduServerStopped',
] as const;

/** `sessionDestroyed` reasons after `finalReason` mapping (spec §2.2): never the raw leave reasons. */
export const SESSION_DESTROYED_REASONS = [
  'lastParticipantLeft',
  'sessionClosedByServer',
  'automaticStop',
  'openviduServerStopped',
  'nodeCrashed',
  'mediaServerDisconnect',
  'recordingStoppedByServer',
] as const;

/** `webrtcConnectionDestroyed` reasons (spec §2.6). */
export const WEBRTC_DESTROYED_REASONS = [
  'unsubscribe',
  'unpublish',
  'disconnect',
  'forceUnpublishByUser',
  'forceUnpublishByServer',
  'forceDisconnectByUser',
  'forceDisconnectByServer',
  'sessionClosedByServer',
  'networkDisconnect',
  'mediaServerDisconnect',
  'mediaServerReconnect',
  'nodeCrashed',
  'openviduServerStopped',
] as const;

/** Recording stop reasons (`recordingStatusChanged`, spec §2.7, §4.4–§4.8). */
export const RECORDING_REASONS = [
  'recordingStoppedByServer',
  'lastParticipantLeft',
  'sessionClosedByServer',
  'automaticStop',
  'openviduServerStopped',
  'mediaServerDisconnect',
  'mediaServerReconnect',
  'nodeCrashed',
] as const;

/** `broadcastStopped` reasons seen in Pro tests (spec §2.10). */
export const BROADCAST_REASONS = [
  'lastParticipantLeft',
  'sessionClosedByServer',
  'automaticStop',
  'mediaServerDisconnect',
  'nodeCrashed',
  'openviduServerStopped',
  'broadcastStoppedByServer',
] as const;

/** `HANodeDeregistered` reasons (spec §2.10). */
export const HA_NODE_DEREGISTERED_REASONS = ['mediaNodeStatusTerminated', 'nodeCrashed'] as const;
