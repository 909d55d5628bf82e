/**
 * Counts what a run produced, for the one-line summary every command prints on stderr.
 */
import type { CdrEvent } from '../model/catalogue.js';

export class RunSummary {
  readonly byType = new Map<string, number>();
  events = 0;
  sessions = 0;
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
  private readonly wallStart = performance.now();

  add(event: CdrEvent): void {
    this.count(event.name, event.data.timestamp);
  }

  /** Counts one event of type `name` stamped `t` (ms since the epoch). */
  count(name: string, t: number): void {
    this.events++;
    this.byType.set(name, (this.byType.get(name) ?? 0) + 1);
    if (name === 'sessionCreated' || name === 'room_started' || name === 'meetingStarted') this.sessions++;
    if (this.firstTimestamp === undefined || t < this.firstTimestamp) this.firstTimestamp = t;
    if (this.lastTimestamp === undefined || t > this.lastTimestamp) this.lastTimestamp = t;
  }

  /** Virtual time covered by the events, in ms. */
  get virtualSpanMs(): number {
    return this.firstTimestamp === undefined || this.lastTimestamp === undefined
      ? 0
      : this.lastTimestamp - this.firstTimestamp;
  }

  get wallMs(): number {
    return performance.now() - this.wallStart;
  }

  /** e.g. `42 events (sessionCreated 2, participantJoined 5, …), 2 sessions, virtual span 3m 20s, wall 0.05 s` */
  line(): string {
    const types = [...this.byType].map(([k, v]) => `${k} ${v}`).join(', ');
    return (
      `${this.events} events${types ? ` (${types})` : ''}, ${this.sessions} sessions, ` +
      `virtual span ${formatSpan(this.virtualSpanMs)}, wall ${(this.wallMs / 1000).toFixed(2)} s`
    );
  }
}

/** `1h 02m 03s`, `2m 05s`, `4.25s`. */
export function formatSpan(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(sec)}s` : `${m}m ${pad(sec)}s`;
}
