/**
 * The CDR of OpenVidu 2.12 … 2.20 logs the deprecated `recordingStarted` and `recordingStopped` beside the
 * `recordingStatusChanged` of the same recording, one call after the other on the same thread (RecordingManager
 * of each tag): `recordingStarted` BEFORE `recordingStatusChanged(started)` up to 2.16 and AFTER it from 2.17
 * (v2.17.0 swapped the two calls), `recordingStopped` after `recordingStatusChanged(stopped)` in every version.
 * Each pair shares its times: `recordingStarted.timestamp` is the recording's creation time, as the started
 * status's; `recordingStopped` has the stopped status's timestamp, startTime and reason (`finalReason` leaves
 * recording stop reasons as they are). The WebHook never carries the two (CallDetailRecord.log skips them).
 */
import { at, int, str, type EventInput } from '../event-input.js';
import type { RuleId, Severity } from '../rules.js';

type Flag = (ev: EventInput, rule: RuleId, message: string, severity?: Severity) => void;

type Kind = 'recordingStarted' | 'started' | 'stopped' | 'recordingStopped';

/** One half of a pair, waiting for the other. */
interface Half {
  readonly kind: Kind;
  readonly ev: EventInput;
  /** The first line of the input: its partner may be in the file before, cut off. */
  readonly atInputStart: boolean;
}

const LABEL: Readonly<Record<Kind, string>> = {
  recordingStarted: 'recordingStarted',
  started: 'recordingStatusChanged "started"',
  stopped: 'recordingStatusChanged "stopped"',
  recordingStopped: 'recordingStopped',
};
const PARTNER: Readonly<Record<Kind, Kind>> = {
  recordingStarted: 'started',
  started: 'recordingStarted',
  stopped: 'recordingStopped',
  recordingStopped: 'stopped',
};

/** Pairs the deprecated recording events with their status events, per session and recording id. */
export class LegacyRecordingPairs {
  /** Session key → recording id → the half waiting for its partner. */
  private readonly waiting = new Map<string, Map<string, Half>>();

  constructor(private readonly flag: Flag) {}

  /**
   * A `recordingStarted` or `recordingStopped` line, or a `recordingStatusChanged` in CDR form, of a ≤ 2.20
   * stream. `minor` decides the order of the started pair.
   */
  observe(ev: EventInput, sessionKey: string, atInputStart: boolean, minor: number): void {
    const id = str(ev.body, 'id');
    if (id === undefined) return;
    if (ev.form !== 'cdr' && ev.name !== 'recordingStatusChanged') {
      this.flag(
        ev,
        'legacy-recording',
        `${ev.name} is written to the CDR file only, never sent to the WebHook`,
      );
      return;
    }
    const status = str(ev.body, 'status');
    const kind: Kind | undefined =
      ev.name === 'recordingStatusChanged'
        ? status === 'started' || status === 'stopped'
          ? status
          : undefined
        : (ev.name as Kind);
    let perSession = this.waiting.get(sessionKey);
    const half = perSession?.get(id);
    if (kind === undefined) {
      // ready/failed: whatever still waits lost its partner.
      if (half !== undefined) this.unpaired(ev, half, id);
      perSession?.delete(id);
      return;
    }
    if (half?.kind === PARTNER[kind]) {
      this.pair(half, { kind, ev, atInputStart }, id, minor);
      perSession?.delete(id);
      return;
    }
    if (half !== undefined) this.unpaired(ev, half, id);
    if (perSession === undefined) this.waiting.set(sessionKey, (perSession = new Map()));
    perSession.set(id, { kind, ev, atInputStart });
  }

  /** The session ended: halves still waiting lost their partners. */
  endSession(ev: EventInput, sessionKey: string): void {
    const perSession = this.waiting.get(sessionKey);
    if (perSession === undefined) return;
    for (const [id, half] of perSession) this.unpaired(ev, half, id);
    this.waiting.delete(sessionKey);
  }

  private pair(first: Half, second: Half, id: string, minor: number): void {
    const ev = second.ev;
    const starting = first.kind === 'started' || first.kind === 'recordingStarted';
    const expectedFirst: Kind = starting ? (minor <= 16 ? 'recordingStarted' : 'started') : 'stopped';
    if (first.kind !== expectedFirst) {
      const versions = starting ? (minor <= 16 ? '2.12–2.16' : '2.17–2.20') : '2.12–2.20';
      this.flag(
        ev,
        'legacy-recording',
        `${LABEL[second.kind]} of recording ${id} comes after its ${LABEL[first.kind]} (${at(first.ev.where)}): OpenVidu ${versions} logs ${LABEL[expectedFirst]} first`,
      );
    }
    const [legacy, status] =
      first.kind === 'recordingStarted' || first.kind === 'recordingStopped'
        ? [first, second]
        : [second, first];
    const differs = (key: string, a: unknown, b: unknown): void => {
      if (a !== undefined && b !== undefined && a !== b) {
        this.flag(
          ev,
          'legacy-recording',
          `${LABEL[legacy.kind]} "${key}" is ${JSON.stringify(a)} but its ${LABEL[status.kind]} (${at(status.ev.where)}) has ${JSON.stringify(b)}`,
        );
      }
    };
    differs('timestamp', int(legacy.ev.body, 'timestamp'), int(status.ev.body, 'timestamp'));
    if (!starting) {
      differs('startTime', int(legacy.ev.body, 'startTime'), int(status.ev.body, 'startTime'));
      differs('reason', str(legacy.ev.body, 'reason'), str(status.ev.body, 'reason'));
    }
  }

  private unpaired(ev: EventInput, half: Half, id: string): void {
    const partner = LABEL[PARTNER[half.kind]];
    const where = at(half.ev.where);
    const severity: Severity = half.atInputStart ? 'warning' : 'error';
    this.flag(
      ev,
      'legacy-recording',
      `${LABEL[half.kind]} of recording ${id} (${where}) has no ${partner} beside it (OpenVidu 2.12–2.20 logs both)`,
      severity,
    );
  }
}
