/**
 * Load-test plans: the target arrival rate over time (`--rate`, `--stages`) and retry schedules (`--retry`).
 *
 * Arrivals follow an open model: event i is due at the instant the integral of the rate reaches i, whatever happened
 * to earlier events, so latency measured from that instant includes any queueing (no coordinated omission).
 */
import { OvsimError } from '../errors.js';
import { parseDuration } from '../model/duration.js';
import type { RetryPolicy } from '../sinks/webhook-load.js';

/** A target rate: per second, of events or of sessions. */
export interface Rate {
  readonly perSecond: number;
  readonly unit: 'events' | 'sessions';
}

const PER: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600 };

/**
 * Parses `500/s`, `500`, `30000/m`, `5 sessions/s`, `5sessions/s`.
 * @throws OvsimError BAD_INPUT naming `option`
 */
export function parseRate(text: string, option = '--rate'): Rate {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(events?|sessions?)?\s*(?:\/\s*(s|sec|m|min|h))?\s*$/i.exec(text);
  if (!m) throw new OvsimError('BAD_INPUT', `${option} "${text}" is not a rate such as 500/s or 5sessions/s`);
  const perSecond = Number(m[1]) / (PER[(m[3] ?? 's').toLowerCase()] ?? 1);
  const unit = (m[2] ?? 'events').toLowerCase().startsWith('session') ? 'sessions' : 'events';
  return { perSecond, unit };
}

/** One stage: ramp linearly from the previous stage's rate to `rate` over `durationMs`. */
export interface Stage {
  readonly durationMs: number;
  readonly rate: Rate;
}

/**
 * Parses `30s:100/s,60s:1000/s` (k6's ramping arrival rate).
 * @throws OvsimError BAD_INPUT naming `--stages`
 */
export function parseStages(text: string): Stage[] {
  const stages = text
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((part) => {
      const i = part.indexOf(':');
      const durationMs = i < 0 ? undefined : parseDuration(part.slice(0, i).trim());
      if (i < 0 || durationMs === undefined || durationMs <= 0) {
        throw new OvsimError('BAD_INPUT', `--stages "${part}" is not DURATION:RATE such as 30s:100/s`);
      }
      return { durationMs, rate: parseRate(part.slice(i + 1), '--stages') };
    });
  if (stages.length === 0) throw new OvsimError('BAD_INPUT', '--stages is empty (e.g. 30s:100/s,60s:1000/s)');
  if (new Set(stages.map((s) => s.rate.unit)).size > 1) {
    throw new OvsimError('BAD_INPUT', '--stages mixes events/s and sessions/s; use one unit');
  }
  return stages;
}

interface Segment {
  readonly t0: number;
  readonly durationMs: number;
  /** Arrivals per ms at the start and end of the segment. */
  readonly r0: number;
  readonly r1: number;
  /** Arrivals before the segment. */
  readonly n0: number;
}

/**
 * When each arrival is due, in ms from the start of the test. `timeOf(i)` for i = 0, 1, 2 …; `undefined` once the
 * plan is over. Rates are in events per second (convert sessions beforehand).
 */
export class ArrivalSchedule {
  private readonly segments: Segment[] = [];
  private readonly endless: number | undefined;
  /** Total arrivals (Infinity for an endless constant rate). */
  readonly total: number;
  /** Planned length in ms (Infinity when endless). */
  readonly durationMs: number;

  /**
   * @param startPerSecond rate at t=0 (events/s)
   * @param stages ramps (events/s); none with `durationMs` = a constant `startPerSecond` for that long; neither = endless
   */
  constructor(
    startPerSecond: number,
    stages: readonly { durationMs: number; perSecond: number }[],
    durationMs?: number,
  ) {
    let t = 0;
    let n = 0;
    let r = startPerSecond / 1000;
    const plan =
      stages.length > 0
        ? stages
        : durationMs !== undefined
          ? [{ durationMs, perSecond: startPerSecond }]
          : [];
    for (const s of plan) {
      const r1 = s.perSecond / 1000;
      this.segments.push({ t0: t, durationMs: s.durationMs, r0: r, r1, n0: n });
      n += ((r + r1) / 2) * s.durationMs;
      t += s.durationMs;
      r = r1;
    }
    this.endless = plan.length === 0 ? startPerSecond / 1000 : undefined;
    this.total = this.endless !== undefined ? Infinity : Math.floor(n + 1e-9);
    this.durationMs = this.endless !== undefined ? Infinity : t;
  }

