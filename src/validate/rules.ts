/**
 * The rule ids of `ovsim validate` and the shape of one finding. A rule id is part of the output contract
 * (`FILE:LINE: RULE: message`), so ids are stable: add new ones, never rename.
 */

/** Every rule the lifecycle validator can report, with a one-line description (for `--help` and docs). */
export const RULES = {
  'unparsable-line': 'the line is not JSON, or nests arrays/objects deeper than 64 levels',
  'line-too-long':
    'a line (or WebHook body) longer than the size limit (--max-line-size, default 1 MiB): not checked',
  encoding: 'not UTF-8 as OpenVidu writes it: invalid byte sequences, or a byte order mark',
  'empty-input': 'a file (or standard input) without a single line',
  'blank-line': 'an empty line (OpenVidu never writes one)',
  'line-form': 'valid JSON but neither a CDR line {"<event>":{…}} nor a WebHook body {…,"event":"<event>"}',
  'event-key': 'WebHook body: the "event" key must be a string and the last key',
  serialization:
    "not written the way the server's serializer writes it (OpenVidu 2: Gson; LiveKit: Go's protojson; Meet: JSON.stringify): whitespace, escapes, number forms",
  'unknown-event': 'an event name OpenVidu does not emit in the selected version',
  'key-order': "keys not in the order OpenVidu's serializer writes them",
  'missing-field': 'a key the event must carry is absent',
  'unexpected-field': 'a key the event cannot carry here (other version, other condition, duplicate)',
  'field-type': 'a value of the wrong JSON type, or an integer/double not written as Java writes it',
  'field-value': 'a value outside its set of legal values',
  'id-format': 'an id that does not follow the formats of OpenVidu (ses_/con_/ipc_/str_, recording ids …)',
  'unique-session-id': 'uniqueSessionId is not sessionId + "_" + the sessionCreated timestamp',
  'start-time': 'startTime differs from the timestamp of the matching creation',
  duration: 'integer duration differs from trunc((timestamp - startTime) / 1000)',
  reason: 'a reason not legal for this event, or a reason present/absent where it cannot be',
  pairing: 'creation/destruction events that do not pair (double creation, end without start)',
  'field-mismatch': 'an end event whose fields differ from the matching creation event',
  'after-destroyed': 'an event of a session after its sessionDestroyed',
  'destroyed-while-active':
    'a session destroyed with participants or a recording still running, or a participant leaving with WebRTC connections still open',
  cascade: 'events inconsistent with the session-close cascade they belong to',
  'unknown-participant': 'an event of a connection that is not a participant of the session',
  'inbound-publisher':
    'an INBOUND connection from someone not publishing, or with another stream id or media options',
  'recording-status-order':
    'recording statuses out of order (started → stopped → ready|failed), repeated, or overlapping',
  'recording-values': 'recording size/duration impossible for the status',
  'signal-recipients':
    'signalSent "to" not a non-empty set of current participants, or "from" not a current participant',
  'signal-order': 'signalSent "to" not in Java HashSet iteration order',
  'timestamp-order': 'a timestamp earlier than the start of what it belongs to',
  'media-node-status': 'a media node status transition not in the documented diagram',
  'node-crash-cascade':
    'a Pro node crash not followed as OpenVidu does: sessions closed with nodeCrashed, recordings left at stopped, no new activity, terminating before terminated, nodeRecovered only after nodeCrashed',
  'autoscaling-followup':
    'an autoscaling decision not followed by the mediaNodeStatusChanged events it decided',
  'legacy-recording':
    'recordingStarted/recordingStopped (CDR of OpenVidu ≤ 2.20) not logged beside their recordingStatusChanged as that version does (order, times, reason)',
  'filtered-event': 'an event whose type the --events filter leaves out',
  'zero-value':
    'LiveKit: a field at its zero value (false, 0, "", an empty list, the enum\'s 0 value), which protojson leaves out',
  'time-unit':
    'LiveKit: a time in the wrong unit (createdAt in seconds, *Ms in ms, egress times in ns, unixMicro in µs) or two forms of one instant that disagree',
  'event-id': 'LiveKit: an event id reused by a different body (a retry repeats the same body, id and JWT)',
  'room-lifecycle':
    'LiveKit: room events out of order (room_started first, room_finished last and once, nothing of a finished room)',
  'participant-lifecycle':
    'LiveKit: participant_joined before participant_left, one end per participant (left or connection_aborted), a sid never reused',
  'track-lifecycle': 'LiveKit: track_published before track_unpublished, once each, by the same participant',
  'egress-status-order':
    "LiveKit: egress statuses out of order (STARTING → ACTIVE → ENDING → COMPLETE|FAILED|ABORTED|LIMIT_REACHED) or not the event's",
  'ingress-lifecycle': 'LiveKit: ingress_started/ingress_ended with a status they are not sent for',
  'num-participants':
    "LiveKit: a room's numParticipants/numPublishers implausible for the event (warnings: LiveKit's count lags)",
  'meeting-lifecycle':
    'Meet: meetings started and ended in turn, participants joining before they leave, left payloads consistent with their join',
  'delivery-order':
    'Meet: an event that arrived before one it follows (Meet sends and retries each webhook on its own, so this is a warning)',
  v2compat:
    'OpenVidu 3 v2-compatibility: an event or value the module does not send (node events, INBOUND connections, location other than "unknown", videoFramerate other than 30, a reason it maps to another)',
  'request-headers':
    'receive: a request header not as the server sends it (LiveKit: content-type application/webhook+json; Meet: X-Timestamp equal to creationDate)',
} as const satisfies Record<string, string>;

/** A stable kebab-case rule id, printed as RULE in `FILE:LINE: RULE: message`. */
export type RuleId = keyof typeof RULES;

/** `error` makes `ovsim validate` exit 1; `warning` is printed but does not. */
export type Severity = 'error' | 'warning';

/** Where a line or event came from: the file name as given and the 1-based line number (0: the whole file). */
export interface Where {
  readonly file: string;
  readonly line: number;
}

/** One finding of the validator. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly rule: RuleId;
  readonly message: string;
  readonly severity: Severity;
}
