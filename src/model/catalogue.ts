/**
 * The event catalogue: one table per event type giving its fields in wire order, their types, when they are null or
 * omitted, and in which OpenVidu versions they exist (spec §2, §11). The serializer, the TypeScript types of event
 * data and the exported JSON Schema are all derived from this table. A version profile is data here: a field or an
 * event carries `since` (first 2.x minor version that writes it) and `until` (first one that no longer does).
 */

export type FieldType = 'string' | 'long' | 'int' | 'double' | 'boolean' | 'stringArray' | 'json';

/** One field of an event: its key, its Java type, whether it may be absent, and the versions that write it. */
export interface FieldSpec {
  readonly key: string;
  readonly type: FieldType;
  /** Omitted from the output when the value is `undefined` (OpenVidu skips the `addProperty`). */
  readonly optional?: boolean;
  /** May be written as JSON `null`. */
  readonly nullable?: boolean;
  /** First 2.x minor version writing the field (e.g. 17 for 2.17). */
  readonly since?: number;
  /** First 2.x minor version no longer writing it. */
  readonly until?: number;
  /** Documentation for the JSON Schema and the page. */
  readonly doc?: string;
}

/** One event of the catalogue: its fields in OpenVidu's order, its edition and the versions that have it. */
export interface EventSpec {
  readonly fields: readonly FieldSpec[];
  readonly since?: number;
  readonly until?: number;
  /** `ce` events exist in every edition; `pro` ones need Pro or Enterprise; `enterprise` ones need Enterprise. */
  readonly edition: 'ce' | 'pro' | 'enterprise';
  /**
   * A CDR-file-only companion of another event: written next to it when that event's `field` equals `value`
   * (the pre-2.21 `recordingStarted`/`recordingStopped`, spec §11) — right after it, or right before it in the
   * versions below `leadsUntil`. Never sent to the WebHook.
   */
  readonly companionOf?: {
    readonly event: string;
    readonly field: string;
    readonly value: string;
    readonly leadsUntil?: number;
  };
  /** Where the field set comes from when it is not in OpenVidu's open code (spec §12). */
  readonly provenance: 'code' | 'docs' | 'invented';
  readonly doc: string;
}

const BASE = [
  { key: 'sessionId', type: 'string', optional: true },
  { key: 'uniqueSessionId', type: 'string', optional: true, since: 17 },
  { key: 'timestamp', type: 'long', doc: 'ms since the epoch' },
] as const satisfies readonly FieldSpec[];

const END = [
  { key: 'startTime', type: 'long' },
  { key: 'duration', type: 'int', doc: 'whole seconds, truncated' },
  { key: 'reason', type: 'string', optional: true },
] as const satisfies readonly FieldSpec[];

const PARTICIPANT = [
  { key: 'participantId', type: 'string' },
  { key: 'connectionId', type: 'string', since: 17 },
  { key: 'location', type: 'string' },
  { key: 'ip', type: 'string', nullable: true, since: 20 },
  { key: 'platform', type: 'string' },
  { key: 'clientData', type: 'string' },
  { key: 'serverData', type: 'string', nullable: true },
] as const satisfies readonly FieldSpec[];

const WEBRTC = [
  { key: 'streamId', type: 'string' },
  { key: 'participantId', type: 'string' },
  { key: 'connectionId', type: 'string', since: 17 },
  { key: 'connection', type: 'string', doc: 'INBOUND or OUTBOUND' },
  { key: 'receivingFrom', type: 'string', optional: true, doc: 'INBOUND only' },
  { key: 'rtspUri', type: 'string', optional: true, doc: 'IP camera OUTBOUND only' },
  { key: 'adaptativeBitrate', type: 'boolean', optional: true },
  // CDREventWebrtcConnection.java writes networkCache from v2.16.0 (absent in v2.12.0–v2.15.0).
  { key: 'networkCache', type: 'int', optional: true, since: 16 },
  { key: 'onlyPlayWithSubscribers', type: 'boolean', optional: true },
  {
    key: 'videoSource',
    type: 'string',
    optional: true,
    nullable: true,
    doc: 'only when the stream has video',
  },
  { key: 'videoFramerate', type: 'int', optional: true, nullable: true },
  { key: 'videoDimensions', type: 'string', optional: true, nullable: true },
  { key: 'audioEnabled', type: 'boolean' },
  { key: 'videoEnabled', type: 'boolean' },
] as const satisfies readonly FieldSpec[];

const RECORDING_TAIL = [
  { key: 'id', type: 'string' },
  { key: 'name', type: 'string' },
  { key: 'outputMode', type: 'string' },
  { key: 'resolution', type: 'string', optional: true, doc: 'COMPOSED with video only' },
  { key: 'frameRate', type: 'int', optional: true, since: 18 },
  { key: 'recordingLayout', type: 'string', optional: true },
  { key: 'customLayout', type: 'string', optional: true },
  { key: 'media_node_id', type: 'string', optional: true, since: 17 },
  { key: 'hasAudio', type: 'boolean' },
  { key: 'hasVideo', type: 'boolean' },
  { key: 'size', type: 'long' },
] as const satisfies readonly FieldSpec[];