  timeOf(i: number): number | undefined {
    if (this.endless !== undefined) return this.endless > 0 ? i / this.endless : undefined;
    if (i >= this.total) return undefined;
    for (const s of this.segments) {
      const inSeg = ((s.r0 + s.r1) / 2) * s.durationMs;
      if (i >= s.n0 + inSeg) continue;
      const k = i - s.n0;
      const a = (s.r1 - s.r0) / s.durationMs;
      if (Math.abs(a) < 1e-15) return s.t0 + k / s.r0;
      // N(τ) = r0·τ + a·τ²/2 = k
      const tau = (-s.r0 + Math.sqrt(Math.max(0, s.r0 * s.r0 + 2 * a * k))) / a;
      return s.t0 + Math.min(s.durationMs, Math.max(0, tau));
    }
    return undefined;
  }
}

/** OpenVidu's: up to 5 attempts back to back, on network errors only. */
export const OPENVIDU_RETRY: RetryPolicy = {
  name: 'openvidu',
  retryable: (o) => o.kind === 'network',
  delayMs: (n) => (n < 5 ? 0 : undefined),
};

export const NO_RETRY: RetryPolicy = { name: 'none', retryable: () => false, delayMs: () => undefined };

/** Schedules beyond OpenVidu's retry network errors, 5xx, 408 and 429 (other statuses are the consumer's answer). */
function retryableBeyond(o: { kind: 'status'; status: number } | { kind: 'network' }): boolean {
  return o.kind === 'network' || o.status >= 500 || o.status === 408 || o.status === 429;
}

/**
 * Parses `--retry`: `openvidu` (default), `none`, a list of delays `1s,5s,30s`, or
 * `exp:base=200ms,max=5,cap=30s,jitter` (delay n = base·2^(n−1) capped, with jitter a uniform draw in
 * [delay/2, delay]; `max` = retries after the first attempt).
 * @throws OvsimError BAD_INPUT naming `--retry`
 */
export function parseRetry(text: string): RetryPolicy {
  const t = text.trim();
  if (t === 'openvidu') return OPENVIDU_RETRY;
  if (t === 'none') return NO_RETRY;
  const bad = (why: string) =>
    new OvsimError(
      'BAD_INPUT',
      `--retry "${text}": ${why} (use openvidu, none, 1s,5s,30s or exp:base=200ms,max=5,jitter)`,
    );
  if (t.startsWith('exp')) {
    let base = 200;
    let max = 5;
    let cap = 60_000;
    let jitter = false;
    for (const part of t
      .replace(/^exp:?/, '')
      .split(',')
      .filter((p) => p.trim() !== '')) {
      const [k, v] = part.split('=').map((s) => s.trim());
      if (k === 'jitter' && (v === undefined || v === 'true')) jitter = true;
      else if (k === 'base' && v !== undefined && parseDuration(v) !== undefined) base = parseDuration(v)!;
      else if (k === 'cap' && v !== undefined && parseDuration(v) !== undefined) cap = parseDuration(v)!;
      else if (k === 'max' && v !== undefined && /^\d+$/.test(v)) max = Number(v);
      else throw bad(`"${part}" is not base=DURATION, max=N, cap=DURATION or jitter`);
    }
    return {
      name: t,
      retryable: retryableBeyond,
      delayMs: (n, random) => {
        if (n > max) return undefined;
        const d = Math.min(cap, base * 2 ** (n - 1));
        return jitter ? d / 2 + random() * (d / 2) : d;
      },
    };
  }
  const delays = t.split(',').map((p) => parseDuration(p.trim()));
  if (delays.length === 0 || delays.some((d) => d === undefined)) throw bad('not a list of durations');
  return {
    name: t,
    retryable: retryableBeyond,
    delayMs: (n) => delays[n - 1],
  };
}
