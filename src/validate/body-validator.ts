/**
 * What the validators of OpenVidu 3's webhook families (LiveKit, Meet) share: reading a line into one webhook body
 * (a body per line, or a record of `ovsim receive --jsonl`), the event filter, the bounded memory of deliveries
 * already seen (a retry repeats a body), and the counting of findings. Each family adds its own checks.
 */
import { createHash } from 'node:crypto';
import { EventFilter, type FilterSummary } from './event-filter.js';
import type { Diagnostic, RuleId, Severity, Where } from './rules.js';
import { emptyInput, tooLongLine, type Report } from './input-notes.js';

/** One body to check: its exact text, or the text of a receive record whose raw bytes were not kept. */
export interface LineBody {
  readonly text: string;
  /** The text is `JSON.stringify` of a recorded body: spacing, escapes and number forms are not the sender's. */
  readonly reserialized: boolean;
}

/** Reports a finding about the current event; `needs`: the types without which it would be wrong. */
export type Flag = (rule: RuleId, message: string, severity?: Severity, needs?: readonly string[]) => void;

/** The counts every webhook family's summary carries. */
export interface BodyCounts {
  readonly lines: number;
  readonly events: number;
  readonly eventsByType: Readonly<Record<string, number>>;
  /** Bodies identical to one already checked (a retry, or a duplicate delivery): counted, not checked again. */
  readonly redeliveries: number;
  readonly filter: FilterSummary;
  readonly errors: number;
  readonly warnings: number;
  readonly byRule: Readonly<Partial<Record<RuleId, number>>>;
}

export interface BodyValidatorOptions {
  /** The event types the stream may hold (see {@link EventFilter}); default: inferred from the types present. */
  readonly events?: readonly string[];
  /** How many delivered bodies, and ended entities, are remembered. Default 100 000. */
  readonly memory?: number;
}

export abstract class BodyValidator {
  protected readonly filter: EventFilter;
  protected readonly memory: number;
  private lines = 0;
  private events = 0;
  private readonly eventsByType = new Map<string, number>();
  private errors = 0;
  private warnings = 0;
  private readonly byRule = new Map<RuleId, number>();
  private redeliveries = 0;
  /** Digest of each delivered body by its key (a LiveKit event id, or the digest itself), oldest first. */
  private readonly delivered = new Map<string, { readonly digest: string; readonly where: Where }>();

  constructor(
    /** The server, for messages: `LiveKit`, `OpenVidu Meet`. */
    protected readonly serverName: string,
    opts: BodyValidatorOptions,
  ) {
    this.filter = new EventFilter(opts.events, () => true);
    this.memory = Math.max(1, opts.memory ?? 100_000);
  }

  /** Checks one line of input (a body, or a receive record). */
  push(line: string, lineNo: number, file: string, invalidUtf8?: string): Diagnostic[] {
    const out: Diagnostic[] = [];
    const where: Where = { file, line: lineNo };
    this.lines++;
    const report = (rule: RuleId, message: string, severity?: Severity) =>
      this.report(out, where, rule, message, severity);
    if (invalidUtf8 !== undefined) report('encoding', `${invalidUtf8}; ${this.serverName} writes UTF-8`);
    const body = unwrapLine(line, report, this.serverName);
    if (body !== undefined) this.checkBody(body, where, out);
    return out;
  }

  /** Counts a line too long to read and reports it, unchecked. */
  pushTooLong(lineNo: number, file: string, bytes: number, limit: number, flag?: string): Diagnostic[] {
    this.lines++;
    return tooLongLine(this.reporter, { file, line: lineNo }, bytes, limit, flag);
  }

  noteEmptyInput(file: string): Diagnostic[] {
    return emptyInput(this.reporter, file);
  }

  /** `report` as input-notes.ts calls it. */
  private readonly reporter: Report = (out, where, rule, message, severity) =>
    this.report(out, where, rule, message, severity);

  /** Ends the input: the families report what the end reveals; findings still waiting for a type are skipped. */
  finish(): Diagnostic[] {
    const out: Diagnostic[] = [];
    this.finishRules(out);
    this.filter.finish();
    return out;
  }

