/**
 * The validator's own copy of the event catalogue (spec §2, §2.10, §11), written from the spec and kept apart
 * from the simulator's model on purpose: the validator cross-checks the simulator, so it must not share its
 * tables. Versions are 2.x minor numbers (`2.32` → 32).
 */
import { OvsimError } from '../errors.js';

/** JSON type of a field as OpenVidu writes it; `|null` means the key is always present but may be `null`. */
export type FieldType =
  'string' | 'string|null' | 'int' | 'int|null' | 'bool' | 'double' | 'string[]' | 'object' | 'any';

/**
 * Conditions under which a key is written at all (spec §2.5, §2.7):
 * - `inbound`: the connection is INBOUND (`receivingFrom`);
 * - `outboundIpcam`: an OUTBOUND connection of an IP camera (`rtspUri`, …);
 * - `streamVideo`: the stream has video (`videoSource`, `videoFramerate`, `videoDimensions`);
 * - `composedVideo`: outputMode COMPOSED or COMPOSED_QUICK_START with hasVideo (`resolution`, …);
 * - `customLayout`: composedVideo with recordingLayout CUSTOM (`customLayout`).
 */
export type FieldCondition = 'inbound' | 'outboundIpcam' | 'streamVideo' | 'composedVideo' | 'customLayout';

/** One key of an event, in wire order. */
export interface FieldSpec {
  readonly key: string;
  readonly type: FieldType;
  /** First 2.x minor version that writes the key (absent = every supported version). */
  readonly since?: number;
  /** Last 2.x minor version that writes the key. */
  readonly until?: number;
  /** Written only when this condition holds. */
  readonly when?: FieldCondition;
  /** The key may be omitted (Java code skips `addProperty` for a null value). */
  readonly optional?: boolean;
  /** Legal values of an enum-like string field. */
  readonly values?: readonly string[];
}

/** One event name with its wire layout. */
export interface EventSpec {
  readonly name: string;
  readonly since?: number;
  readonly until?: number;
  /** `session` events carry sessionId (and uniqueSessionId since 2.17); `node` events (Pro) carry neither. */
  readonly scope: 'session' | 'node';
  readonly fields: readonly FieldSpec[];
  /**
   * `true` when the layout was read in OpenVidu's open code; `false` for Pro-closed or long-gone events whose
   * layout is only known from docs, so layout problems are warnings and key order is not enforced.
   */
  readonly exact: boolean;
  /** Undocumented extra keys are tolerated (broadcast events: fields unknown). */
  readonly openEnded?: boolean;
  /** Legal values of `reason`, when the event has one. */
  readonly reasons?: readonly string[];
}

/** Oldest 2.x minor version the tables describe (prefixed ids and clientData/serverData appear in 2.12). */
export const OLDEST_MINOR = 12;
/** Newest 2.x minor version; later minors are validated as this one. */
export const NEWEST_MINOR = 32;

/** Connection-level end reasons (participantLeft, spec §2.4). */
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

/** sessionDestroyed reasons after `finalReason` mapping (spec §2.2): never the raw leave reasons. */
export const SESSION_DESTROYED_REASONS = [
  'lastParticipantLeft',
  'sessionClosedByServer',
  'automaticStop',
  'openviduServerStopped',
  'nodeCrashed',
  'mediaServerDisconnect',
  'recordingStoppedByServer',
] as const;

/** webrtcConnectionDestroyed reasons (spec §2.6). */
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

/** recordingStatusChanged reasons (spec §2.7, §4.4-§4.8). */
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

/** broadcastStopped reasons seen in Pro tests (spec §2.10). */
export const BROADCAST_REASONS = [
  'lastParticipantLeft',
  'sessionClosedByServer',
  'automaticStop',
  'mediaServerDisconnect',
  'nodeCrashed',
  'openviduServerStopped',
  'broadcastStoppedByServer',
] as const;

/**
 * Reasons that only a whole-session close produces (`closeSession`, spec §4.5, §4.7, §4.8): once one appears in a
 * session, every participant is being evicted with it and the session ends with it.
 */
export const SESSION_CLOSE_REASONS: ReadonlySet<string> = new Set([
  'sessionClosedByServer',
  'openviduServerStopped',
  'nodeCrashed',
  'mediaServerDisconnect',
]);

/** Leave reasons that `finalReason` maps to `lastParticipantLeft` (spec §2.2). */
export const LAST_PARTICIPANT_LEFT_REASONS: ReadonlySet<string> = new Set([
  'disconnect',
  'forceDisconnectByUser',
  'forceDisconnectByServer',
  'networkDisconnect',
]);

