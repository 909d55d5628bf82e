/**
 * The streaming lifecycle validator behind `ovsim validate`: fed one line (or one parsed WebHook body) at a
 * time, it checks each event against the wire layout of spec §2 (derived from the model's event catalogue, see
 * wire-layout.ts) and the lifecycle rules of §3-§4, keeping state only for live sessions (plus a bounded memory of
 * destroyed ones), so a multi-GB CDR file validates in flat memory. The lifecycle rules are written from OpenVidu's
 * behaviour, independently of the simulator, to cross-check it: one module per rule family under lifecycle/
 * (sessions, participants, WebRTC connections, recordings, signals and filters, media nodes, the Pro cluster, the
 * legacy recording events); this class reads, dispatches and counts.
 */
import { LayoutChecker } from './check-layout.js';
import { excerpt, int, json, type EventInput } from './event-input.js';
import { EventFilter, type FilterSummary } from './event-filter.js';
import { ClusterRules } from './lifecycle/cluster.js';
import type { RuleContext } from './lifecycle/context.js';
import { checkEndTimes, INTEGER_END_EVENTS } from './lifecycle/end-events.js';
import { LegacyRecordingPairs } from './lifecycle/legacy-recording.js';
import { MediaNodeRules } from './lifecycle/media-nodes.js';
import { onParticipantJoined, onParticipantLeft } from './lifecycle/participants.js';
import { checkRecordingValues, lateRecordingEvent, onRecordingStatus } from './lifecycle/recordings.js';
import { SessionRules } from './lifecycle/sessions.js';
import { onFilterEvent, onSignal } from './lifecycle/signals.js';
import { checkV2Compat } from './lifecycle/v2compat.js';
import type { Session } from './lifecycle/state.js';
import { onWebrtcCreated, onWebrtcDestroyed } from './lifecycle/webrtc.js';
import { MAX_JSON_DEPTH, valueDepth } from './raw-json.js';
import { readEventLine } from './read-event.js';
import { VersionRange } from './version-range.js';
import { eventLayout, inVersion, lastMinor } from './wire-layout.js';
import { versionText } from '../model/version.js';
import type { Diagnostic, RuleId, Severity, Where } from './rules.js';
import { emptyInput, tooLongLine, type Report } from './input-notes.js';

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
  /**
   * `openvidu3-v2compat`: the stream comes from OpenVidu 3 PRO's v2-compatibility module (lifecycle/v2compat.ts).
   * Default `openvidu2`.
   */
  readonly server?: 'openvidu2' | 'openvidu3-v2compat';
}

/** Counts describing what was validated. */
export interface Summary {
  /** Present when the stream was checked as OpenVidu 3's v2-compatibility module's. */
  readonly server?: 'openvidu3-v2compat';
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
  private readonly tolerance: number;
  private inputStart: number | undefined;
  private readonly layout = new LayoutChecker();
  /** What the rule families get: reporting, the stream's types, where the input began. */
  private readonly ctx: RuleContext = {
    flag: (ev, rule, message, severity, needs) => this.flag(ev, rule, message, severity, needs),
    mayHold: (type) => this.filter.has(type),
    beganInInput: (time) => this.inputStart !== undefined && time > this.inputStart + this.tolerance,
    accurateReasons: true,
  };
  private readonly v2compat: boolean;
  private readonly sessions: SessionRules;
  private readonly mediaNodes = new MediaNodeRules(this.ctx);
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

  private lines = 0;
  private events = 0;
  private readonly eventsByType = new Map<string, number>();
  private errors = 0;
  private warnings = 0;
  private readonly byRule = new Map<RuleId, number>();

