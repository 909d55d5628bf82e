/**
 * The progress bar of long generations, on stderr and only when it is a terminal: virtual time reached, events,
 * events per second and the ETA (from the share of the virtual window done).
 */
import cliProgress from 'cli-progress';
import { formatSpan, type RunSummary } from './summary.js';

export interface Progress {
  /** Redraws (throttled by cli-progress). */
  update(summary: RunSummary, virtualNow: number): void;
  stop(): void;
}

/**
 * A bar over the virtual window [start, end]; a no-op when `tty` is false.
 *
 * @param stream where to draw (stderr)
 */
export function startProgress(
  tty: boolean,
  start: number,
  end: number,
  stream: NodeJS.WritableStream = process.stderr,
): Progress {
  if (!tty || !(end > start)) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        ' {bar} {percentage}% | virtual {virtual} | {events} events | {rate} ev/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const total = end - start;
  bar.start(total, 0, { virtual: formatSpan(0), events: 0, rate: 0 });
  return {
    update(summary, virtualNow) {
      const done = Math.min(total, Math.max(0, virtualNow - start));
      const rate = summary.wallMs > 0 ? Math.round((summary.events * 1000) / summary.wallMs) : 0;
      bar.update(done, { virtual: formatSpan(done), events: summary.events, rate });
    },
    stop() {
      bar.stop();
    },
  };
}