/**
 * Pre-2.21 `recordingStarted` (CDREventRecording.java, v2.12.0–v2.20.0): built with the short CDREventEnd
 * constructor, so no `startTime`, `duration` nor `reason` up front; the recording's own double `duration` is added
 * last, after `size`.
 */
const LEGACY_RECORDING_STARTED = [
  ...BASE,
  ...RECORDING_TAIL,
  { key: 'duration', type: 'double' },
] as const satisfies readonly FieldSpec[];

/**
 * Pre-2.21 `recordingStopped` (same class, end constructor): `startTime`, the int `duration` that the recording's
 * double `duration` then replaces in its slot, `reason`, the recording fields; no `status`.
 */
const LEGACY_RECORDING_STOPPED = [
  ...BASE,
  { key: 'startTime', type: 'long' },
  { key: 'duration', type: 'double' },
  { key: 'reason', type: 'string', optional: true },
  ...RECORDING_TAIL,
] as const satisfies readonly FieldSpec[];

const MEDIA_NODE = [
  { key: 'id', type: 'string' },
  { key: 'environmentId', type: 'string', nullable: true },
  { key: 'ip', type: 'string', nullable: true },
  { key: 'uri', type: 'string', nullable: true },
] as const satisfies readonly FieldSpec[];

/** The catalogue, in OpenVidu's `CDREventName` declaration order. */
export const CATALOGUE = {
  sessionCreated: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A session was created (REST POST /sessions).',
    fields: [...BASE],
  },
  sessionDestroyed: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A session was closed.',
    fields: [...BASE, ...END],
  },
  participantJoined: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A user or IP camera connected to a session.',
    fields: [...BASE, ...PARTICIPANT],
  },
  participantLeft: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A user or IP camera left a session.',
    fields: [...BASE, ...END, ...PARTICIPANT],
  },
  webrtcConnectionCreated: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A WebRTC connection was established: OUTBOUND when publishing, INBOUND when subscribing.',
    fields: [...BASE, ...WEBRTC],
  },
  webrtcConnectionDestroyed: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A WebRTC connection was closed.',
    fields: [...BASE, ...END, ...WEBRTC],
  },
  recordingStatusChanged: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A recording changed status: started, stopped, ready or failed.',
    fields: [
      ...BASE,
      { key: 'startTime', type: 'long' },
      // Written first as an int by the superclass, then replaced by the recording's double: the key keeps its slot.
      { key: 'duration', type: 'double', doc: 'seconds, Java double form' },
      { key: 'reason', type: 'string', optional: true },
      ...RECORDING_TAIL,
      { key: 'status', type: 'string' },
    ],
  },
  recordingStarted: {
    edition: 'ce',
    provenance: 'code',
    until: 21,
    // RecordingManager.startRecording logs recordRecordingStarted before recordRecordingStatusChanged up to
    // v2.16.0 and after it from v2.17.0 to v2.20.0.
    companionOf: { event: 'recordingStatusChanged', field: 'status', value: 'started', leadsUntil: 17 },
    doc: 'Before 2.21, CDR file only: a recording started (logged before its recordingStatusChanged up to 2.16, after it from 2.17).',
    fields: LEGACY_RECORDING_STARTED,
  },
  recordingStopped: {
    edition: 'ce',
    provenance: 'code',
    until: 21,
    companionOf: { event: 'recordingStatusChanged', field: 'status', value: 'stopped' },
    doc: 'Before 2.21, CDR file only: a recording stopped (logged after its recordingStatusChanged).',
    fields: LEGACY_RECORDING_STOPPED,
  },
  filterEventDispatched: {
    edition: 'ce',
    provenance: 'code',
    doc: 'A media filter (e.g. ZBarFilter) dispatched an event a client listens to.',
    fields: [
      ...BASE,
      { key: 'participantId', type: 'string' },
      { key: 'connectionId', type: 'string', since: 17 },
      { key: 'streamId', type: 'string' },
      { key: 'filterType', type: 'string' },
      { key: 'eventType', type: 'string' },
      { key: 'data', type: 'string' },
    ],
  },
  signalSent: {
    edition: 'ce',
    provenance: 'code',
    since: 17,
    doc: 'A signal was sent to participants of a session.',
    fields: [
      ...BASE,
      { key: 'from', type: 'string', nullable: true, doc: 'null when sent by the server (REST)' },
      { key: 'to', type: 'stringArray', doc: 'Java HashSet iteration order' },
      { key: 'type', type: 'string', nullable: true },
      { key: 'data', type: 'string', nullable: true },
    ],
  },
  mediaNodeStatusChanged: {
    edition: 'pro',
    provenance: 'docs',
    since: 12,
    doc: 'A media node of a Pro cluster changed status.',
    fields: [
      ...BASE,
      ...MEDIA_NODE,
      { key: 'newStatus', type: 'string' },
      { key: 'oldStatus', type: 'string', nullable: true },
      { key: 'clusterId', type: 'string' },
    ],
  },
  autoscaling: {
    edition: 'pro',
    provenance: 'docs',
    since: 15,
    doc: 'The autoscaling of a Pro cluster decided to launch or terminate media nodes.',
    fields: [
      ...BASE,
      { key: 'clusterId', type: 'string' },
      { key: 'reason', type: 'string' },
      { key: 'mediaNodes', type: 'json' },
      { key: 'system', type: 'json' },
    ],
  },
  nodeCrashed: {
    edition: 'pro',
    provenance: 'code',
    since: 17,
    doc: 'A node stopped answering and could not be reconnected.',
    fields: [
      ...BASE,
      { key: 'id', type: 'string' },
      { key: 'environmentId', type: 'string', optional: true },
      { key: 'ip', type: 'string', nullable: true },
      { key: 'uri', type: 'string', nullable: true },
      { key: 'nodeRole', type: 'string', since: 18 },
      { key: 'sessionIds', type: 'stringArray', since: 18 },
      { key: 'recordingIds', type: 'stringArray', since: 18 },
      { key: 'broadcasts', type: 'stringArray', since: 26 },
      { key: 'clusterId', type: 'string', since: 18 },
    ],
  },
  nodeRecovered: {
    edition: 'pro',
    provenance: 'docs',
    since: 22,
    doc: 'A crashed node reconnected before being terminated.',
    fields: [
      ...BASE,
      ...MEDIA_NODE,
      { key: 'nodeRole', type: 'string' },
      { key: 'clusterId', type: 'string' },
    ],
  },
  broadcastStarted: {
    edition: 'pro',
    provenance: 'invented',
    since: 26,
    doc: 'A session started broadcasting to an RTMP URL (field set undocumented by OpenVidu).',
    fields: [
      ...BASE,
      { key: 'broadcastUrl', type: 'string' },
      { key: 'media_node_id', type: 'string', optional: true },
    ],
  },
  broadcastStopped: {
    edition: 'pro',
    provenance: 'invented',
    since: 26,
    doc: 'A session stopped broadcasting (field set undocumented by OpenVidu).',
    fields: [
      ...BASE,
      ...END,
      { key: 'broadcastUrl', type: 'string' },
      { key: 'media_node_id', type: 'string', optional: true },
    ],
  },
  HANodeRegistered: {
    edition: 'enterprise',
    provenance: 'docs',
    since: 28,
    doc: 'A master node joined the Enterprise high-availability cluster.',
    fields: [...BASE, { key: 'nodeId', type: 'string' }, { key: 'ip', type: 'string' }],
  },
  HANodeDeregistered: {
    edition: 'enterprise',
    provenance: 'docs',
    since: 28,
    doc: 'A master node left the Enterprise high-availability cluster.',
    fields: [
      ...BASE,
      { key: 'nodeId', type: 'string' },
      { key: 'ip', type: 'string' },
      { key: 'reason', type: 'string' },
    ],
  },
} as const satisfies Record<string, EventSpec>;

