/**
 * The streaming lifecycle validator behind `ovsim validate`: fed one line (or one parsed WebHook body) at a
 * time, it checks each event against the wire layout of spec §2 and the lifecycle rules of §3-§4, keeping
 * state only for live sessions (plus a bounded memory of destroyed ones), so a multi-GB CDR file validates
 * in flat memory. It is written from the spec alone, independently of the simulator, to cross-check it.
 */
import {
  eventSpec,
  inVersion,
  MEDIA_NODE_TRANSITIONS,
  SESSION_CLOSE_REASONS,
  versionText,
  type EventSpec,
} from './catalogue.js';
import { LayoutChecker } from './check-layout.js';
import {
  at,
  excerpt,
  get,
  int,
  isConnectionId,
  json,
  MEDIA_NODE_ID,
  SESSION_ID,
  str,
  STREAM_ID,
  type EventInput,
} from './event-input.js';
import { isJavaHashSetOrder, javaHashSetOrder } from './java-hash-set.js';
import { javaDoubleToString, MAX_JSON_DEPTH, valueDepth } from './raw-json.js';
import { ClusterRules } from './cluster-rules.js';
import { EventFilter, type FilterSummary } from './event-filter.js';
import { LegacyRecordingPairs } from './legacy-recording.js';
import { readEventLine } from './read-event.js';
import { VersionRange } from './version-range.js';
import type { Diagnostic, RuleId, Severity, Where } from './rules.js';

export type { Diagnostic, RuleId, Severity, Where } from './rules.js';

/** Options of {@link LifecycleValidator}. */
export interface ValidatorOptions {
  /**
   * OpenVidu version whose field set the input must have: `2.32`, `2.16`, `2.20.0`, … (2.12 and later).
   * Default: detected from the lines (each narrows the versions that could have written it: `uniqueSessionId`
   * since 2.17, `frameRate` since 2.18, `ip` since 2.20, event names), checked against the newest still
   * possible; 2.32 when nothing narrows it.
   */
  readonly version?: string;
  /**
   * The event types the stream may hold, as OpenVidu's `OPENVIDU_WEBHOOK_EVENTS` (see {@link parseEventList}).
   * Checks that need a type outside it are skipped. Default: inferred from the types present.
   */
  readonly events?: readonly string[];
  /**
   * How many destroyed sessions are remembered to recognise late events; also how many open sessions are kept
   * when the stream holds no sessionDestroyed (filtered out), oldest forgotten first. Default 100 000.
   */
  readonly destroyedMemory?: number;
  /**
   * Tolerance in ms when deciding whether an entity began inside the input (and so its creation event must be
   * there): it must start more than this after the first timestamp of the input, because lines are not
   * time-sorted (a recording's `started` carries its creation time). Default 60 000.
   */
  readonly inputStartToleranceMs?: number;
}

/** Counts describing what was validated. */
export interface Summary {
  /** Version profile used, e.g. `2.32`, or the versions still possible when detected, e.g. `2.17–2.19`. */
  readonly profile: string;
  /** Where the profile came from. */
  readonly profileSource: 'option' | 'detected' | 'default';
  /** Lines read (including blank and unparsable ones). */
  readonly lines: number;
  /** Lines or bodies recognised as events of a known name. */
  readonly events: number;
  /** Events per name, known names only. */
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly sessions: {
    /** sessionCreated events accepted. */
    readonly created: number;
    readonly destroyed: number;
    /** Sessions whose first event in the input was not sessionCreated (the input starts mid-session). */
    readonly begunBeforeInput: number;
  };
  /** Entities still open at the end of the input (not errors: a CDR file is often a slice). */
  readonly unterminated: {
    readonly sessions: number;
    readonly participants: number;
    readonly webrtcConnections: number;
    readonly recordings: number;
  };
  /** The event filter, given or inferred, and the checks it made skip. */
  readonly filter: FilterSummary;
  readonly errors: number;
  readonly warnings: number;
  /** Diagnostics per rule id. */
  readonly byRule: Readonly<Partial<Record<RuleId, number>>>;
}

interface Participant {
  readonly where: Where;
  /** participantJoined timestamp; undefined when only seen acting in a session begun before the input. */
  readonly joinedAt: number | undefined;
  /** Seen acting without a participantJoined (session begun before the input). */
  readonly implicit: boolean;
  /** JSON of the participant fields of participantJoined, to compare with participantLeft. */
  readonly fields: Snapshot;
}

interface Webrtc {
  readonly where: Where;
  readonly streamId: string;
  readonly timestamp: number | undefined;
  /** The connection tail fields (streamId … videoEnabled), to compare with the Destroyed event. */
  readonly tail: Snapshot;
  /** The media options, that an INBOUND copies from its publisher's OUTBOUND. */
  readonly media: Snapshot;
  /** Already reported as left open by its participant's leave: report that fault once. */
  leftOpen: boolean;
}

type RecordingStatus = 'started' | 'stopped' | 'ready' | 'failed';

interface Recording {
  status: RecordingStatus;
  where: Where;
  startTime: number | undefined;
  stopReason: string | undefined;
  stopWhere: Where | undefined;
  /** `failed` without started/stopped: a failed start, which may log a second `failed` (spec §2.7). */
  readonly failedStart: boolean;
  failedCount: number;
  /** The fields that stay constant across a recording's events. */
  readonly constant: Snapshot;
  /** A failed start logs a second failed only for these (spec §2.7). */
  readonly individualOrAudioOnly: boolean;
}

interface Session {
  readonly key: string;
  readonly sessionId: string;
  /** sessionCreated seen: everything about the session is in the input. */
  complete: boolean;
  where: Where;
  /** Creation time: sessionCreated timestamp, or the uniqueSessionId suffix. */
  createdAt: number | undefined;
  readonly createdWhere: Where | undefined;
  /** A pairing error for the missing sessionCreated was already reported. */
  missingCreateReported: boolean;
  readonly participants: Map<string, Participant>;
  /** OUTBOUND connections by publisher connection id (one publisher per connection). */
  readonly outbound: Map<string, Webrtc>;
  /** INBOUND connections by `subscriber\nsender`. */
  readonly inbound: Map<string, Webrtc>;
  readonly recordings: Map<string, Recording>;
  /** Set by the first reason that only a whole-session close produces. */
  closing: { readonly reason: string; readonly where: Where } | undefined;
  everJoined: boolean;
}

interface DestroyedSession {
  readonly where: Where;
  /** Recordings stopped but not ready when the session ended: Pro may log `ready` afterwards (spec §4.4). */
  readonly pending: Map<string, Recording> | undefined;
}

