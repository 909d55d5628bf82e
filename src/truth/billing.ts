/**
 * Billing aggregates over connected intervals: the peak of concurrent participants and the per-minute series.
 * Intervals are half-open, [from, to) in ms; one that starts and ends at the same instant connects nobody at any
 * instant but is still seen in its minute.
 */
import type { TruthMinuteRecord } from './truth-schema.js';

export interface Interval {
  readonly from: number;
  readonly to: number;
  /** What it belongs to (the session), for counting sessions per minute. */
  readonly key: string;
}

const MINUTE_MS = 60_000;

/** Most intervals covering one instant; at equal instants an interval ending is counted before one starting. */
export function peakOf(intervals: readonly Interval[]): number {
  const edges: [at: number, delta: number][] = [];
  for (const i of intervals) {
    if (i.to <= i.from) continue;
    edges.push([i.from, 1], [i.to, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    now += delta;
    if (now > peak) peak = now;
  }
  return peak;
}

/** The UTC minutes some interval touches, in order, with their connected seconds, participants and sessions. */
export function perMinute(intervals: readonly Interval[]): TruthMinuteRecord[] {
  const minutes = new Map<number, { ms: number; participants: number; sessions: Set<string> }>();
  for (const i of intervals) {
    const first = Math.floor(i.from / MINUTE_MS) * MINUTE_MS;
    const last = i.to > i.from ? Math.floor((i.to - 1) / MINUTE_MS) * MINUTE_MS : first;
    for (let m = first; m <= last; m += MINUTE_MS) {
      let acc = minutes.get(m);
      if (!acc) minutes.set(m, (acc = { ms: 0, participants: 0, sessions: new Set() }));
      acc.ms += Math.max(0, Math.min(i.to, m + MINUTE_MS) - Math.max(i.from, m));
      acc.participants++;
      acc.sessions.add(i.key);
    }
  }
  return [...minutes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, acc]) => ({
      start,
      participantSeconds: acc.ms / 1000,
      participants: acc.participants,
      sessions: acc.sessions.size,
    }));
}
