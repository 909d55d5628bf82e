/**
 * The end of a load test in words and figures: the verdict (thresholds, a test that delivered nothing, a failed sink,
 * an interruption), the report printed on stdout and the JSON written by `--report`.
 */
import { formatUrlReport } from '../sinks/livekit-notifier.js';
import { explainUndelivered, type ExplainContext } from '../sinks/delivery-explain.js';
import { formatDelivery } from '../sinks/delivery-stats.js';
import type { LoadResult } from './load.js';

export interface LoadThresholds {
  /** Undelivered/sent above which the test fails (`--max-failure-rate`). */
  readonly maxFailureRate?: number | undefined;
  /** p99 latency in ms above which the test fails (`--max-p99`). */
  readonly maxP99Ms?: number | undefined;
}

export interface LoadVerdict {
  readonly failureRate: number;
  /** Thresholds exceeded, in words (`failure rate 12.00% > 1.00%`). */
  readonly breaches: readonly string[];
  /** Why events were not delivered, one line per class. */
  readonly hints: readonly string[];
  /** Why the test failed beyond its thresholds: nothing delivered, a sink failure. */
  readonly failures: readonly string[];
  /** 0 passed, 1 failed, 130 interrupted. */
  readonly exitCode: number;
}

/**
 * Events not delivered and those meant to be: per request without chaos; per event with it (an event counts as
 * delivered when any of its copies was accepted, and an event the plan dropped was not meant to arrive).
 */
function deliveryOf(r: LoadResult): { lost: number; meant: number; delivered: number } {
  const c = r.chaos;
  if (c) return { lost: c.undelivered, meant: c.events - c.dropped, delivered: c.delivered };
  const d = r.delivery;
  // Every event handed over and not filtered was meant to arrive, including those LiveKit dropped before sending.
  return { lost: d.failedTotal + d.unsent, meant: d.events - d.filtered, delivered: d.delivered };
}

/** Undelivered events (failed or never sent) over the events meant to go out. */
export function failureRateOf(r: LoadResult): number {
  const { lost, meant } = deliveryOf(r);
  return lost / Math.max(1, meant);
}

/**
 * Exit 1 for a failed sink or a test that ran its course and delivered nothing at all (it measured no consumer); else
 * 130 when a signal stopped it; else 1 for a threshold over its limit; else 0.
 */
export function judgeLoad(
  r: LoadResult,
  t: LoadThresholds,
  ctx: ExplainContext,
  interrupted: boolean,
): LoadVerdict {
  const failureRate = failureRateOf(r);
  const breaches: string[] = [];
  if (t.maxFailureRate !== undefined && failureRate > t.maxFailureRate) {
    breaches.push(
      `failure rate ${(failureRate * 100).toFixed(2)}% > ${(t.maxFailureRate * 100).toFixed(2)}%`,
    );
  }
  if (t.maxP99Ms !== undefined && r.delivery.latencyMs.p99 > t.maxP99Ms) {
    breaches.push(`p99 latency ${r.delivery.latencyMs.p99} ms > ${t.maxP99Ms} ms`);
  }
  const failures: string[] = [];
  if (r.failure !== undefined) failures.push(r.failure);
  const hints = explainUndelivered(r.delivery, ctx);
  const { meant, delivered } = deliveryOf(r);
  if (meant > 0 && delivered === 0) {
    // A test stopped by a signal says so with its 130; one that ran its course and delivered nothing failed.
    if (interrupted) hints.push(`no event was delivered (0 of ${meant})`);
    else failures.push(`no event was delivered (0 of ${meant})`);
  }
  const exitCode = failures.length > 0 ? 1 : interrupted ? 130 : breaches.length > 0 ? 1 : 0;
  return { failureRate, breaches, hints, failures, exitCode };
}

/** The final report (stdout). */
export function formatLoadReport(r: LoadResult, v: LoadVerdict): string {
  const l = r.delivery.latencyMs;
  const lines = [
    `end: ${r.end} after ${(r.wallMs / 1000).toFixed(2)} s`,
    `delivery: ${formatDelivery(r.delivery)}`,
    `rate: ${r.sentPerSecond.toFixed(1)} sent/s, ${r.deliveredPerSecond.toFixed(1)} delivered/s` +
      (r.targetEventsPerSecond !== undefined ? ` (target ${r.targetEventsPerSecond.toFixed(1)}/s)` : ''),
    `latency ms (from intended send time): p50 ${l.p50}, p90 ${l.p90}, p99 ${l.p99}, p99.9 ${l.p999}, max ${l.max}`,
    `failure rate: ${(v.failureRate * 100).toFixed(2)}%` +
      (r.deadLetterPath ? `; undelivered events in ${r.deadLetterPath}` : ''),
  ];
  for (const h of v.hints) lines.push(`  ${h}`);
  if (r.perUrl && r.perUrl.length > 1) for (const u of r.perUrl) lines.push(`  ${formatUrlReport(u)}`);
  if (r.deadLetterLost > 0) lines.push(`dead letters not written (the file failed): ${r.deadLetterLost}`);
  const neverJoined = r.sessions.created - r.sessions.destroyed - r.sessions.leftOpen;
  lines.push(
    `sessions: ${r.sessions.created} created, ${r.sessions.destroyed} destroyed` +
      (r.sessions.leftOpen > 0 ? `, ${r.sessions.leftOpen} left open` : '') +
      (neverJoined > 0 && r.serverStopEvents > 0
        ? `, ${neverJoined} never joined (created by the REST API; OpenVidu's stop closes active sessions only, so` +
          ' they get no sessionDestroyed, as on a real server)'
        : ''),
  );
  const g = r.gracefulStop;
  if (g) {
    lines.push(
      `graceful stop: ${g.openAtPlanEnd} session(s) open when the plan ended; within ${g.graceMs / 1000} s the live` +
        ` copies started ${g.started} more and ended ${g.finished} session(s) on their own (${g.events} events), then` +
        ` ${g.stopped} were closed with openviduServerStopped`,
    );
  }
  if (r.end === 'shutdown')
    lines.push(
      `shutdown: ${r.serverStopEvents} event(s) submitted by stopping every replica's server (live sessions closed with openviduServerStopped)`,
    );
  if (v.breaches.length > 0) lines.push(`FAILED thresholds: ${v.breaches.join('; ')}`);
  for (const f of v.failures) lines.push(`FAILED: ${f}`);
  return lines.join('\n') + '\n';
}
