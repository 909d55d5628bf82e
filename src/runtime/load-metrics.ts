/**
 * `--metrics FILE`: a load test's time series, one JSON line per second, so long tests can be plotted rather than
 * only summarised. Each line holds the second's own figures (what was sent, settled and how fast) and the running
 * totals:
 *
 *     {"t":3,"time":"2024-05-10T14:23:14.000Z","sent":500,"delivered":497,"failed":2,"unsent":0,"attempts":503,
 *      "backlog":41,"latencyMs":{"count":497,"p50":1.9,"p90":3.1,"p99":8.2,"p999":9.7,"max":9.8,"mean":2.2},
 *      "total":{"sent":1500,"delivered":1490,"failed":5,"unsent":0}}
 *
 * `t` is the end of the second, in seconds since the test started; the last line covers the final part-second (`t`
 * then has a fraction). Written synchronously, one line per second; a write that fails ends the test like any other
 * sink failure (the file is named).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OvsimError } from '../errors.js';
import type { DeliveryStats } from '../sinks/delivery-stats.js';
import { makeDirsSync } from '../sinks/make-dirs.js';

interface Totals {
  sent: number;
  delivered: number;
  failed: number;
  unsent: number;
  attempts: number;
}

export class LoadMetrics {
  private fd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: Totals = { sent: 0, delivered: 0, failed: 0, unsent: 0, attempts: 0 };
  private startedAt = 0;
  private stats: DeliveryStats | undefined;
  private backlog: () => number = () => 0;
  /** Lines written. */
  lines = 0;
  /** Told once when a write fails (the test then stops). */
  onFailure: ((failure: OvsimError) => void) | undefined;

  /** @throws OvsimError BAD_INPUT naming `--metrics` when the file cannot be created */
  constructor(readonly path: string) {
    try {
      makeDirsSync(dirname(path));
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new OvsimError('BAD_INPUT', `--metrics ${path}: cannot be written (${(e as Error).message})`);
    }
  }

  /** Starts sampling `stats` every second from `startedAt` (performance.now ms). */
  start(stats: DeliveryStats, backlog: () => number, startedAt: number): void {
    this.stats = stats;
    this.backlog = backlog;
    this.startedAt = startedAt;
    stats.trackIntervals();
    const tick = () => {
      this.sample();
      // Aligned on the test's own seconds, whatever the lateness of this timer.
      const next = 1000 - ((performance.now() - this.startedAt) % 1000);
      if (this.fd !== undefined) this.timer = setTimeout(tick, next);
    };
    this.timer = setTimeout(tick, 1000);
  }

  /** Writes the last part-second and closes the file. Idempotent. */
  stop(): void {
    clearTimeout(this.timer);
    if (this.fd === undefined) return;
    const s = this.stats;
    if (s && (this.lines === 0 || s.attempts + s.unsent > this.last.attempts + this.last.unsent))
      this.sample();
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Every line was written synchronously; a failing close loses nothing of them.
    }
  }

  private sample(): void {
    const s = this.stats;
    if (s === undefined || this.fd === undefined) return;
    const now: Totals = {
      sent: s.sent,
      delivered: s.delivered,
      failed: s.failedTotal,
      unsent: s.unsent,
      attempts: s.attempts,
    };
    const t = (performance.now() - this.startedAt) / 1000;
    const line = {
      t: Math.round(t * 1000) / 1000,
      time: new Date().toISOString(),
      sent: now.sent - this.last.sent,
      delivered: now.delivered - this.last.delivered,
      failed: now.failed - this.last.failed,
      unsent: now.unsent - this.last.unsent,
      attempts: now.attempts - this.last.attempts,
      backlog: this.backlog(),
      latencyMs: s.takeInterval(),
      total: { sent: now.sent, delivered: now.delivered, failed: now.failed, unsent: now.unsent },
    };
    this.last = now;
    this.write(JSON.stringify(line) + '\n');
  }

  private write(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    try {
      // Bounded: each round writes at least one byte or throws.
      while (off < buf.length) off += writeSync(this.fd!, buf, off, buf.length - off);
      this.lines++;
    } catch (e) {
      clearTimeout(this.timer);
      const fd = this.fd;
      this.fd = undefined;
      if (fd !== undefined) closeQuietly(fd);
      this.onFailure?.(
        new OvsimError(
          'IO',
          `--metrics ${this.path}: write failed after ${this.lines} line(s) (${(e as Error).message})`,
          {
            cause: e,
          },
        ),
      );
    }
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The write failure is what gets reported.
  }
}
