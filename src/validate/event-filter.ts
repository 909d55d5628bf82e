/**
 * Filtered streams. A WebHook endpoint receives only the event types of `OPENVIDU_WEBHOOK_EVENTS` (OpenVidu's
 * docs recommend `["recordingStatusChanged"]`), so a rule that needs another type (a `participantJoined` before
 * `lastParticipantLeft`, a `sessionCreated` before the ends) cannot be checked on such a stream: it is skipped,
 * not failed. The filter is given (`--events`, as OpenVidu's property) or inferred from the types present: a
 * finding that needs a type not seen yet waits until that type appears (then it is reported) or the input ends
 * (then it is counted as skipped).
 */
import { OvsimError } from '../errors.js';
import { EVENT_LAYOUTS, eventLayout, inVersion } from './wire-layout.js';
import type { Diagnostic } from './rules.js';

/** What the summary says about the filter. */
export interface FilterSummary {
  /** The `--events` list, or undefined when the filter was inferred. */
  readonly given: readonly string[] | undefined;
  /** Types that appeared in the input, in order of first appearance. */
  readonly present: readonly string[];
  /** Findings not reported because a type they need is filtered out (or never appeared). */
  readonly skipped: number;
  /** The missing types those findings needed. */
  readonly missing: readonly string[];
}

/** Findings kept while waiting for their types; beyond this many, more are counted as skipped at once. */
const MAX_WAITING = 10_000;

interface Waiting {
  readonly diagnostic: Diagnostic;
  readonly needs: readonly string[];
}

/**
 * Parses an `--events` list as OpenVidu reads `OPENVIDU_WEBHOOK_EVENTS`: `["a","b"]`, or simply `a,b`. `all`
 * names every type (nothing filtered: no check skipped). `known` are the server's event types (default OpenVidu 2's)
 * and `server` names that server in messages.
 * @throws OvsimError `BAD_INPUT` naming an unknown type
 */
export function parseEventList(
  text: string,
  known: readonly string[] = EVENT_LAYOUTS.map((e) => e.name),
  server = 'an OpenVidu',
): string[] {
  const items = text
    .replace(/^\s*\[|\]\s*$/g, '')
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter((s) => s !== '');
  if (items.length === 1 && items[0] === 'all') return [...known];
  for (const name of items) {
    if (!known.includes(name)) {
      const close = known.find((k) => k.toLowerCase() === name.toLowerCase());
      throw new OvsimError(
        'BAD_INPUT',
        `--events: "${name}" is not ${server} event type${close ? ` (did you mean "${close}"?)` : ''}`,
      );
    }
  }
  if (items.length === 0) throw new OvsimError('BAD_INPUT', '--events: name at least one event type');
  return items;
}

/** The event types a stream may hold, given or inferred, and the findings waiting on them. */
export class EventFilter {
  private readonly given: ReadonlySet<string> | undefined;
  private readonly present = new Set<string>();
  private waiting: Waiting[] = [];
  private skippedCount = 0;
  private readonly missingTypes = new Set<string>();

  /**
   * `emitted`: whether the server emits a type at all in the version being checked (a type it never emits does
   * not make a finding wait); default: OpenVidu 2's event catalogue.
   */
  constructor(
    given: readonly string[] | undefined,
    private readonly emitted: (type: string, minor: number) => boolean = emittedBy,
  ) {
    this.given = given === undefined ? undefined : new Set(given);
  }

  /** Whether a type may be in the stream: in the given filter, or (inferred) seen so far. */
  has(type: string): boolean {
    return this.present.has(type) || this.given?.has(type) === true;
  }

  /** Whether a given filter leaves `type` out (never true for an inferred filter). */
  excludes(type: string): boolean {
    return this.given !== undefined && !this.has(type);
  }

  /**
   * Notes that an event of `type` arrived. Returns the findings that were waiting for it and now have every
   * type they need, and whether the type is outside a given filter (seen for the first time).
   */
  saw(type: string): { released: Diagnostic[]; outsideFilter: boolean } {
    if (this.present.has(type)) return { released: [], outsideFilter: false };
    this.present.add(type);
    const outsideFilter = this.given !== undefined && !this.given.has(type);
    const released: Diagnostic[] = [];
    if (this.waiting.length > 0) {
      const still: Waiting[] = [];
      for (const w of this.waiting) {
        if (w.needs.every((t) => this.has(t))) released.push(w.diagnostic);
        else still.push(w);
      }
      this.waiting = still;
    }
    return { released, outsideFilter };
  }

  /**
   * Decides about a finding that needs event types (those the version `minor` does not emit do not count):
   * `true` to report it now; `false` when it is skipped or kept waiting (inferred filter) for its types.
   */
  admit(diagnostic: Diagnostic, needs: readonly string[], minor: number): boolean {
    const missing = needs.filter((t) => !this.has(t) && this.emitted(t, minor));
    if (missing.length === 0) return true;
    if (this.given === undefined && this.waiting.length < MAX_WAITING) {
      this.waiting.push({ diagnostic, needs: missing });
    } else {
      this.skip(missing);
    }
    return false;
  }

  /** End of input: findings still waiting are skipped. */
  finish(): void {
    for (const w of this.waiting) this.skip(w.needs.filter((t) => !this.has(t)));
    this.waiting = [];
  }

  summary(): FilterSummary {
    return {
      given: this.given === undefined ? undefined : [...this.given],
      present: [...this.present],
      skipped: this.skippedCount,
      missing: [...this.missingTypes],
    };
  }

  private skip(missing: readonly string[]): void {
    this.skippedCount++;
    for (const t of missing) this.missingTypes.add(t);
  }
}

function emittedBy(type: string, minor: number): boolean {
  const spec = eventLayout(type);
  return spec !== undefined && inVersion(spec, minor);
}