/** `videoSource` values (typeOfVideo, spec §2.5). */
export const VIDEO_SOURCES = ['CAMERA', 'SCREEN', 'CUSTOM', 'IPCAM'] as const;
/** Recording `outputMode` values (spec §2.7). */
export const OUTPUT_MODES = ['COMPOSED', 'INDIVIDUAL', 'COMPOSED_QUICK_START'] as const;
/** Recording `recordingLayout` values (spec §2.7). */
export const RECORDING_LAYOUTS = [
  'BEST_FIT',
  'PICTURE_IN_PICTURE',
  'VERTICAL_PRESENTATION',
  'HORIZONTAL_PRESENTATION',
  'CUSTOM',
] as const;
/** Recording statuses OpenVidu logs (`starting` never is, spec §2.7). */
export const RECORDING_STATUSES = ['started', 'stopped', 'ready', 'failed'] as const;
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

/**
 * Pro media node status diagram (spec §8): allowed `oldStatus → newStatus`; `null` is the entry point.
 */
export const MEDIA_NODE_TRANSITIONS: ReadonlyMap<string | null, readonly string[]> = new Map<
  string | null,
  readonly string[]
>([
  [null, ['launching']],
  ['launching', ['running', 'failed', 'canceled']],
  ['canceled', ['launching', 'terminating']],
  ['running', ['waiting-idle-to-terminate', 'terminating']],
  ['waiting-idle-to-terminate', ['running', 'terminating']],
  ['terminating', ['terminated']],
  ['failed', []],
  ['terminated', []],
]);

// Building blocks, in the order `CDREvent` / `CDREventEnd` write them (spec §1.5, §1.6).
const BASE: readonly FieldSpec[] = [
  { key: 'sessionId', type: 'string' },
  { key: 'uniqueSessionId', type: 'string', since: 17 },
  { key: 'timestamp', type: 'int' },
];
const endFields = (reasons: readonly string[]): readonly FieldSpec[] => [
  { key: 'startTime', type: 'int' },
  { key: 'duration', type: 'int' },
  { key: 'reason', type: 'string', optional: true, values: reasons },
];
// location/platform/clientData may be null for odd clients; Gson then writes `null` (never omits).
const PARTICIPANT: readonly FieldSpec[] = [
  { key: 'participantId', type: 'string' },
  { key: 'connectionId', type: 'string', since: 17 },
  { key: 'location', type: 'string|null' },
  { key: 'ip', type: 'string|null', since: 20 },
  { key: 'platform', type: 'string|null' },
  { key: 'clientData', type: 'string|null' },
  { key: 'serverData', type: 'string|null' },
];
const WEBRTC_TAIL: readonly FieldSpec[] = [
  { key: 'streamId', type: 'string' },
  { key: 'participantId', type: 'string' },
  { key: 'connectionId', type: 'string', since: 17 },
  { key: 'connection', type: 'string', values: ['INBOUND', 'OUTBOUND'] },
  { key: 'receivingFrom', type: 'string', when: 'inbound' },
  { key: 'rtspUri', type: 'string', when: 'outboundIpcam' },
  { key: 'adaptativeBitrate', type: 'bool', when: 'outboundIpcam' },
  { key: 'networkCache', type: 'int|null', when: 'outboundIpcam' },
  { key: 'onlyPlayWithSubscribers', type: 'bool', when: 'outboundIpcam' },
  { key: 'videoSource', type: 'string|null', when: 'streamVideo', values: VIDEO_SOURCES },
  { key: 'videoFramerate', type: 'int|null', when: 'streamVideo' },
  { key: 'videoDimensions', type: 'string|null', when: 'streamVideo' },
  { key: 'audioEnabled', type: 'bool' },
  { key: 'videoEnabled', type: 'bool' },
];
const RECORDING_BODY: readonly FieldSpec[] = [
  { key: 'id', type: 'string' },
  { key: 'name', type: 'string' },
  { key: 'outputMode', type: 'string', values: OUTPUT_MODES },
  { key: 'resolution', type: 'string', when: 'composedVideo' },
  { key: 'frameRate', type: 'int', when: 'composedVideo', since: 18 },
  { key: 'recordingLayout', type: 'string', when: 'composedVideo', values: RECORDING_LAYOUTS },
  { key: 'customLayout', type: 'string', when: 'customLayout', optional: true },
  { key: 'media_node_id', type: 'string', when: 'composedVideo', optional: true, since: 17 },
  { key: 'hasAudio', type: 'bool' },
  { key: 'hasVideo', type: 'bool' },
  { key: 'size', type: 'int' },
];
// Pre-2.21 recordingStarted/recordingStopped, class CDREventRecording (v2.12.0 … v2.20.0, same toJson in each tag
// but for the fields RECORDING_BODY dates): recordingStarted uses the short CDREventEnd constructor (no startTime,
// no reason) and so writes the recording's double `duration` last; recordingStopped uses the end constructor, whose
// int `duration` the double replaces in place, as in recordingStatusChanged.
const RECORDING_STARTED: readonly FieldSpec[] = [
  ...BASE,
  ...RECORDING_BODY,
  { key: 'duration', type: 'double' },
];
const RECORDING_STOPPED: readonly FieldSpec[] = [
  ...BASE,
  { key: 'startTime', type: 'int' },
  { key: 'duration', type: 'double' },
  { key: 'reason', type: 'string', optional: true, values: RECORDING_REASONS },
  ...RECORDING_BODY,
];
const NODE_BASE: readonly FieldSpec[] = [
  { key: 'timestamp', type: 'int' },
  { key: 'id', type: 'string' },
];

