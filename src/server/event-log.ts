/**
 * The live server's event log: the last N events, each with its CDR line, WebHook body, cascade id and cause, kept in
 * a ring so memory stays bounded however long the server runs. Sequence numbers never repeat, so a client pages with
 * `after=<seq>` and notices when entries it has not read were dropped (`oldest` moved past them).
 */
import type { EventName } from '../model/catalogue.js';

/** Why a cascade happened, as clients see it. */
export type CauseView =
  | {
      readonly kind: 'action';
      readonly type: string;
      readonly args: unknown;
      /** Who sent it: `api` (the control API or the page), `scenario` (a scenario step). */
      readonly origin: 'api' | 'scenario';
      /** The scenario step index when `origin` is `scenario`. */
      readonly step?: number;
    }
  | { readonly kind: 'timer'; readonly label: string };

export interface LogEntry {
  /** 1-based position among every event since the last reset. */
  readonly seq: number;
  /** The cascade (batch) this event belongs to: one action or timer, many events. */
  readonly batch: number;
  readonly name: EventName;
  /** The event's timestamp, virtual ms since the epoch. */
  readonly timestamp: number;
  readonly sessionId: string | null;
  /** The CDR file line, or null when the configured OpenVidu version does not write this event. */
  readonly cdr: string | null;
  /** The WebHook body, or null when not written (see `cdr`). */
  readonly webhook: string | null;
  readonly cause: CauseView;
}

export interface LogPage {
  readonly events: readonly LogEntry[];
  /** Pass as `after` to read on; null when this page reached the newest event. */
  readonly next: number | null;
  /** Oldest seq still held (older ones were dropped from the ring); 0 when empty. */
  readonly oldest: number;
  /** Newest seq so far; 0 when empty. */
  readonly newest: number;
}

/** Default number of events kept. */
export const DEFAULT_LOG_CAPACITY = 20_000;

export class EventLog {
  private readonly ring: (LogEntry | undefined)[];
  private count = 0;
  private lastSeq = 0;

  constructor(readonly capacity = DEFAULT_LOG_CAPACITY) {
    this.ring = new Array<LogEntry | undefined>(capacity);
  }

  get newest(): number {
    return this.lastSeq;
  }

  get oldest(): number {
    return this.count === 0 ? 0 : this.lastSeq - this.count + 1;
  }

  /** Next sequence number to hand out. */
  nextSeq(): number {
    return this.lastSeq + 1;
  }

  push(entry: LogEntry): void {
    this.lastSeq = entry.seq;
    this.ring[entry.seq % this.capacity] = entry;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * Events with seq > `after`, oldest first, at most `limit`, optionally only of the given types.
   * @param after a seq already read (0 for the beginning)
   * @param limit page size, 1..1000
   */
  page(after: number, limit: number, types?: ReadonlySet<string>): LogPage {
    const events: LogEntry[] = [];
    let seq = Math.max(after + 1, this.oldest);
    for (; seq <= this.lastSeq && events.length < limit; seq++) {
      const e = this.ring[seq % this.capacity];
      if (e && (!types || types.has(e.name))) events.push(e);
    }
    const more = seq <= this.lastSeq;
    return { events, next: more ? seq - 1 : null, oldest: this.oldest, newest: this.lastSeq };
  }

  /** The newest `n` events, oldest first. */
  tail(n: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (let seq = Math.max(this.oldest, this.lastSeq - n + 1); seq > 0 && seq <= this.lastSeq; seq++) {
      const e = this.ring[seq % this.capacity];
      if (e) out.push(e);
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.count = 0;
    this.lastSeq = 0;
  }
}
