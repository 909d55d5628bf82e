/**
 * The event catalogue, OpenVidu 2.x's wire table: one entry per event type giving its fields in wire order, their
 * types, when they are null, omitted or only written under a condition, their legal values, and in which OpenVidu
 * versions and editions they exist (spec §2, §11). The serializer (profile.ts, byte-writer.ts), the TypeScript types
 * of event data, the JSON Schema of the events (json-schema.ts) and the validator's layout checks are all derived
 * from this table. A version profile is data here: a field or an event carries `since` (first 2.x minor version that
 * writes it) and `until` (first one that no longer does).
 */
import {
  BROADCAST_REASONS,
  CONNECTION_TYPES,
  HA_NODE_DEREGISTERED_REASONS,
  MEDIA_NODE_STATUSES,
  NODE_ROLES,
  OUTPUT_MODES,
  PARTICIPANT_LEFT_REASONS,
  RECORDING_LAYOUTS,
  RECORDING_REASONS,
  RECORDING_STATUSES,
  SESSION_DESTROYED_REASONS,
  VIDEO_SOURCES,
  WEBRTC_DESTROYED_REASONS,
} from './wire-values.js';

export type FieldType = 'string' | 'long' | 'int' | 'double' | 'boolean' | 'stringArray' | 'json';

/**
 * Conditions on an event's own values under which OpenVidu writes a key at all (the `if` around its `addProperty`,
 * spec §2.5, §2.7):
 * - `inbound`: the connection is INBOUND (`receivingFrom`);
 * - `outboundIpcam`: an OUTBOUND connection of an IP camera (`rtspUri`, …);
 * - `streamVideo`: the stream has video (`videoSource`, `videoFramerate`, `videoDimensions`);
 * - `composedVideo`: outputMode COMPOSED or COMPOSED_QUICK_START with hasVideo (`resolution`, …);
 * - `customLayout`: composedVideo with recordingLayout CUSTOM (`customLayout`).
 */
export type FieldCondition = 'inbound' | 'outboundIpcam' | 'streamVideo' | 'composedVideo' | 'customLayout';