/** The catalogue: every event name of 2.12 … 2.32 with its layout. */
export const EVENTS: readonly EventSpec[] = [
  { name: 'sessionCreated', scope: 'session', exact: true, fields: BASE },
  {
    name: 'sessionDestroyed',
    scope: 'session',
    exact: true,
    fields: [...BASE, ...endFields(SESSION_DESTROYED_REASONS)],
    reasons: SESSION_DESTROYED_REASONS,
  },
  { name: 'participantJoined', scope: 'session', exact: true, fields: [...BASE, ...PARTICIPANT] },
  {
    name: 'participantLeft',
    scope: 'session',
    exact: true,
    fields: [...BASE, ...endFields(PARTICIPANT_LEFT_REASONS), ...PARTICIPANT],
    reasons: PARTICIPANT_LEFT_REASONS,
  },
  { name: 'webrtcConnectionCreated', scope: 'session', exact: true, fields: [...BASE, ...WEBRTC_TAIL] },
  {
    name: 'webrtcConnectionDestroyed',
    scope: 'session',
    exact: true,
    fields: [...BASE, ...endFields(WEBRTC_DESTROYED_REASONS), ...WEBRTC_TAIL],
    reasons: WEBRTC_DESTROYED_REASONS,
  },
  {
    name: 'recordingStatusChanged',
    scope: 'session',
    exact: true,
    fields: [
      ...BASE,
      { key: 'startTime', type: 'int' },
      // Re-added by the subclass as a double: keeps its first slot but holds Double.toString text (§1.1, §2.7).
      { key: 'duration', type: 'double' },
      { key: 'reason', type: 'string', optional: true, values: RECORDING_REASONS },
      ...RECORDING_BODY,
      { key: 'status', type: 'string', values: RECORDING_STATUSES },
    ],
    reasons: RECORDING_REASONS,
  },
  {
    name: 'filterEventDispatched',
    scope: 'session',
    exact: true,
    fields: [
      ...BASE,
      { key: 'participantId', type: 'string' },
      { key: 'connectionId', type: 'string', since: 17 },
      { key: 'streamId', type: 'string' },
      { key: 'filterType', type: 'string|null' },
      { key: 'eventType', type: 'string|null' },
      { key: 'data', type: 'string|null' },
    ],
  },
  {
    name: 'signalSent',
    since: 17,
    scope: 'session',
    exact: true,
    fields: [
      ...BASE,
      { key: 'from', type: 'string|null' },
      { key: 'to', type: 'string[]' },
      { key: 'type', type: 'string|null' },
      { key: 'data', type: 'string|null' },
    ],
  },
  { name: 'recordingStarted', until: 20, scope: 'session', exact: true, fields: RECORDING_STARTED },
  {
    name: 'recordingStopped',
    until: 20,
    scope: 'session',
    exact: true,
    fields: RECORDING_STOPPED,
    reasons: RECORDING_REASONS,
  },
  {
    name: 'mediaNodeStatusChanged',
    scope: 'node',
    exact: false,
    fields: [
      ...NODE_BASE,
      { key: 'environmentId', type: 'string|null' },
      { key: 'ip', type: 'string|null' },
      { key: 'uri', type: 'string|null' },
      { key: 'newStatus', type: 'string', values: MEDIA_NODE_STATUSES },
      { key: 'oldStatus', type: 'string|null', values: MEDIA_NODE_STATUSES },
      { key: 'clusterId', type: 'string|null' },
    ],
  },
  {
    name: 'autoscaling',
    since: 15,
    scope: 'node',
    exact: false,
    fields: [
      { key: 'timestamp', type: 'int' },
      { key: 'clusterId', type: 'string|null' },
      { key: 'reason', type: 'string' },
      { key: 'mediaNodes', type: 'object' },
      { key: 'system', type: 'object' },
    ],
  },
  {
    name: 'nodeCrashed',
    since: 17,
    scope: 'node',
    exact: false,
    fields: [
      ...NODE_BASE,
      { key: 'environmentId', type: 'string|null', optional: true },
      { key: 'ip', type: 'string|null' },
      { key: 'uri', type: 'string|null' },
      { key: 'nodeRole', type: 'string', since: 18, values: ['medianode', 'masternode'] },
      { key: 'sessionIds', type: 'string[]', since: 18 },
      { key: 'recordingIds', type: 'string[]', since: 18 },
      { key: 'broadcasts', type: 'string[]', since: 26, optional: true },
      { key: 'clusterId', type: 'string|null', since: 18 },
      { key: 'timeOfDisconnection', type: 'int', since: 26, optional: true },
    ],
  },
  {
    name: 'nodeRecovered',
    since: 22,
    scope: 'node',
    exact: false,
    fields: [
      ...NODE_BASE,
      { key: 'environmentId', type: 'string|null' },
      { key: 'ip', type: 'string|null' },
      { key: 'uri', type: 'string|null' },
      { key: 'nodeRole', type: 'string', values: ['medianode', 'masternode'] },
      { key: 'clusterId', type: 'string|null' },
    ],
  },
  { name: 'broadcastStarted', since: 26, scope: 'session', exact: false, openEnded: true, fields: BASE },
  {
    name: 'broadcastStopped',
    since: 26,
    scope: 'session',
    exact: false,
    openEnded: true,
    fields: [...BASE, { key: 'reason', type: 'string', optional: true, values: BROADCAST_REASONS }],
    reasons: BROADCAST_REASONS,
  },
  {
    name: 'HANodeRegistered',
    since: 28,
    scope: 'node',
    exact: false,
    fields: [
      { key: 'timestamp', type: 'int' },
      { key: 'nodeId', type: 'string' },
      { key: 'ip', type: 'string|null' },
    ],
  },
  {
    name: 'HANodeDeregistered',
    since: 28,
    scope: 'node',
    exact: false,
    fields: [
      { key: 'timestamp', type: 'int' },
      { key: 'nodeId', type: 'string' },
      { key: 'ip', type: 'string|null' },
      { key: 'reason', type: 'string', values: ['mediaNodeStatusTerminated', 'nodeCrashed'] },
    ],
    reasons: ['mediaNodeStatusTerminated', 'nodeCrashed'],
  },
];