/** The name of an OpenVidu 2.x CDR/WebHook event (`sessionCreated`, …). */
export type EventName = keyof typeof CATALOGUE;
/** Every event name of the catalogue, CE, Pro and Enterprise. */
export const EVENT_NAMES = Object.keys(CATALOGUE) as EventName[];
/** The event names OpenVidu CE emits. */
export const CE_EVENT_NAMES = EVENT_NAMES.filter((n) => CATALOGUE[n].edition === 'ce');

type ValueOf<T extends FieldType> = T extends 'string'
  ? string
  : T extends 'long' | 'int' | 'double'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'stringArray'
        ? readonly string[]
        : unknown;

type FieldValue<F extends FieldSpec> = ValueOf<F['type']> | (F extends { nullable: true } ? null : never);
type Fields<N extends EventName> = (typeof CATALOGUE)[N]['fields'][number];

/**
 * The data of an event as the engine builds it, derived from the catalogue: optional fields may be absent or
 * `undefined`; version-specific fields are always provided and dropped by the serializer for older profiles.
 */
export type EventData<N extends EventName> = {
  [F in Fields<N> as F extends { optional: true } ? never : F['key']]: FieldValue<F>;
} & {
  [F in Fields<N> as F extends { optional: true } ? F['key'] : never]?: FieldValue<F> | undefined;
};

/** One CDR event as produced by the engine. */
export type CdrEvent = { [N in EventName]: { readonly name: N; readonly data: EventData<N> } }[EventName];