const PSEUDO_PARTICIPANTS: ReadonlySet<string> = new Set(['RECORDER', 'SPEECH_TO_TEXT']);
const STREAM_PREFIX: Readonly<Record<string, string>> = {
  CAMERA: 'CAM',
  SCREEN: 'SCR',
  CUSTOM: 'CUS',
  IPCAM: 'IPC',
};
const PARTICIPANT_KEYS = [
  'participantId',
  'connectionId',
  'location',
  'ip',
  'platform',
  'clientData',
  'serverData',
] as const;
const WEBRTC_TAIL_KEYS = [
  'streamId',
  'participantId',
  'connectionId',
  'connection',
  'receivingFrom',
  'rtspUri',
  'adaptativeBitrate',
  'networkCache',
  'onlyPlayWithSubscribers',
  'videoSource',
  'videoFramerate',
  'videoDimensions',
  'audioEnabled',
  'videoEnabled',
] as const;
/** Media options an INBOUND copies from its publisher's OUTBOUND (spec §2.5). */
const MEDIA_KEYS = [
  'videoSource',
  'videoFramerate',
  'videoDimensions',
  'audioEnabled',
  'videoEnabled',
] as const;
/** Events with the integer end fields of `CDREventEnd` (recordingStatusChanged overrides duration). */
const INTEGER_END_EVENTS: ReadonlySet<string> = new Set([
  'sessionDestroyed',
  'participantLeft',
  'webrtcConnectionDestroyed',
]);
const RECORDING_CONSTANT_KEYS = ['name', 'outputMode', 'hasVideo', 'recordingLayout'] as const;

/**
 * Some fields of an event as one string (JSON of each value, in a fixed key order), to compare an end event
 * with its beginning cheaply and keep one string per live entity.
 */
type Snapshot = string;
const ABSENT = '\u0001';
function snapshot(body: Readonly<Record<string, unknown>>, keys: readonly string[]): Snapshot {
  let out = '';
  for (const k of keys) out += `${Object.hasOwn(body, k) ? json(body[k]) : ABSENT}\u0000`;
  return out;
}
/** First difference between two snapshots of the same keys, as `"key" is now but was before`, or undefined. */
function firstDifference(before: Snapshot, now: Snapshot, keys: readonly string[]): string | undefined {
  if (before === now) return undefined;
  const a = before.split('\u0000');
  const b = now.split('\u0000');
  const shown = (v: string | undefined): string => (v === undefined || v === ABSENT ? 'absent' : v);
  for (let i = 0; i < keys.length; i++) {
    if (a[i] !== b[i]) return `"${keys[i] ?? ''}" is ${shown(b[i])} but was ${shown(a[i])}`;
  }
  return undefined;
}

/**
 * Validates OpenVidu 2.x CDR lines and WebHook bodies as one continuous log. Feed it with {@link push}
 * (text lines, CDR or WebHook form detected per line) or {@link pushEvent} (already parsed bodies, e.g. from a
 * live WebHook receiver), then call {@link finish} at the end of the input and read {@link summary}.
 *
 * Entities still open at the end are not errors (the input may be a slice of a longer log); neither are ends
 * whose beginning precedes the input (warnings instead), but an end whose beginning falls inside the input
 * without being there is an error.
 */
export class LifecycleValidator {
  private readonly version: VersionRange;
  private readonly filter: EventFilter;
  private readonly destroyedMemory: number;
  private readonly tolerance: number;
  private inputStart: number | undefined;

  private readonly sessions = new Map<string, Session>();
  /** Live session key by sessionId: OpenVidu never has two live sessions with one sessionId. */
  private readonly liveBySessionId = new Map<string, string>();
  /** Destroyed sessions, oldest first (a Map keeps insertion order, which makes it an LRU). */
  private readonly destroyed = new Map<string, DestroyedSession>();
  private readonly mediaNodes = new Map<string, { status: string; where: Where }>();
  private readonly clusterRules = new ClusterRules(
    (where, rule, message, severity, needs) =>
      this.report(this.currentOut, where, rule, message, severity, needs),
    (type) => this.filter.excludes(type),
  );
  private readonly legacyRecordings = new LegacyRecordingPairs((ev, rule, message, severity) =>
    this.flag(ev, rule, message, severity),
  );
  /** Where diagnostics of the event being processed go (cluster rules report through it). */
  private currentOut: Diagnostic[] = [];
  private lastWhere: Where | undefined;
  private readonly layout = new LayoutChecker();

  private lines = 0;
  private events = 0;
  private readonly eventsByType = new Map<string, number>();
  private created = 0;
  private destroyedCount = 0;
  private begunBeforeInput = 0;
  private errors = 0;
  private warnings = 0;
  private readonly byRule = new Map<RuleId, number>();

  /** @throws OvsimError `BAD_INPUT` when `opts.version` is not a supported 2.x version. */
  constructor(opts: ValidatorOptions = {}) {
    this.version = new VersionRange(opts.version);
    this.filter = new EventFilter(opts.events);
    this.destroyedMemory = Math.max(1, opts.destroyedMemory ?? 100_000);
    this.tolerance = opts.inputStartToleranceMs ?? 60_000;
  }

  /**
   * Checks one line of input. `lineNo` is 1-based; `file` is echoed in the diagnostics. `invalidUtf8` says
   * where the line's bytes were not UTF-8 (see `decodeUtf8`), when they were read as bytes.
   * @returns the diagnostics of this line (possibly about earlier lines' entities, located here).
   */
  push(line: string, lineNo: number, file: string, invalidUtf8?: string): Diagnostic[] {
    const out: Diagnostic[] = [];
    const where: Where = { file, line: lineNo };
    this.lines++;
    if (invalidUtf8 !== undefined) {
      this.report(out, where, 'encoding', `${invalidUtf8}; OpenVidu writes UTF-8`);
    }
    const input = readEventLine(line, where, out, (rule, message, severity) =>
      this.report(out, where, rule, message, severity),
    );
    if (input !== undefined) this.process(input);
    return out;
  }

  /**
   * Counts a line that was too long to read (`bytes` over `limit`, set by the option `flag`) and reports it,
   * unchecked.
   */
  pushTooLong(
    lineNo: number,
    file: string,
    bytes: number,
    limit: number,
    flag = '--max-line-size',
  ): Diagnostic[] {
    const out: Diagnostic[] = [];
    this.lines++;
    this.report(
      out,
      { file, line: lineNo },
      'line-too-long',
      `${bytes} bytes, over the limit of ${limit} (${flag}): not checked`,
    );
    return out;
  }

  /** Reports a file (or standard input) that held no line at all: nothing was checked in it. */
  noteEmptyInput(file: string): Diagnostic[] {
    const out: Diagnostic[] = [];
    this.report(out, { file, line: 0 }, 'empty-input', 'no lines to check', 'warning');
    return out;
  }