/** One field of an event: its key, its Java type, whether it may be absent, and the versions that write it. */
export interface FieldSpec {
  readonly key: string;
  readonly type: FieldType;
  /**
   * The key may be absent (OpenVidu skips the `addProperty` of a null value), even when its `when` holds. The
   * serializer omits it when the value is `undefined`.
   */
  readonly optional?: boolean;
  /** May be written as JSON `null`. */
  readonly nullable?: boolean;
  /**
   * Written exactly when this condition holds (then required unless `optional`). The serializer, trusting the engine,
   * writes the key when it has a value and omits it when `undefined`.
   */
  readonly when?: FieldCondition;
  /** Legal values of an enum-like string field. */
  readonly values?: readonly string[];
  /**
   * Our guess, not OpenVidu's documented or coded field set (`provenance: 'invented'` events): written by the
   * serializer, accepted but never required by the validator.
   */
  readonly invented?: boolean;
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

/** CDREvent's base of a session event: session events always have both ids (spec §1.5). */
const BASE = [
  { key: 'sessionId', type: 'string' },
  { key: 'uniqueSessionId', type: 'string', since: 17 },
  { key: 'timestamp', type: 'long', doc: 'ms since the epoch' },
] as const satisfies readonly FieldSpec[];

/** CDREvent's base of a node-level Pro event: constructed with null session ids, so only the timestamp. */
const NODE_BASE = [
  { key: 'timestamp', type: 'long', doc: 'ms since the epoch' },
] as const satisfies readonly FieldSpec[];

/** CDREventEnd's fields, with the reasons of the event. */
function end<R extends readonly string[]>(reasons: R) {
  return [
    { key: 'startTime', type: 'long' },
    { key: 'duration', type: 'int', doc: 'whole seconds, truncated' },
    { key: 'reason', type: 'string', optional: true, values: reasons },
  ] as const satisfies readonly FieldSpec[];
}

// location, platform and clientData may be null for odd clients; Gson then writes `null` (never omits).
const PARTICIPANT = [
  { key: 'participantId', type: 'string' },
  { key: 'connectionId', type: 'string', since: 17 },
  { key: 'location', type: 'string', nullable: true },
  { key: 'ip', type: 'string', nullable: true, since: 20 },
  { key: 'platform', type: 'string', nullable: true },
  { key: 'clientData', type: 'string', nullable: true },
  { key: 'serverData', type: 'string', nullable: true },
] as const satisfies readonly FieldSpec[];

const WEBRTC = [
  { key: 'streamId', type: 'string' },
  { key: 'participantId', type: 'string' },
  { key: 'connectionId', type: 'string', since: 17 },
  { key: 'connection', type: 'string', values: CONNECTION_TYPES, doc: 'INBOUND or OUTBOUND' },
  { key: 'receivingFrom', type: 'string', when: 'inbound', doc: 'INBOUND only' },
  { key: 'rtspUri', type: 'string', when: 'outboundIpcam', doc: 'IP camera OUTBOUND only' },
  { key: 'adaptativeBitrate', type: 'boolean', when: 'outboundIpcam' },
  // CDREventWebrtcConnection.java writes networkCache from v2.16.0 (absent in v2.12.0–v2.15.0), an Integer.
  { key: 'networkCache', type: 'int', nullable: true, when: 'outboundIpcam', since: 16 },
  { key: 'onlyPlayWithSubscribers', type: 'boolean', when: 'outboundIpcam' },
  {
    key: 'videoSource',
    type: 'string',
    nullable: true,
    when: 'streamVideo',
    values: VIDEO_SOURCES,
    doc: 'only when the stream has video',
  },
  { key: 'videoFramerate', type: 'int', nullable: true, when: 'streamVideo' },
  { key: 'videoDimensions', type: 'string', nullable: true, when: 'streamVideo' },
  { key: 'audioEnabled', type: 'boolean' },
  { key: 'videoEnabled', type: 'boolean' },
] as const satisfies readonly FieldSpec[];

const RECORDING_TAIL = [
  { key: 'id', type: 'string' },
  { key: 'name', type: 'string' },
  { key: 'outputMode', type: 'string', values: OUTPUT_MODES },
  { key: 'resolution', type: 'string', when: 'composedVideo', doc: 'COMPOSED with video only' },
  { key: 'frameRate', type: 'int', when: 'composedVideo', since: 18 },
  { key: 'recordingLayout', type: 'string', when: 'composedVideo', values: RECORDING_LAYOUTS },
  { key: 'customLayout', type: 'string', when: 'customLayout', optional: true },
  { key: 'media_node_id', type: 'string', when: 'composedVideo', optional: true, since: 17 },
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
  { key: 'reason', type: 'string', optional: true, values: RECORDING_REASONS },
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
    fields: [...BASE, ...end(SESSION_DESTROYED_REASONS)],
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
    fields: [...BASE, ...end(PARTICIPANT_LEFT_REASONS), ...PARTICIPANT],
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
    fields: [...BASE, ...end(WEBRTC_DESTROYED_REASONS), ...WEBRTC],
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
      { key: 'reason', type: 'string', optional: true, values: RECORDING_REASONS },
      ...RECORDING_TAIL,
      { key: 'status', type: 'string', values: RECORDING_STATUSES },
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
      { key: 'filterType', type: 'string', nullable: true },
      { key: 'eventType', type: 'string', nullable: true },
      { key: 'data', type: 'string', nullable: true },
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
      ...NODE_BASE,
      ...MEDIA_NODE,
      { key: 'newStatus', type: 'string', values: MEDIA_NODE_STATUSES },
      { key: 'oldStatus', type: 'string', nullable: true, values: MEDIA_NODE_STATUSES },
      { key: 'clusterId', type: 'string', nullable: true },
    ],
  },
  autoscaling: {
    edition: 'pro',
    provenance: 'docs',
    since: 15,
    doc: 'The autoscaling of a Pro cluster decided to launch or terminate media nodes.',
    fields: [
      ...NODE_BASE,
      { key: 'clusterId', type: 'string', nullable: true },
      { key: 'reason', type: 'string', doc: 'human-readable' },
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
      ...NODE_BASE,
      { key: 'id', type: 'string' },
      { key: 'environmentId', type: 'string', optional: true, nullable: true },
      { key: 'ip', type: 'string', nullable: true },
      { key: 'uri', type: 'string', nullable: true },
      { key: 'nodeRole', type: 'string', since: 18, values: NODE_ROLES },
      { key: 'sessionIds', type: 'stringArray', since: 18 },
      { key: 'recordingIds', type: 'stringArray', since: 18 },
      // Documented from 2.26 on (docs only): optional, since the Pro code that writes them is closed.
      { key: 'broadcasts', type: 'stringArray', since: 26, optional: true },
      { key: 'clusterId', type: 'string', nullable: true, since: 18 },
      { key: 'timeOfDisconnection', type: 'long', since: 26, optional: true, doc: 'docs 2.26+ (table only)' },
    ],
  },
  nodeRecovered: {
    edition: 'pro',
    provenance: 'docs',
    since: 22,
    doc: 'A crashed node reconnected before being terminated.',
    fields: [
      ...NODE_BASE,
      ...MEDIA_NODE,
      { key: 'nodeRole', type: 'string', values: NODE_ROLES },
      { key: 'clusterId', type: 'string', nullable: true },
    ],
  },
  broadcastStarted: {
    edition: 'pro',
    provenance: 'invented',
    since: 26,
    doc: 'A session started broadcasting to an RTMP URL (field set undocumented by OpenVidu).',
    fields: [
      ...BASE,
      { key: 'broadcastUrl', type: 'string', invented: true },
      { key: 'media_node_id', type: 'string', optional: true, invented: true },
    ],
  },
  broadcastStopped: {
    edition: 'pro',
    provenance: 'invented',
    since: 26,
    doc: 'A session stopped broadcasting (field set undocumented by OpenVidu).',
    fields: [
      ...BASE,
      { key: 'startTime', type: 'long', invented: true },
      { key: 'duration', type: 'int', invented: true, doc: 'whole seconds, truncated' },
      { key: 'reason', type: 'string', optional: true, values: BROADCAST_REASONS },
      { key: 'broadcastUrl', type: 'string', invented: true },
      { key: 'media_node_id', type: 'string', optional: true, invented: true },
    ],
  },
  HANodeRegistered: {
    edition: 'enterprise',
    provenance: 'docs',
    since: 28,
    doc: 'A master node joined the Enterprise high-availability cluster.',
    fields: [...NODE_BASE, { key: 'nodeId', type: 'string' }, { key: 'ip', type: 'string', nullable: true }],
  },
  HANodeDeregistered: {
    edition: 'enterprise',
    provenance: 'docs',
    since: 28,
    doc: 'A master node left the Enterprise high-availability cluster.',
    fields: [
      ...NODE_BASE,
      { key: 'nodeId', type: 'string' },
      { key: 'ip', type: 'string', nullable: true },
      { key: 'reason', type: 'string', values: HA_NODE_DEREGISTERED_REASONS },
    ],
  },
} as const satisfies Record<string, EventSpec>;

