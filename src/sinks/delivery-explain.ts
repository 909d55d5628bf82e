/**
 * Why events were not delivered, in the user's terms: one hint per failure class of a delivery report, e.g.
 * `status 204 ×14: your endpoint answered 204; OpenVidu 2 counts only 200 as delivered`. Printed by `run` and `load`
 * under their summaries, so a failing run says what to fix.
 */
import type { DeliveryReport } from './delivery-stats.js';

export interface ExplainContext {
  readonly endpoint: string;
  /** The success rule in force: OpenVidu's (200 only) or load mode's `--accept 2xx`. */
  readonly accept: '200' | '2xx';
  /** `--timeout` as the user wrote it, e.g. `10s`. */
  readonly timeout: string;
  /** Whether `--accept` can be changed (load delivery) — then the hint mentions it. */
  readonly canAccept2xx: boolean;
}

/** The hint for one failure class (`status 500`, `refused`, …). */
export function explainClass(cls: string, c: ExplainContext): string {
  const status = /^status (\d+)$/.exec(cls);
  if (status) {
    const code = Number(status[1]);
    if (code >= 200 && code < 300 && c.accept === '200') {
      return (
        `your endpoint answered ${code}; OpenVidu 2 counts only 200 as delivered` +
        (c.canAccept2xx ? ' (--accept 2xx widens it)' : '')
      );
    }
    if (code === 401 || code === 403) {
      return `your endpoint answered ${code}: does it expect a header (--webhook-header "Authorization: …")?`;
    }
    if (code === 404 || code === 405)
      return `your endpoint answered ${code}: is the path of ${c.endpoint} right?`;
    if (code >= 500) return `your endpoint answered ${code} (a server error on its side)`;
    return `your endpoint answered ${code}`;
  }
  switch (cls) {
    case 'refused':
      return `${c.endpoint} refused the connection: is your endpoint running?`;
    case 'timeout':
      return `no answer within --timeout ${c.timeout}`;
    case 'reset':
      return 'the connection was closed before an answer came';
    case 'aborted':
      return 'given up in flight when the run stopped (--drain-timeout)';
    default:
      return 'a network error (see the dead-letter file for each message)';
  }
}

/** One line per failure class, most frequent first, then the events never sent. Empty when all were delivered. */
export function explainUndelivered(r: DeliveryReport, c: ExplainContext): string[] {
  const lines = Object.entries(r.failed)
    .sort((a, b) => b[1] - a[1])
    .map(([cls, n]) => `${cls} ×${n}: ${explainClass(cls, c)}`);
  if (r.unsent > 0) lines.push(`unsent ×${r.unsent}: never sent, the run stopped before their turn`);
  return lines;
}

/**
 * The warning printed the first time an attempt fails with a class worth knowing at once (the run may take long):
 * a refused connection, or an answer OpenVidu would not count. Undefined for the others.
 */
export function earlyWarning(cls: string, c: ExplainContext): string | undefined {
  if (cls === 'refused') return `warning: ${c.endpoint} refused the connection: is your endpoint running?`;
  if (/^status (2\d\d)$/.test(cls) && c.accept === '200') return `warning: ${explainClass(cls, c)}`;
  return undefined;
}