  /** @throws OvsimError `BAD_INPUT` when `opts.version` is not a supported 2.x version. */
  constructor(opts: ValidatorOptions = {}) {
    this.version = new VersionRange(opts.version);
    this.filter = new EventFilter(opts.events);
    this.tolerance = opts.inputStartToleranceMs ?? 60_000;
    this.v2compat = opts.server === 'openvidu3-v2compat';
    // The rule families created before this line hold the same context object.
    (this.ctx as { accurateReasons: boolean }).accurateReasons = !this.v2compat;
    this.sessions = new SessionRules(this.ctx, Math.max(1, opts.destroyedMemory ?? 100_000), {
      late: (ev, gone) => lateRecordingEvent(this.ctx, ev, gone),
      ended: (ev, session) => this.legacyRecordings.endSession(ev, session.key),
    });
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
  pushTooLong(lineNo: number, file: string, bytes: number, limit: number, flag?: string): Diagnostic[] {
    this.lines++;
    return tooLongLine(this.reporter, { file, line: lineNo }, bytes, limit, flag);
  }

  /** Reports a file (or standard input) that held no line at all: nothing was checked in it. */
  noteEmptyInput(file: string): Diagnostic[] {
    return emptyInput(this.reporter, file);
  }

  /** `report` as input-notes.ts calls it. */
  private readonly reporter: Report = (out, where, rule, message, severity) =>
    this.report(out, where, rule, message, severity);

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
    for (const s of this.sessions.live()) {
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
      ...(this.v2compat ? { server: 'openvidu3-v2compat' as const } : {}),
      profile: this.version.text(),
      profileSource: this.version.source,
      lines: this.lines,
      events: this.events,
      eventsByType,
      sessions: {
        created: this.sessions.created,
        destroyed: this.sessions.destroyedCount,
        begunBeforeInput: this.sessions.begunBeforeInput,
      },
      unterminated: {
        sessions: this.sessions.openCount,
        participants,
        webrtcConnections: webrtc,
        recordings,
      },
      filter: this.filter.summary(),
      errors: this.errors,
      warnings: this.warnings,
      byRule,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Version, filter, layout, then the rule families

  private process(ev: EventInput): void {
    const spec = eventLayout(ev.name);
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
          : `it was removed after ${versionText(lastMinor(spec, minor))}`;
      this.flag(ev, 'unknown-event', `OpenVidu ${versionText(minor)} does not emit "${ev.name}" (${when})`);
      return;
    }
    this.events++;
    this.eventsByType.set(ev.name, (this.eventsByType.get(ev.name) ?? 0) + 1);
    this.notePresent(ev);
    const ts = int(ev.body, 'timestamp');
    if (this.inputStart === undefined && ts !== undefined) this.inputStart = ts;
    if (this.v2compat && !checkV2Compat(this.ctx, ev)) return;

    this.layout.check(spec, ev, minor, (rule, message, severity) => this.flag(ev, rule, message, severity));
    this.currentOut = ev.out;
    this.lastWhere = ev.where;
    this.clusterRules.observe(ev.name, ev.body, ev.where);
    if (spec.scope === 'session') this.processSessionEvent(ev, minor);
    else if (ev.name === 'mediaNodeStatusChanged') this.mediaNodes.onStatus(ev);
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

  private processSessionEvent(ev: EventInput, minor: number): void {
    const found = this.sessions.sessionOf(ev, minor);
    if (found === undefined) return;
    const { session, usidTime } = found;
    if (INTEGER_END_EVENTS.has(ev.name)) checkEndTimes(this.ctx, ev);
    if (ev.name === 'sessionDestroyed') this.sessions.onSessionDestroyed(ev, session, usidTime);
    else this.dispatch(ev, session, minor);
  }

  /** Hands an event of a live session to its rule family. */
  private dispatch(ev: EventInput, session: Session, minor: number): void {
    const ctx = this.ctx;
    switch (ev.name) {
      case 'participantJoined':
        return onParticipantJoined(ctx, ev, session, minor);
      case 'participantLeft':
        return onParticipantLeft(ctx, ev, session, minor);
      case 'webrtcConnectionCreated':
        return onWebrtcCreated(ctx, ev, session, minor);
      case 'webrtcConnectionDestroyed':
        return onWebrtcDestroyed(ctx, ev, session, minor);
      case 'recordingStatusChanged':
        onRecordingStatus(ctx, ev, session, minor);
        if (minor <= 20 && ev.form === 'cdr')
          this.legacyRecordings.observe(ev, session.key, this.lines === 1, minor);
        return;
      case 'recordingStarted':
      case 'recordingStopped':
        checkRecordingValues(ctx, ev, ev.name === 'recordingStarted' ? 'started' : 'stopped');
        return this.legacyRecordings.observe(ev, session.key, this.lines === 1, minor);
      case 'signalSent':
        return onSignal(ctx, ev, session);
      case 'filterEventDispatched':
        return onFilterEvent(ctx, ev, session, minor);
      default:
        // Broadcasts: only the session-level checks apply.
        return;
    }
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