  /**
   * Checks one already-parsed event, e.g. a WebHook body received live. Without the raw text, the checks
   * that need it (Java number forms, escaping, integer-like key order) are skipped; pass the raw body to
   * {@link push} to get them. A trailing `event` key in `body` is allowed and must equal `name`.
   */
  pushEvent(name: string, body: Record<string, unknown>, where: Where): Diagnostic[] {
    const out: Diagnostic[] = [];
    this.lines++;
    if (valueDepth(body) > MAX_JSON_DEPTH) {
      this.report(
        out,
        where,
        'unparsable-line',
        `not checked: arrays and objects nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
      return out;
    }
    let keys = Object.keys(body);
    if (Object.hasOwn(body, 'event')) {
      if (keys[keys.length - 1] !== 'event') {
        this.report(out, where, 'event-key', '"event" must be the last key of a WebHook body');
      }
      if (body.event !== name) {
        this.report(out, where, 'event-key', `"event" is ${json(body.event)} but the event is "${name}"`);
      }
      keys = keys.filter((k) => k !== 'event');
    }
    this.process({ name, body, keys, rawAt: undefined, where, form: 'webhook', out });
    return out;
  }

  /**
   * Ends the input. Unterminated sessions, participants, connections and recordings are not errors (they
   * are counted in {@link summary}); an autoscaling decision cut off by the end is a warning. Checks still
   * waiting for an event type that never came are skipped (see {@link ValidatorOptions.events}).
   */
  finish(): Diagnostic[] {
    const out: Diagnostic[] = [];
    this.currentOut = out;
    this.clusterRules.finish(this.lastWhere);
    this.filter.finish();
    return out;
  }

  /** Counts so far (call after {@link finish} for the final figures). */
  summary(): Summary {
    let participants = 0;
    let webrtc = 0;
    let recordings = 0;
    for (const s of this.sessions.values()) {
      participants += s.participants.size;
      webrtc += s.outbound.size + s.inbound.size;
      for (const r of s.recordings.values())
        if (r.status === 'started' || r.status === 'stopped') recordings++;
    }
    const eventsByType: Record<string, number> = {};
    for (const [k, v] of this.eventsByType) eventsByType[k] = v;
    const byRule: Partial<Record<RuleId, number>> = {};
    for (const [k, v] of this.byRule) byRule[k] = v;
    return {
      profile: this.version.text(),
      profileSource: this.version.source,
      lines: this.lines,
      events: this.events,
      eventsByType,
      sessions: {
        created: this.created,
        destroyed: this.destroyedCount,
        begunBeforeInput: this.begunBeforeInput,
      },
      unterminated: { sessions: this.sessions.size, participants, webrtcConnections: webrtc, recordings },
      filter: this.filter.summary(),
      errors: this.errors,
      warnings: this.warnings,
      byRule,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Version, filter and layout

  private process(ev: EventInput): void {
    const spec = eventSpec(ev.name);
    if (spec === undefined) {
      this.flag(ev, 'unknown-event', `unknown event "${excerpt(ev.name, 40)}"`);
      return;
    }
    this.version.narrow(spec, ev.keys, ev.body);
    const minor = this.version.minor;
    if (!inVersion(spec, minor)) {
      const when =
        spec.since !== undefined && minor < spec.since
          ? `it appears in ${versionText(spec.since)}`
          : `it was removed after ${versionText(spec.until ?? minor)}`;
      this.flag(ev, 'unknown-event', `OpenVidu ${versionText(minor)} does not emit "${ev.name}" (${when})`);
      return;
    }
    this.events++;
    this.eventsByType.set(ev.name, (this.eventsByType.get(ev.name) ?? 0) + 1);
    this.notePresent(ev);
    const ts = int(ev.body, 'timestamp');
    if (this.inputStart === undefined && ts !== undefined) this.inputStart = ts;

    this.layout.check(spec, ev, minor, (rule, message, severity) => this.flag(ev, rule, message, severity));
    this.currentOut = ev.out;
    this.lastWhere = ev.where;
    this.clusterRules.observe(ev.name, ev.body, ev.where);
    if (spec.scope === 'session') this.processSessionEvent(spec, ev, minor);
    else if (ev.name === 'mediaNodeStatusChanged') this.onMediaNodeStatus(ev);
  }

  /**
   * Notes that the event's type is in the stream: findings that waited for it are reported now, and a type
   * outside a given filter is pointed out once.
   */
  private notePresent(ev: EventInput): void {
    const { released, outsideFilter } = this.filter.saw(ev.name);
    if (outsideFilter) {
      this.flag(
        ev,
        'filtered-event',
        `"${ev.name}" is not in the --events filter: checked anyway, with the checks that need it`,
        'warning',
      );
    }
    for (const d of released) this.emit(ev.out, d);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Sessions

  private processSessionEvent(spec: EventSpec, ev: EventInput, minor: number): void {
    const b = ev.body;
    const sessionId = str(b, 'sessionId');
    if (sessionId === undefined) return;
    const ts = int(b, 'timestamp');
    if (!SESSION_ID.test(sessionId)) {
      this.flag(
        ev,
        'id-format',
        `sessionId "${excerpt(sessionId, 40)}" is not a valid session id ([a-zA-Z0-9_-]+)`,
      );
    }
    const usid = minor >= 17 ? str(b, 'uniqueSessionId') : undefined;
    let usidTime: number | undefined;
    if (usid !== undefined) {
      const suffix = usid.startsWith(`${sessionId}_`) ? usid.slice(sessionId.length + 1) : '';
      if (/^\d{1,16}$/.test(suffix)) usidTime = Number(suffix);
      else {
        this.flag(
          ev,
          'unique-session-id',
          `uniqueSessionId "${excerpt(usid, 50)}" is not "${sessionId}_<creation timestamp>"`,
        );
      }
    }
    const key = usid ?? this.liveBySessionId.get(sessionId) ?? sessionId;

    if (ev.name === 'sessionCreated') {
      this.onSessionCreated(ev, key, sessionId, usid, usidTime, ts);
      return;
    }
    let session = this.sessions.get(key);
    if (session === undefined) {
      const gone = this.destroyed.get(key);
      if (gone !== undefined) {
        if (!this.lateRecordingEvent(ev, gone)) {
          this.flag(
            ev,
            'after-destroyed',
            `${ev.name} for session ${sessionId} after its sessionDestroyed (${at(gone.where)})`,
          );
        }
        return;
      }
      session = this.openBegunSession(ev, key, sessionId, usidTime);
    }
    if (
      ts !== undefined &&
      session.createdAt !== undefined &&
      ts < session.createdAt &&
      ev.name !== 'sessionDestroyed'
    ) {
      this.flag(
        ev,
        'timestamp-order',
        `timestamp ${ts} is before the creation of session ${sessionId} (${session.createdAt})`,
        'warning',
      );
    }
    if (INTEGER_END_EVENTS.has(ev.name)) this.checkEndTimes(ev);

    switch (ev.name) {
      case 'sessionDestroyed':
        this.onSessionDestroyed(ev, session, usidTime);
        break;
      case 'participantJoined':
        this.onParticipantJoined(ev, session, minor);
        break;
      case 'participantLeft':
        this.onParticipantLeft(ev, session, minor);
        break;
      case 'webrtcConnectionCreated':
        this.onWebrtcCreated(ev, session, minor);
        break;
      case 'webrtcConnectionDestroyed':
        this.onWebrtcDestroyed(ev, session, minor);
        break;
      case 'recordingStatusChanged':
        this.onRecordingStatus(ev, session);
        if (minor <= 20 && ev.form === 'cdr') this.legacyRecordings.observe(ev, key, this.lines === 1, minor);
        break;
      case 'recordingStarted':
      case 'recordingStopped':
        this.checkRecordingValues(ev, ev.name === 'recordingStarted' ? 'started' : 'stopped');
        this.legacyRecordings.observe(ev, key, this.lines === 1, minor);
        break;
      case 'signalSent':
        this.onSignal(ev, session);
        break;
      case 'filterEventDispatched':
        this.onFilterEvent(ev, session, minor);
        break;
      default:
        // Broadcasts: only the session-level checks above apply.
        break;
    }
  }

  private onSessionCreated(
    ev: EventInput,
    key: string,
    sessionId: string,
    usid: string | undefined,
    usidTime: number | undefined,
    ts: number | undefined,
  ): void {
    if (usidTime !== undefined && ts !== undefined && usidTime !== ts) {
      this.flag(
        ev,
        'unique-session-id',
        `uniqueSessionId "${usid ?? ''}" does not end with the timestamp ${ts}`,
      );
    }
    const existing = this.sessions.get(key);
    if (existing !== undefined) {
      this.flag(
        ev,
        'pairing',
        existing.complete
          ? `session ${sessionId} created twice (first sessionCreated at ${at(existing.createdWhere ?? existing.where)})`
          : `sessionCreated of ${sessionId} after other events of the session (first at ${at(existing.where)})`,
        'error',
        ['sessionDestroyed'],
      );
      // Without sessionDestroyed in the stream, a reused custom id is a new session: follow it.
      if (this.filter.has('sessionDestroyed')) return;
      this.sessions.delete(key);
    }
    const gone = this.destroyed.get(key);
    if (gone !== undefined) {
      this.destroyed.delete(key);
      if (usid !== undefined) {
        this.flag(
          ev,
          'unique-session-id',
          `uniqueSessionId ${usid} was already used by a session destroyed at ${at(gone.where)}`,
        );
      }
    }
    const previous = this.liveBySessionId.get(sessionId);
    const stale = previous === undefined ? undefined : this.sessions.get(previous);
    if (previous !== undefined && stale !== undefined) {
      // Only a server that died without logging the ends (kill -9, power loss) leaves a session open like this.
      this.flag(
        ev,
        'pairing',
        `session ${sessionId} created again while the previous one (${at(stale.createdWhere ?? stale.where)}) was never destroyed (server restart?)`,
        'warning',
        ['sessionDestroyed'],
      );
      this.sessions.delete(previous);
    }
    this.created++;
    this.addSession({
      key,
      sessionId,
      complete: true,
      where: ev.where,
      createdAt: ts,
      createdWhere: ev.where,
      missingCreateReported: false,
      participants: new Map(),
      outbound: new Map(),
      inbound: new Map(),
      recordings: new Map(),
      closing: undefined,
      everJoined: false,
    });
  }

  /** A session first seen through an event other than sessionCreated: the input starts mid-session. */
  private openBegunSession(
    ev: EventInput,
    key: string,
    sessionId: string,
    usidTime: number | undefined,
  ): Session {
    const session: Session = {
      key,
      sessionId,
      complete: false,
      where: ev.where,
      createdAt: usidTime,
      createdWhere: undefined,
      missingCreateReported: false,
      participants: new Map(),
      outbound: new Map(),
      inbound: new Map(),
      recordings: new Map(),
      closing: undefined,
      everJoined: false,
    };
    if (usidTime !== undefined && this.beganInInput(usidTime)) {
      this.flag(
        ev,
        'pairing',
        `no sessionCreated for session ${sessionId}, created at ${usidTime} within the input`,
        'error',
        ['sessionCreated'],
      );
      session.missingCreateReported = true;
    } else {
      this.begunBeforeInput++;
    }
    const stale = this.liveBySessionId.get(sessionId);
    if (stale !== undefined && stale !== key) {
      const other = this.sessions.get(stale);
      this.flag(
        ev,
        'unique-session-id',
        `another session with sessionId ${sessionId} (${at(other?.createdWhere ?? other?.where ?? ev.where)}) is still open`,
        'error',
        ['sessionDestroyed'],
      );
      this.sessions.delete(stale);
    }
    this.addSession(session);
    return session;
  }

  private addSession(session: Session): void {
    this.sessions.set(session.key, session);
    this.liveBySessionId.set(session.sessionId, session.key);
    if (this.sessions.size > this.destroyedMemory && !this.filter.has('sessionDestroyed')) {
      // A stream without sessionDestroyed (filtered out) never closes a session: forget the oldest, so that
      // memory stays bounded; its later events are then read as those of a session begun before the input.
      const oldest = this.sessions.values().next();
      if (oldest.done !== true) {
        this.sessions.delete(oldest.value.key);
        if (this.liveBySessionId.get(oldest.value.sessionId) === oldest.value.key) {
          this.liveBySessionId.delete(oldest.value.sessionId);
        }
      }
    }
  }

  private onSessionDestroyed(ev: EventInput, session: Session, usidTime: number | undefined): void {
    const b = ev.body;
    const startTime = int(b, 'startTime');
    const reason = str(b, 'reason');
    if (startTime !== undefined) {
      if (session.complete && session.createdAt !== undefined && startTime !== session.createdAt) {
        this.flag(
          ev,
          'start-time',
          `startTime ${startTime} differs from the sessionCreated timestamp ${session.createdAt} (${at(session.createdWhere ?? session.where)})`,
        );
      } else if (!session.complete && usidTime !== undefined && startTime !== usidTime) {
        this.flag(
          ev,
          'start-time',
          `startTime ${startTime} differs from the creation time ${usidTime} in uniqueSessionId`,
        );
      }
      if (!session.complete && !session.missingCreateReported) {
        if (this.beganInInput(startTime)) {
          this.flag(
            ev,
            'pairing',
            `sessionDestroyed of ${session.sessionId} without sessionCreated (created at ${startTime}, within the input)`,
            'error',
            ['sessionCreated'],
          );
        } else {
          this.flag(
            ev,
            'pairing',
            `sessionDestroyed of ${session.sessionId} without sessionCreated (created before the input starts?)`,
            'warning',
            ['sessionCreated'],
          );
        }
      }
    }
    if (session.participants.size > 0) {
      const list = [...session.participants.entries()];
      const shown = list
        .slice(0, 3)
        .map(([id, p]) => `${id} (${p.implicit ? 'seen' : 'joined'} at ${at(p.where)})`)
        .join(', ');
      this.flag(
        ev,
        'destroyed-while-active',
        `session ${session.sessionId} destroyed while ${list.length} participant${list.length === 1 ? ' is' : 's are'} still in it: ${shown}${list.length > 3 ? ', …' : ''}`,
        'error',
        ['participantLeft'],
      );
    }
    for (const [id, r] of session.recordings) {
      if (r.status === 'started') {
        this.flag(
          ev,
          'destroyed-while-active',
          `session ${session.sessionId} destroyed while recording ${id} (started at ${at(r.where)}) is not stopped`,
        );
      }
    }
    if (reason === undefined) {
      this.flag(ev, 'reason', 'sessionDestroyed without a reason', 'warning');
    } else if (session.closing !== undefined && reason !== session.closing.reason) {
      this.flag(
        ev,
        'cascade',
        `sessionDestroyed reason "${reason}" but the session was being closed with "${session.closing.reason}" (${at(session.closing.where)})`,
      );
    } else if (reason === 'lastParticipantLeft' && session.complete && !session.everJoined) {
      this.flag(
        ev,
        'cascade',
        `sessionDestroyed reason "lastParticipantLeft" but no participant ever joined session ${session.sessionId}`,
        'error',
        ['participantJoined'],
      );
    }

    this.legacyRecordings.endSession(ev, session.key);
    this.destroyedCount++;
    this.sessions.delete(session.key);
    if (this.liveBySessionId.get(session.sessionId) === session.key)
      this.liveBySessionId.delete(session.sessionId);
    let pending: Map<string, Recording> | undefined;
    for (const [id, r] of session.recordings) {
      if (r.status === 'stopped') (pending ??= new Map()).set(id, r);
    }
    this.destroyed.delete(session.key);
    this.destroyed.set(session.key, { where: ev.where, pending });
    if (this.destroyed.size > this.destroyedMemory) {
      const oldest = this.destroyed.keys().next();
      if (oldest.done !== true) this.destroyed.delete(oldest.value);
    }
  }

  /** Pro may log a recording's ready/failed after sessionDestroyed when its stop preceded it (spec §4.4). */
  private lateRecordingEvent(ev: EventInput, gone: DestroyedSession): boolean {
    if (ev.name !== 'recordingStatusChanged' || gone.pending === undefined) return false;
    const id = str(ev.body, 'id');
    const status = str(ev.body, 'status');
    const rec = id === undefined ? undefined : gone.pending.get(id);
    if (rec === undefined || id === undefined || (status !== 'ready' && status !== 'failed')) return false;
    this.recordingFinal(ev, rec, id, status);
    gone.pending.delete(id);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Participants

  private onParticipantJoined(ev: EventInput, session: Session, minor: number): void {
    const b = ev.body;
    const owner = this.ownerId(ev, minor);
    if (owner === undefined) return;
    const platform = str(b, 'platform');
    if ((platform === 'IPCAM') !== owner.startsWith('ipc_')) {
      this.flag(
        ev,
        'id-format',
        platform === 'IPCAM'
          ? `IP camera connection ${owner} does not have an ipc_ id`
          : `connection ${owner} has an IP camera id but platform ${json(platform)}`,
      );
    }
    if (session.closing !== undefined) {
      this.flag(
        ev,
        'cascade',
        `participantJoined while session ${session.sessionId} is being closed ("${session.closing.reason}" at ${at(session.closing.where)})`,
      );
    }
    const existing = session.participants.get(owner);
    if (existing !== undefined) {
      this.flag(
        ev,
        'pairing',
        `participant ${owner} joined twice (already in the session at ${at(existing.where)})`,
        'error',
        ['participantLeft'],
      );
      if (this.filter.has('participantLeft')) return;
    }
    session.everJoined = true;
    session.participants.set(owner, {
      where: ev.where,
      joinedAt: int(b, 'timestamp'),
      implicit: false,
      fields: snapshot(b, PARTICIPANT_KEYS),
    });
  }

  private onParticipantLeft(ev: EventInput, session: Session, minor: number): void {
    const b = ev.body;
    const owner = this.ownerId(ev, minor);
    if (owner === undefined) return;
    const startTime = int(b, 'startTime');
    const reason = str(b, 'reason');
    const p = session.participants.get(owner);
    if (p === undefined || p.implicit) {
      this.reportMissingStart(
        ev,
        session,
        startTime,
        p === undefined && session.complete,
        `participantLeft of ${owner} without participantJoined`,
        'participantJoined',
      );
    } else {
      if (startTime !== undefined && p.joinedAt !== undefined && startTime !== p.joinedAt) {
        this.flag(
          ev,
          'start-time',
          `startTime ${startTime} differs from the participantJoined timestamp ${p.joinedAt} (${at(p.where)})`,
        );
      }
      const diff = firstDifference(p.fields, snapshot(b, PARTICIPANT_KEYS), PARTICIPANT_KEYS);
      if (diff !== undefined)
        this.flag(ev, 'field-mismatch', `${diff} in participantJoined (${at(p.where)})`);
    }
    // A leave destroys the participant's connections and those of its subscribers first (spec §4.2).
    const open: string[] = [];
    const mine = session.outbound.get(owner);
    if (mine !== undefined && !mine.leftOpen) {
      open.push(`OUTBOUND ${mine.streamId}`);
      mine.leftOpen = true;
    }
    for (const [k, c] of session.inbound) {
      const [sub = '', sender = ''] = k.split('\n');
      if ((sub === owner || sender === owner) && !c.leftOpen) {
        open.push(`INBOUND ${sub}<-${sender}`);
        c.leftOpen = true;
      }
    }
    if (open.length > 0) {
      this.flag(
        ev,
        'destroyed-while-active',
        `participant ${owner} left with ${open.length} WebRTC connection${open.length === 1 ? '' : 's'} still open: ${open.slice(0, 3).join(', ')}${open.length > 3 ? ', …' : ''}`,
        'error',
        ['webrtcConnectionDestroyed'],
      );
    }
    if (reason === undefined) this.flag(ev, 'reason', 'participantLeft without a reason', 'warning');
    this.cascadeReason(ev, session, reason);
    session.participants.delete(owner);
  }

  /**
   * The connection that owns an event (participantId, and connectionId since 2.17, spec §2.3/§2.5), after
   * checking the two agree and look like a connection id.
   */
  private ownerId(ev: EventInput, minor: number): string | undefined {
    const pid = str(ev.body, 'participantId');
    const cid = minor >= 17 ? str(ev.body, 'connectionId') : undefined;
    if (pid !== undefined && cid !== undefined && pid !== cid) {
      this.flag(ev, 'id-format', `participantId ${pid} differs from connectionId ${cid}`);
    }
    const owner = cid ?? pid;
    if (owner !== undefined && !isConnectionId(owner)) {
      this.flag(ev, 'id-format', `"${excerpt(owner, 50)}" is not a connection id (con_… or ipc_IPCAM_…)`);
    }
    return owner;
  }

  /** Registers an acting connection unseen so far in a session that began before the input. */
  private actingParticipant(ev: EventInput, session: Session, owner: string): void {
    if (session.participants.has(owner)) return;
    if (session.complete) {
      this.flag(
        ev,
        'unknown-participant',
        `${ev.name} of ${owner}, which is not a participant of session ${session.sessionId}`,
        'error',
        ['participantJoined'],
      );
      return;
    }
    session.participants.set(owner, {
      where: ev.where,
      joinedAt: undefined,
      implicit: true,
      fields: '',
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // WebRTC connections

  private onWebrtcCreated(ev: EventInput, session: Session, minor: number): void {
    const b = ev.body;
    const owner = this.ownerId(ev, minor);
    const connection = str(b, 'connection');
    const streamId = str(b, 'streamId');
    if (owner === undefined || streamId === undefined) return;
    if (session.closing !== undefined) {
      this.flag(
        ev,
        'cascade',
        `webrtcConnectionCreated while session ${session.sessionId} is being closed ("${session.closing.reason}" at ${at(session.closing.where)})`,
      );
    }
    this.actingParticipant(ev, session, owner);
    const entry: Webrtc = {
      where: ev.where,
      streamId,
      timestamp: int(b, 'timestamp'),
      tail: snapshot(b, WEBRTC_TAIL_KEYS),
      media: snapshot(b, MEDIA_KEYS),
      leftOpen: false,
    };
    if (connection === 'OUTBOUND') {
      this.checkStreamId(ev, streamId, owner);
      const existing = session.outbound.get(owner);
      if (existing !== undefined) {
        this.flag(
          ev,
          'pairing',
          `${owner} already publishes ${existing.streamId} (${at(existing.where)})`,
          'error',
          ['webrtcConnectionDestroyed'],
        );
        if (this.filter.has('webrtcConnectionDestroyed')) return;
      }
      session.outbound.set(owner, entry);
    } else if (connection === 'INBOUND') {
      const sender = str(b, 'receivingFrom');
      if (sender === undefined) return;
      if (!isConnectionId(sender)) {
        this.flag(ev, 'id-format', `receivingFrom "${excerpt(sender, 50)}" is not a connection id`);
      }
      this.checkStreamId(ev, streamId, sender);
      const publisher = session.outbound.get(sender);
      if (publisher === undefined) {
        if (session.complete || session.participants.get(sender)?.implicit === false) {
          this.flag(ev, 'inbound-publisher', `receivingFrom ${sender} does not publish (no open OUTBOUND)`);
        }
      } else if (publisher.streamId !== streamId) {
        this.flag(
          ev,
          'inbound-publisher',
          `streamId ${streamId} is not the stream ${sender} publishes (${publisher.streamId}, ${at(publisher.where)})`,
        );
      } else {
        const diff = firstDifference(publisher.media, entry.media, MEDIA_KEYS);
        if (diff !== undefined) {
          this.flag(ev, 'inbound-publisher', `${diff} in the publisher's OUTBOUND (${at(publisher.where)})`);
        }
      }
      const k = `${owner}\n${sender}`;
      const existing = session.inbound.get(k);
      if (existing !== undefined) {
        this.flag(
          ev,
          'pairing',
          `${owner} already receives from ${sender} (${at(existing.where)})`,
          'error',
          ['webrtcConnectionDestroyed'],
        );
        if (this.filter.has('webrtcConnectionDestroyed')) return;
      }
      session.inbound.set(k, entry);
    }
  }

  private onWebrtcDestroyed(ev: EventInput, session: Session, minor: number): void {
    const b = ev.body;
    const owner = this.ownerId(ev, minor);
    const connection = str(b, 'connection');
    const streamId = str(b, 'streamId');
    const startTime = int(b, 'startTime');
    const reason = str(b, 'reason');
    if (owner === undefined || streamId === undefined) return;
    if (reason === undefined) {
      this.flag(ev, 'reason', 'webrtcConnectionDestroyed without a reason', 'warning');
    } else if (reason === 'unsubscribe' && connection === 'OUTBOUND') {
      this.flag(
        ev,
        'reason',
        'reason "unsubscribe" on an OUTBOUND connection (only a subscriber unsubscribes)',
      );
    }
    this.cascadeReason(ev, session, reason);

    let map: Map<string, Webrtc>;
    let k: string;
    let what: string;
    if (connection === 'OUTBOUND') {
      map = session.outbound;
      k = owner;
      what = `OUTBOUND ${streamId}`;
    } else if (connection === 'INBOUND') {
      const sender = str(b, 'receivingFrom');
      if (sender === undefined) return;
      map = session.inbound;
      k = `${owner}\n${sender}`;
      what = `INBOUND ${owner}<-${sender}`;
    } else {
      return;
    }
    const open = map.get(k);
    if (open !== undefined && connection === 'OUTBOUND' && open.streamId !== streamId) {
      this.flag(
        ev,
        'pairing',
        `webrtcConnectionDestroyed of ${streamId} but ${owner} publishes ${open.streamId} (${at(open.where)})`,
      );
      map.delete(k); // one publisher, one OUTBOUND: this ends it, whatever the id says
      return;
    }
    if (open === undefined) {
      const ownerKnown = session.participants.get(owner)?.implicit === false;
      this.reportMissingStart(
        ev,
        session,
        startTime,
        session.complete || ownerKnown,
        `webrtcConnectionDestroyed of ${what} without webrtcConnectionCreated`,
        'webrtcConnectionCreated',
      );
      return;
    }
    if (startTime !== undefined && open.timestamp !== undefined && startTime !== open.timestamp) {
      this.flag(
        ev,
        'start-time',
        `startTime ${startTime} differs from the webrtcConnectionCreated timestamp ${open.timestamp} (${at(open.where)})`,
      );
    }
    const diff = firstDifference(open.tail, snapshot(b, WEBRTC_TAIL_KEYS), WEBRTC_TAIL_KEYS);
    if (diff !== undefined)
      this.flag(ev, 'field-mismatch', `${diff} in webrtcConnectionCreated (${at(open.where)})`);
    map.delete(k);
  }

  /**
   * A streamId is `str_<CAM|SCR|CUS|IPC|MIC>_<Xxxx>_<publisher connection id>` and its media prefix follows
   * the publisher's videoSource (spec §3).
   */
  private checkStreamId(ev: EventInput, streamId: string, publisher: string): void {
    const m = STREAM_ID.exec(streamId);
    if (m === null) {
      this.flag(
        ev,
        'id-format',
        `streamId "${excerpt(streamId, 50)}" is not str_<CAM|SCR|CUS|IPC|MIC>_<4 chars>_<connection id>`,
      );
      return;
    }
    const [, prefix, connection] = m;
    if (connection !== publisher) {
      this.flag(
        ev,
        'id-format',
        `streamId ${streamId} does not end with the publisher's connection id ${publisher}`,
      );
      return;
    }
    const source = str(ev.body, 'videoSource');
    const expected = source === undefined ? undefined : STREAM_PREFIX[source];
    if (prefix === 'MIC' && get(ev.body, 'videoEnabled') === true) {
      this.flag(ev, 'id-format', `streamId ${streamId} is audio-only (MIC) but "videoEnabled" is true`);
    } else if (prefix !== 'MIC' && expected !== undefined && expected !== prefix) {
      this.flag(
        ev,
        'id-format',
        `streamId prefix ${prefix ?? ''} does not match videoSource ${source ?? ''} (expected ${expected})`,
      );
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Recordings

  private onRecordingStatus(ev: EventInput, session: Session): void {
    const b = ev.body;
    const id = str(b, 'id');
    const status = str(b, 'status');
    const reason = str(b, 'reason');
    if (id === undefined) return;
    const sid = session.sessionId;
    if (id !== sid && !(id.startsWith(`${sid}~`) && /^[1-9]\d*$/.test(id.slice(sid.length + 1)))) {
      this.flag(
        ev,
        'id-format',
        `recording id "${excerpt(id, 50)}" is neither the sessionId nor ${session.sessionId}~N`,
      );
    }
    const node = str(b, 'media_node_id');
    if (node !== undefined && !MEDIA_NODE_ID.test(node)) {
      this.flag(ev, 'id-format', `media_node_id "${excerpt(node, 50)}" is not a media node id (media_…)`);
    }
    if (status !== 'started' && status !== 'stopped' && status !== 'ready' && status !== 'failed') return;
    this.checkRecordingValues(ev, status);
    if (status === 'started' && reason !== undefined) {
      this.flag(ev, 'reason', 'a recording "started" event never has a reason');
    }
    if (status === 'stopped' && reason === undefined) {
      this.flag(ev, 'reason', 'a recording "stopped" event must have a reason');
    }
    if (status === 'stopped') this.cascadeReason(ev, session, reason);

    const rec = session.recordings.get(id);
    const startTime = int(b, 'startTime');
    const ts = int(b, 'timestamp');
    const fresh = (first: RecordingStatus, failedStart: boolean): Recording => ({
      status: first,
      where: ev.where,
      startTime,
      stopReason: first === 'stopped' ? reason : undefined,
      stopWhere: first === 'stopped' ? ev.where : undefined,
      failedStart,
      failedCount: first === 'failed' ? 1 : 0,
      constant: snapshot(b, RECORDING_CONSTANT_KEYS),
      individualOrAudioOnly: get(b, 'outputMode') === 'INDIVIDUAL' || get(b, 'hasVideo') === false,
    });

    if (status === 'started') {
      if (rec !== undefined && (rec.status === 'started' || rec.status === 'stopped')) {
        this.flag(
          ev,
          'recording-status-order',
          `recording ${id} "started" again (status "${rec.status}" at ${at(rec.where)})`,
        );
        return;
      }
      for (const [otherId, other] of session.recordings) {
        if (other.status === 'started') {
          // OpenVidu refuses a second recording while one runs (409): there is one per session at a time.
          this.flag(
            ev,
            'recording-status-order',
            `recording ${id} started while recording ${otherId} (${at(other.where)}) is still recording`,
          );
        }
      }
      if (startTime !== undefined && ts !== undefined && startTime !== ts) {
        this.flag(
          ev,
          'start-time',
          `a "started" event has timestamp == startTime, found ${ts} and ${startTime}`,
        );
      }
      session.recordings.set(id, fresh('started', false));
      return;
    }
    if (rec === undefined) {
      if (status === 'failed') {
        session.recordings.set(id, fresh('failed', true)); // a failed start (spec §2.7)
        return;
      }
      // COMPOSED_QUICK_START closed while starting logs stopped → failed with no started (spec §4.10).
      const quickStart = status === 'stopped' && get(b, 'outputMode') === 'COMPOSED_QUICK_START';
      if (session.complete && !quickStart) {
        this.flag(
          ev,
          'recording-status-order',
          `recording ${id} "${status}" without "${status === 'stopped' ? 'started' : 'stopped'}"`,
        );
      }
      session.recordings.set(id, fresh(status, false));
      return;
    }
    this.checkRecordingConstants(ev, rec, id);
    if (status === 'stopped') {
      if (rec.status !== 'started') {
        this.flag(
          ev,
          'recording-status-order',
          `recording ${id} "stopped" after "${rec.status}" (${at(rec.where)})`,
        );
        return;
      }
      this.checkRecordingStart(ev, rec);
      rec.status = 'stopped';
      rec.where = ev.where;
      rec.stopReason = reason;
      rec.stopWhere = ev.where;
      return;
    }
    this.recordingFinal(ev, rec, id, status);
  }

  /** ready/failed of a known recording (also after sessionDestroyed, see {@link lateRecordingEvent}). */
  private recordingFinal(ev: EventInput, rec: Recording, id: string, status: 'ready' | 'failed'): void {
    const reason = str(ev.body, 'reason');
    if (rec.status === 'stopped') {
      this.checkRecordingStart(ev, rec);
      if (reason !== rec.stopReason && rec.stopWhere !== undefined) {
        this.flag(
          ev,
          'reason',
          `"${status}" reason ${json(reason)} differs from the "stopped" reason ${json(rec.stopReason)} (${at(rec.stopWhere)})`,
        );
      }
    } else if (
      rec.status === 'failed' &&
      rec.failedStart &&
      status === 'failed' &&
      rec.failedCount === 1 &&
      rec.individualOrAudioOnly
    ) {
      // The clean-up stop after a failed INDIVIDUAL or audio-only start re-seals the metadata and logs a
      // second failed (spec §2.7); a COMPOSED-with-video start failure has no such second stop.
      rec.failedCount++;
      if (reason !== undefined)
        this.flag(ev, 'reason', 'the second "failed" of a failed start has no reason');
    } else {
      this.flag(
        ev,
        'recording-status-order',
        `recording ${id} "${status}" after "${rec.status}" (${at(rec.where)})${rec.status === 'started' ? ' without "stopped"' : ''}`,
      );
      // Follow the log from here on, so that one fault is reported once.
    }
    rec.status = status;
    rec.where = ev.where;
  }

  private checkRecordingStart(ev: EventInput, rec: Recording): void {
    const startTime = int(ev.body, 'startTime');
    if (startTime !== undefined && rec.startTime !== undefined && startTime !== rec.startTime) {
      this.flag(
        ev,
        'start-time',
        `startTime ${startTime} differs from the recording's startTime ${rec.startTime} (${at(rec.where)})`,
      );
    }
  }

  private checkRecordingConstants(ev: EventInput, rec: Recording, id: string): void {
    const diff = firstDifference(
      rec.constant,
      snapshot(ev.body, RECORDING_CONSTANT_KEYS),
      RECORDING_CONSTANT_KEYS,
    );
    if (diff !== undefined) this.flag(ev, 'field-mismatch', `${diff} in earlier events of recording ${id}`);
  }

  private checkRecordingValues(ev: EventInput, status: RecordingStatus): void {
    const size = int(ev.body, 'size');
    const d = get(ev.body, 'duration');
    const duration = typeof d === 'number' ? d : undefined;
    if (status === 'started' || status === 'stopped') {
      // "stopped" seals the metadata, which zeroes size and duration (spec §2.7).
      if (size !== undefined && size !== 0)
        this.flag(ev, 'recording-values', `a "${status}" recording has size 0, found ${size}`);
      if (duration !== undefined && duration !== 0) {
        this.flag(
          ev,
          'recording-values',
          `a "${status}" recording has duration 0.0, found ${javaDoubleToString(duration)}`,
        );
      }
    } else if (status === 'ready') {
      if (size !== undefined && size <= 0)
        this.flag(ev, 'recording-values', `a "ready" recording has size > 0, found ${size}`);
      if (duration !== undefined && duration <= 0) {
        this.flag(
          ev,
          'recording-values',
          `a "ready" recording has duration > 0, found ${javaDoubleToString(duration)}`,
        );
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Signals and filters

  private onSignal(ev: EventInput, session: Session): void {
    const from = get(ev.body, 'from');
    const to = get(ev.body, 'to');
    if (typeof from === 'string') {
      if (!isConnectionId(from)) this.flag(ev, 'id-format', `"from" ${json(from)} is not a connection id`);
      else if (session.complete && !session.participants.has(from)) {
        this.flag(
          ev,
          'signal-recipients',
          `"from" ${from} is not a participant of session ${session.sessionId}`,
          'error',
          ['participantJoined'],
        );
      }
    }
    if (!Array.isArray(to) || !to.every((t): t is string => typeof t === 'string')) return;
    if (to.length === 0) {
      this.flag(ev, 'signal-recipients', '"to" is empty (OpenVidu sends to everyone then and lists them)');
      return;
    }
    const seen = new Set<string>();
    for (const t of to) {
      if (seen.has(t)) {
        this.flag(ev, 'signal-recipients', `"to" lists ${t} twice (it is a Java HashSet)`);
        return;
      }
      seen.add(t);
      if (PSEUDO_PARTICIPANTS.has(t)) continue;
      if (!isConnectionId(t)) this.flag(ev, 'id-format', `"to" entry ${json(t)} is not a connection id`);
      else if (session.complete && !session.participants.has(t)) {
        this.flag(
          ev,
          'signal-recipients',
          `"to" includes ${t}, which is not a participant of session ${session.sessionId}`,
          'error',
          ['participantJoined'],
        );
      }
    }
    if (!isJavaHashSetOrder(to)) {
      this.flag(
        ev,
        'signal-order',
        `"to" is not in Java HashSet iteration order (expected ${JSON.stringify(javaHashSetOrder(to))})`,
        'warning',
      );
    }
  }

  private onFilterEvent(ev: EventInput, session: Session, minor: number): void {
    const owner = this.ownerId(ev, minor);
    const streamId = str(ev.body, 'streamId');
    if (owner === undefined) return;
    this.actingParticipant(ev, session, owner);
    if (streamId !== undefined) this.checkStreamId(ev, streamId, owner);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Shared lifecycle checks

  /** Integer `duration` = trunc((timestamp − startTime) / 1000) (spec §1.6). */
  private checkEndTimes(ev: EventInput): void {
    const ts = int(ev.body, 'timestamp');
    const startTime = int(ev.body, 'startTime');
    const duration = int(ev.body, 'duration');
    if (ts === undefined || startTime === undefined) return;
    if (ts < startTime) {
      this.flag(ev, 'timestamp-order', `timestamp ${ts} is before startTime ${startTime}`, 'warning');
    }
    if (duration === undefined) return;
    const expected = Math.trunc((ts - startTime) / 1000);
    if (duration !== expected) {
      this.flag(
        ev,
        'duration',
        `duration ${duration} is not trunc((${ts} - ${startTime}) / 1000) = ${expected}`,
      );
    }
  }

  /**
   * Once a reason only a whole-session close produces appears, every later end event of the session carries
   * it until sessionDestroyed (spec §4.5, §4.7, §4.8).
   */
  private cascadeReason(ev: EventInput, session: Session, reason: string | undefined): void {
    if (reason === undefined) return;
    if (session.closing !== undefined) {
      if (reason !== session.closing.reason) {
        this.flag(
          ev,
          'cascade',
          `${ev.name} reason "${reason}" while session ${session.sessionId} is being closed with "${session.closing.reason}" (${at(session.closing.where)})`,
        );
      }
    } else if (SESSION_CLOSE_REASONS.has(reason)) {
      session.closing = { reason, where: ev.where };
    }
  }

  /**
   * An end event without its beginning: an error when the beginning must be in the input (the session or the
   * owner was seen from its start, or `startTime` falls inside the input), else a warning.
   */
  private reportMissingStart(
    ev: EventInput,
    session: Session,
    startTime: number | undefined,
    knownFromStart: boolean,
    message: string,
    startType: string,
  ): void {
    if (knownFromStart || session.complete || (startTime !== undefined && this.beganInInput(startTime))) {
      this.flag(ev, 'pairing', message, 'error', [startType]);
    } else {
      this.flag(ev, 'pairing', `${message} (begun before the input starts?)`, 'warning', [startType]);
    }
  }

  private beganInInput(time: number): boolean {
    return this.inputStart !== undefined && time > this.inputStart + this.tolerance;
  }

  private onMediaNodeStatus(ev: EventInput): void {
    const id = str(ev.body, 'id');
    const next = str(ev.body, 'newStatus');
    const old = get(ev.body, 'oldStatus');
    if (id === undefined || next === undefined || (old !== null && typeof old !== 'string')) return;
    const legal = MEDIA_NODE_TRANSITIONS.get(old);
    if (legal !== undefined && !legal.includes(next)) {
      this.flag(
        ev,
        'media-node-status',
        `media node ${id}: ${old ?? 'null'} -> ${next} is not a documented transition`,
      );
    }
    const previous = this.mediaNodes.get(id);
    if (previous !== undefined && previous.status !== old) {
      this.flag(
        ev,
        'media-node-status',
        `media node ${id}: oldStatus ${json(old)} but it became "${previous.status}" at ${at(previous.where)}`,
      );
    }
    if (next === 'terminated' || next === 'failed') this.mediaNodes.delete(id);
    else this.mediaNodes.set(id, { status: next, where: ev.where });
  }

  /**
   * Reports a finding located at the event's line. `needs`: the event types without which the finding would
   * be wrong (a filtered stream lacks them); it is skipped, or waits for them, when they are not in the stream.
   */
  private flag(
    ev: EventInput,
    rule: RuleId,
    message: string,
    severity: Severity = 'error',
    needs?: readonly string[],
  ): void {
    this.report(ev.out, ev.where, rule, message, severity, needs);
  }

  private report(
    out: Diagnostic[],
    where: Where,
    rule: RuleId,
    message: string,
    severity: Severity = 'error',
    needs?: readonly string[],
  ): void {
    const d: Diagnostic = { file: where.file, line: where.line, rule, message, severity };
    if (needs !== undefined && !this.filter.admit(d, needs, this.version.minor)) return;
    this.emit(out, d);
  }

  private emit(out: Diagnostic[], d: Diagnostic): void {
    out.push(d);
    if (d.severity === 'error') this.errors++;
    else this.warnings++;
    this.byRule.set(d.rule, (this.byRule.get(d.rule) ?? 0) + 1);
  }
}
