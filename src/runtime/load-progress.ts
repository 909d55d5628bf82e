/**
 * Load mode's live line on stderr (a terminal only), drawn by cli-progress as `generate`'s bar is: elapsed time,
 * events sent, delivered and failed, the delivered rate, the p99 latency and the backlog — with a bar over the plan's
 * length when it has one (`--duration`, `--stages`), none when the test ends with its replicas.
 */
import cliProgress from 'cli-progress';
import type { DeliveryStats } from '../sinks/delivery-stats.js';

export interface LoadProgress {
  stop(): void;
}

const FIGURES =
  '{elapsed}s | sent {sent} | delivered {delivered} | failed {failed} | {rate}/s | p99 {p99} ms | backlog {backlog}';

/**
 * @param planMs the plan's length (the bar's 100 %), undefined without one
 * @param stream where to draw (stderr)
 */
export function startLoadProgress(
  tty: boolean,
  stats: DeliveryStats,
  backlog: () => number,
  startedAt: number,
  planMs: number | undefined,
  stream: NodeJS.WritableStream = process.stderr,
): LoadProgress {
  if (!tty) return { stop: () => undefined };
  const withBar = planMs !== undefined && Number.isFinite(planMs) && planMs > 0;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: withBar ? ` {bar} {percentage}% | ${FIGURES}` : ` ${FIGURES}`,
      hideCursor: true,
      fps: 4,
      // The figures change even when the bar does not: redraw on every update.
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = () => {
    const secs = (performance.now() - startedAt) / 1000;
    return {
      elapsed: secs.toFixed(1),
      sent: stats.sent,
      delivered: stats.delivered,
      failed: stats.failedTotal,
      rate: (stats.delivered / Math.max(secs, 0.001)).toFixed(0),
      p99: (stats.latency.getValueAtPercentile(99) / 1000).toFixed(1),
      backlog: backlog(),
    };
  };
  const total = withBar ? planMs : 1;
  const value = () => (withBar ? Math.min(total, performance.now() - startedAt) : 0);
  bar.start(total, 0, payload());
  const timer = setInterval(() => bar.update(value(), payload()), 250);
  return {
    stop() {
      clearInterval(timer);
      bar.update(value(), payload());
      bar.stop();
    },
  };
}
