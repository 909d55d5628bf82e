/**
 * What happened to the events handed to a WebHook sender: counted, never silently lost. Shared by the OpenVidu
 * sender and load mode, printed by `ovsim run`/`ovsim load` and written to `--report`.
 */
import * as hdr from 'hdr-histogram-js';

/** Latency percentiles in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** A JSON-ready view of DeliveryStats. */
export interface DeliveryReport {
  /** Events handed to the sender. */
  readonly events: number;
  /** Skipped by OPENVIDU_WEBHOOK_EVENTS (not failures: OpenVidu sends nothing for them). */
  readonly filtered: number;
  /** Events whose first request went out. */
  readonly sent: number;
  /** Events answered 200 (load mode: the accepted statuses). */
  readonly delivered: number;
  /** Events finally not delivered, by the class of their last attempt (`status 500`, `timeout`, `refused`, …). */
  readonly failed: Readonly<Record<string, number>>;
  readonly failedTotal: number;
  /** Events never sent (shut down before their turn). */
  readonly unsent: number;
  /** Requests made, first attempts and retries. */
  readonly attempts: number;
  /** Events that needed more than one attempt. */
  readonly retried: number;
  /** Failed attempts by class (what OpenVidu logs as errors). */
  readonly failedAttempts: Readonly<Record<string, number>>;
  /** Latency of delivered events, from their intended send time to the answer. */
  readonly latencyMs: LatencySummary;
}

export class DeliveryStats {
  events = 0;
  filtered = 0;
  sent = 0;
  delivered = 0;
  unsent = 0;
  attempts = 0;
  retried = 0;
  readonly failed = new Map<string, number>();
  readonly failedAttempts = new Map<string, number>();
  /** µs, 1 µs to 1 h, 3 significant digits. */
  readonly latency = buildLatencyHistogram();
  /** The latency since the last `takeInterval()`, once `trackIntervals()` turned it on (a time series). */
  private interval: hdr.Histogram | undefined;

  get failedTotal(): number {
    let n = 0;
    for (const v of this.failed.values()) n += v;
    return n;
  }

  /** Events whose fate is still open (queued or in flight). */
  get pending(): number {
    return this.events - this.filtered - this.delivered - this.failedTotal - this.unsent;
  }

  countFailure(cls: string): void {
    this.failed.set(cls, (this.failed.get(cls) ?? 0) + 1);
  }

  countFailedAttempt(cls: string): void {
    this.failedAttempts.set(cls, (this.failedAttempts.get(cls) ?? 0) + 1);
  }

  recordLatency(ms: number): void {
    const us = Math.max(1, Math.round(ms * 1000));
    this.latency.recordValue(us);
    this.interval?.recordValue(us);
  }

  /** Keeps a second histogram of the latency since the last `takeInterval()` (per-second figures). */
  trackIntervals(): void {
    this.interval ??= buildLatencyHistogram();
  }

  /** The latency recorded since the previous call, and a fresh start. */
  takeInterval(): LatencySummary {
    const h = this.interval;
    if (h === undefined) return summarize(buildLatencyHistogram());
    const s = summarize(h);
    h.reset();
    return s;
  }

  report(): DeliveryReport {
    return {
      events: this.events,
      filtered: this.filtered,
      sent: this.sent,
      delivered: this.delivered,
      failed: Object.fromEntries(this.failed),
      failedTotal: this.failedTotal,
      unsent: this.unsent,
      attempts: this.attempts,
      retried: this.retried,
      failedAttempts: Object.fromEntries(this.failedAttempts),
      latencyMs: summarize(this.latency),
    };
  }
}

function buildLatencyHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** Percentiles in ms of a µs histogram. */
function summarize(h: hdr.Histogram): LatencySummary {
  // HDR percentiles are bucket bounds and may exceed the true maximum by the precision: clamp them to it.
  const ms = (us: number) => Math.round(Math.min(us, h.maxValue)) / 1000;
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: h.totalCount === 0 ? 0 : ms(h.mean),
  };
}

/** `sent 40, delivered 38, failed 2 (status 500 ×1, reset ×1), unsent 0, attempts 45, retried 1` */
export function formatDelivery(r: DeliveryReport): string {
  const failed = Object.entries(r.failed)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  return (
    `sent ${r.sent}, delivered ${r.delivered}, failed ${r.failedTotal}${failed ? ` (${failed})` : ''}, ` +
    `unsent ${r.unsent}, filtered ${r.filtered}, attempts ${r.attempts}, retried ${r.retried}`
  );
}