/** Whether an event or field exists in a 2.x minor version: from its `since` on, before its `until`. */
export function existsIn(
  item: { readonly since?: number | undefined; readonly until?: number | undefined },
  minor: number,
): boolean {
  return (item.since ?? 0) <= minor && minor < (item.until ?? Infinity);
}

/** Whether the engine may leave a field out (the serializer then omits it): optional or conditional. */
export function mayBeAbsent(field: FieldSpec): boolean {
  return field.optional === true || field.when !== undefined;
}

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
/** Fields the engine may leave out: optional ones, and conditional ones when their condition does not hold. */
type MayBeAbsent = { optional: true } | { when: FieldCondition };
/** Node-level events have no session ids; typed as never present, `data.sessionId` reads on any event. */
type NoSessionIds<N extends EventName> = 'sessionId' extends Fields<N>['key']
  ? unknown
  : { readonly sessionId?: undefined; readonly uniqueSessionId?: undefined };

/**
 * The data of an event as the engine builds it, derived from the catalogue: optional and conditional fields may be
 * absent or `undefined`; version-specific fields are always provided and dropped by the serializer for older
 * profiles.
 */
export type EventData<N extends EventName> = {
  [F in Fields<N> as F extends MayBeAbsent ? never : F['key']]: FieldValue<F>;
} & {
  [F in Fields<N> as F extends MayBeAbsent ? F['key'] : never]?: FieldValue<F> | undefined;
} & NoSessionIds<N>;

/** One CDR event as produced by the engine. */
export type CdrEvent = { [N in EventName]: { readonly name: N; readonly data: EventData<N> } }[EventName];