  protected abstract checkBody(body: LineBody, where: Where, out: Diagnostic[]): void;
  protected abstract finishRules(out: Diagnostic[]): void;

  /** Counts one event of a known type and releases the findings that waited for its type. */
  protected countEvent(name: string, where: Where, out: Diagnostic[]): void {
    this.events++;
    this.eventsByType.set(name, (this.eventsByType.get(name) ?? 0) + 1);
    const { released, outsideFilter } = this.filter.saw(name);
    if (outsideFilter) {
      this.report(
        out,
        where,
        'filtered-event',
        `"${name}" is not in the --events filter: checked anyway, with the checks that need it`,
        'warning',
      );
    }
    for (const d of released) this.emit(out, d);
  }

  /**
   * Whether this body was delivered before: `same` for the same key and bytes (a retry: counted, not checked
   * again), `different` for the same key and other bytes (with where the first was), `new` otherwise (remembered).
   */
  protected delivery(
    key: string | undefined,
    text: string,
    where: Where,
  ): { readonly kind: 'new' | 'same' | 'different'; readonly first?: Where } {
    const digest = createHash('sha1').update(text).digest('base64');
    const k = key ?? digest;
    const before = this.delivered.get(k);
    if (before?.digest === digest) {
      this.redeliveries++;
      return { kind: 'same', first: before.where };
    }
    if (before !== undefined) return { kind: 'different', first: before.where };
    this.delivered.set(k, { digest, where });
    if (this.delivered.size > this.memory) this.delivered.delete(this.delivered.keys().next().value!);
    return { kind: 'new' };
  }

  /** A reporter located at `where`, honouring the filter for findings that need other types. */
  protected flagAt(out: Diagnostic[], where: Where): Flag {
    return (rule, message, severity, needs) => this.report(out, where, rule, message, severity, needs);
  }

  protected report(
    out: Diagnostic[],
    where: Where,
    rule: RuleId,
    message: string,
    severity: Severity = 'error',
    needs?: readonly string[],
  ): void {
    const d: Diagnostic = { file: where.file, line: where.line, rule, message, severity };
    if (needs !== undefined && !this.filter.admit(d, needs, 0)) return;
    this.emit(out, d);
  }

  private emit(out: Diagnostic[], d: Diagnostic): void {
    out.push(d);
    if (d.severity === 'error') this.errors++;
    else this.warnings++;
    this.byRule.set(d.rule, (this.byRule.get(d.rule) ?? 0) + 1);
  }

  protected counts(): BodyCounts {
    return {
      lines: this.lines,
      events: this.events,
      eventsByType: Object.fromEntries(this.eventsByType),
      redeliveries: this.redeliveries,
      filter: this.filter.summary(),
      errors: this.errors,
      warnings: this.warnings,
      byRule: Object.fromEntries(this.byRule) as Partial<Record<RuleId, number>>,
    };
  }
}

/**
 * The body a line holds: the line itself, or the body of an `ovsim receive --jsonl` record (`raw`, the exact bytes
 * received, when the record kept them; else its parsed `body` re-serialized). A byte order mark is reported and
 * skipped; a blank line is a warning.
 */
export function unwrapLine(
  text: string,
  report: (rule: RuleId, message: string, severity?: Severity) => void,
  serverName: string,
): LineBody | undefined {
  let line = text;
  if (line.charCodeAt(0) === 0xfeff) {
    report(
      'encoding',
      `the line starts with a byte order mark (U+FEFF); ${serverName} writes UTF-8 without one`,
    );
    line = line.slice(1);
  }
  if (line.trim() === '') {
    report('blank-line', 'empty line', 'warning');
    return undefined;
  }
  if (!line.startsWith('{"n":')) return { text: line, reserialized: false };
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return { text: line, reserialized: false };
  }
  const r = record as Record<string, unknown>;
  if (typeof r.n !== 'number' || !Object.hasOwn(r, 'answer') || !Object.hasOwn(r, 'body'))
    return { text: line, reserialized: false };
  if (typeof r.raw === 'string') return { text: r.raw, reserialized: false };
  if (typeof r.body === 'string') return { text: r.body, reserialized: false };
  return { text: JSON.stringify(r.body), reserialized: true };
}
