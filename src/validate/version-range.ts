/**
 * Which OpenVidu 2.x versions could have written the input, narrowed line by line from what each line shows
 * (spec §11): each event has its span of versions, and each field the event catalogue dates (`uniqueSessionId`
 * appears in 2.17, `frameRate` in composed recordings in 2.18, `ip` in participant events in 2.20, …) tells by its
 * presence or absence. The newest version still possible is the field set lines are checked against, so a Pro
 * 2.17 file passes without `--openvidu-version` although it lacks 2.20's `ip`.
 */
import { NEWEST_MINOR, OLDEST_MINOR, parseVersion, versionText } from '../model/version.js';
import { OUTPUT_MODE_SINCE, type OutputMode } from '../model/wire-values.js';
import { conditionHolds, lastMinor, type EventLayout } from './wire-layout.js';

/** The versions still possible, and how they were chosen. */
export class VersionRange {
  private lo: number;
  private hi: number;
  private from: 'option' | 'detected' | 'default';

  /** @throws OvsimError `BAD_INPUT` when `option` is not a supported 2.x version. */
  constructor(option: string | undefined) {
    if (option !== undefined && option !== 'detect' && option !== 'auto') {
      this.lo = this.hi = parseVersion(option, 'newest');
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
  narrow(spec: EventLayout, keys: readonly string[], body: Readonly<Record<string, unknown>>): void {
    if (this.from === 'option') return;
    let lo = Math.max(this.lo, spec.since ?? OLDEST_MINOR);
    let hi = Math.min(this.hi, lastMinor(spec, NEWEST_MINOR));
    for (const field of spec.markers) {
      if (field.when !== undefined && !conditionHolds(field.when, body)) continue;
      const present = keys.includes(field.key);
      if (field.since !== undefined) {
        if (present) lo = Math.max(lo, field.since);
        else hi = Math.min(hi, field.since - 1);
      }
      if (field.until !== undefined) {
        if (present) hi = Math.min(hi, field.until - 1);
        else lo = Math.max(lo, field.until);
      }
    }
    // A value younger than some versions tells too (COMPOSED_QUICK_START is written from 2.15 on).
    const mode = body['outputMode'];
    if (typeof mode === 'string') lo = Math.max(lo, OUTPUT_MODE_SINCE[mode as OutputMode] ?? OLDEST_MINOR);
    if (lo > hi || (lo === this.lo && hi === this.hi)) return;
    this.lo = lo;
    this.hi = hi;
    this.from = 'detected';
  }
}
