/**
 * The request timeout of every WebHook transport (`--timeout`): OpenVidu's HttpClient connect timeout, then its read
 * (socket idle) timeout, on Node's millisecond timers — so 300 ms means 300 ms, not whenever a coarse clock next ticks
 * (undici's own headers and body timeouts run on a timer wheel with about a second of resolution).
 *
 * One Node timer per timer object, created once and re-armed with `refresh()` for each request (no timer allocated
 * per request). It is never cleared between requests: a request that ended disarms it, and a disarmed timer that fires
 * does nothing.
 */

/** The error a transport reports when a request ran out of time (classified as `timeout`). */
export function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no answer within ${ms} ms`), { code: 'OVSIM_TIMEOUT' });
}

export class RequestTimer {
  private timer: NodeJS.Timeout | undefined;
  private armed = false;
  private progressed = false;

  /** @param expire called once when a window passes without progress (the transport aborts the request) */
  constructor(
    readonly ms: number,
    private readonly expire: () => void,
  ) {}

  /** Opens a full window: when the request starts, and when it enters its next phase (connected, written). */
  start(): void {
    this.armed = true;
    this.progressed = false;
    if (this.timer === undefined) {
      this.timer = setTimeout(this.fire, this.ms);
      // A pending request keeps the process alive through its socket; the timer alone must not.
      this.timer.unref();
    } else {
      this.timer.refresh();
    }
  }

  /**
   * The answer progressed (headers, a body chunk): the window is renewed when it would have expired, instead of a timer
   * refresh per chunk. A request with no answer at all times out after exactly one window.
   */
  progress(): void {
    this.progressed = true;
  }

  /** The request ended: a later firing is ignored. */
  stop(): void {
    this.armed = false;
  }

  /** Releases the timer (the transport is being destroyed, or the request was a one-off). */
  dispose(): void {
    this.armed = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly fire = (): void => {
    if (!this.armed) return;
    if (this.progressed) {
      this.progressed = false;
      this.timer?.refresh();
      return;
    }
    this.armed = false;
    this.expire();
  };
}
