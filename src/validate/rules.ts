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
  serialization: 'not written the way Gson writes it (whitespace outside strings, escapes Gson does not use)',
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
