/**
 * Which OpenVidu 2.x versions could have written the input, narrowed line by line from what each line shows
 * (spec §11): `uniqueSessionId` appears in 2.17, `frameRate` in composed recordings in 2.18, `ip` in participant
 * events in 2.20, and every event name has its own span. The newest version still possible is the field set
 * lines are checked against, so a Pro 2.17 file passes without `--openvidu-version` although it lacks 2.20's `ip`.
 */
import { NEWEST_MINOR, OLDEST_MINOR, parseVersion, versionText, type EventSpec } from './catalogue.js';
import { get } from './event-input.js';

/** Events that carry the recording fields (and so `frameRate` since 2.18 when composed with video). */
const RECORDING_EVENTS: ReadonlySet<string> = new Set([
  'recordingStatusChanged',
  'recordingStarted',
  'recordingStopped',
]);

/** The versions still possible, and how they were chosen. */
export class VersionRange {
  private lo: number;
  private hi: number;
  private from: 'option' | 'detected' | 'default';

  /** @throws OvsimError `BAD_INPUT` when `option` is not a supported 2.x version. */
  constructor(option: string | undefined) {
    if (option !== undefined && option !== 'detect' && option !== 'auto') {
      this.lo = this.hi = parseVersion(option);
      this.from = 'option';
    } else {
      this.lo = OLDEST_MINOR;
      this.hi = NEWEST_MINOR;
      this.from = 'default';
    }
  }

  /** The minor version lines are checked against: the newest still possible. */
  get minor(): number {
    return this.hi;
  }

  get source(): 'option' | 'detected' | 'default' {
    return this.from;
  }

  /** `2.32`, or the span still possible when detection left more than one (`2.17–2.19`). */
  text(): string {
    return this.from === 'detected' && this.lo !== this.hi
      ? `${versionText(this.lo)}–${versionText(this.hi)}`
      : versionText(this.hi);
  }

  /**
   * Narrows the range with what one event shows, when that leaves some version possible; otherwise keeps it,
   * and the checks against {@link minor} report what does not fit.
   */
  narrow(spec: EventSpec, keys: readonly string[], body: Readonly<Record<string, unknown>>): void {
    if (this.from === 'option') return;
    let lo = Math.max(this.lo, spec.since ?? OLDEST_MINOR);
    let hi = Math.min(this.hi, spec.until ?? NEWEST_MINOR);
    const has = (k: string): boolean => keys.includes(k);
    const between = (since: number, present: boolean): void => {
      if (present) lo = Math.max(lo, since);
      else hi = Math.min(hi, since - 1);
    };
    if (spec.scope === 'session' && has('sessionId')) between(17, has('uniqueSessionId'));
    if (spec.name === 'participantJoined' || spec.name === 'participantLeft') between(20, has('ip'));
    if (RECORDING_EVENTS.has(spec.name) && composedWithVideo(body)) between(18, has('frameRate'));
    if (lo > hi || (lo === this.lo && hi === this.hi)) return;
    this.lo = lo;
    this.hi = hi;
    this.from = 'detected';
  }
}

function composedWithVideo(body: Readonly<Record<string, unknown>>): boolean {
  const mode = get(body, 'outputMode');
  return (mode === 'COMPOSED' || mode === 'COMPOSED_QUICK_START') && get(body, 'hasVideo') === true;
}