const BY_NAME: ReadonlyMap<string, EventSpec> = new Map(EVENTS.map((e) => [e.name, e]));

/** The spec of an event name, whatever the version; `undefined` for names OpenVidu 2.x never used. */
export function eventSpec(name: string): EventSpec | undefined {
  return BY_NAME.get(name);
}

/** Whether an event or field exists in a version. */
export function inVersion(
  item: { readonly since?: number; readonly until?: number },
  minor: number,
): boolean {
  return (
    (item.since === undefined || minor >= item.since) && (item.until === undefined || minor <= item.until)
  );
}

/** `2.x` text of a minor version, for messages. */
export function versionText(minor: number): string {
  return `2.${minor}`;
}

/**
 * Parses a version option: `2.32`, `2.32.1`, `v2.16.0`. Minors above the newest known validate as the newest.
 * @throws OvsimError `BAD_INPUT` for anything that is not an OpenVidu 2.x version the tables cover.
 */
export function parseVersion(text: string): number {
  const m = /^v?2\.(\d{1,3})(?:\.\d+)?$/.exec(text.trim());
  const minor = m?.[1] === undefined ? Number.NaN : Number(m[1]);
  if (!(minor >= OLDEST_MINOR)) {
    throw new OvsimError(
      'BAD_INPUT',
      `unsupported OpenVidu version "${text}": use 2.${OLDEST_MINOR} … 2.${NEWEST_MINOR} (e.g. "2.32" or "2.16")`,
    );
  }
  return Math.min(minor, NEWEST_MINOR);
}
