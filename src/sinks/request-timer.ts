/**
 * The request timeout of every WebHook transport (`--timeout`): OpenVidu's HttpClient connect timeout, then its read
 * (socket idle) timeout, on Node's millisecond timers — so 300 ms means 300 ms, not whenever a coarse clock next ticks
 * (undici's own headers and body timeouts run on a timer wheel with about a second of resolution).
 *
 * A request's timer is a deadline (a number) checked by its transport's {@link DeadlineSweeper}: one Node timer armed
 * for the earliest deadline, which checks them all when it fires. Starting a request costs a clock read and a
 * comparison — no timer armed or moved per request (a `refresh()` per request and phase measured about 1 µs of CPU
 * per request in load mode).
 */

/** The error a transport reports when a request ran out of time (classified as `timeout`). */
export function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no answer within ${ms} ms`), { code: 'OVSIM_TIMEOUT' });
}

/** Checks the deadlines of its timers with one Node timer, armed for the earliest. */
export class DeadlineSweeper {
  private readonly timers = new Set<RequestTimer>();
  private timer: NodeJS.Timeout | undefined;
  /** When the Node timer fires (performance.now ms); Infinity when it is not armed. */
  private armedFor = Infinity;

  add(t: RequestTimer): void {
    this.timers.add(t);
  }

  delete(t: RequestTimer): void {
    this.timers.delete(t);
    if (this.timers.size === 0) this.disarm();
  }

  /** Makes sure the sweep runs by `deadline` (performance.now ms). */
  schedule(deadline: number): void {
    if (deadline >= this.armedFor) return;
    this.disarm();
    this.armedFor = deadline;
    // Node's timers have millisecond resolution and may fire up to a millisecond early: the sweep re-arms if so.
    this.timer = setTimeout(this.sweep, Math.max(1, Math.ceil(deadline - performance.now())));
    // A pending request keeps the process alive through its socket; the timer alone must not.
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const t of this.timers) next = Math.min(next, t.check(now));
    if (next < Infinity) this.schedule(next);
  };
}

export class RequestTimer {
  /** performance.now ms by which the request must progress; Infinity when no request runs. */
  private deadline = Infinity;
  private progressed = false;

  /** @param expire called once when a window passes without progress (the transport aborts the request) */
  constructor(
    readonly ms: number,
    private readonly sweeper: DeadlineSweeper,
    private readonly expire: () => void,
  ) {
    sweeper.add(this);
  }

  /** Opens a full window: when the request starts, and when it enters its next phase (connected, written). */
  start(): void {
    this.progressed = false;
    this.deadline = performance.now() + this.ms;
    this.sweeper.schedule(this.deadline);
  }

  /**
   * The answer progressed (headers, a body chunk): the window is renewed when it would have expired. A request with no
   * answer at all times out after exactly one window.
   */
  progress(): void {
    this.progressed = true;
  }

  /** The request ended: its deadline no longer counts. */
  stop(): void {
    this.deadline = Infinity;
  }

  /** Leaves the sweeper (the transport is being destroyed, or the request was a one-off). */
  dispose(): void {
    this.deadline = Infinity;
    this.sweeper.delete(this);
  }

  /** Called by the sweeper: expires the request if its window has passed; returns its next deadline. */
  check(now: number): number {
    // A timer with no request has an Infinite deadline: it never gets past this line.
    if (now < this.deadline) return this.deadline;
    if (this.progressed) {
      this.progressed = false;
      this.deadline = now + this.ms;
      return this.deadline;
    }
    this.deadline = Infinity;
    this.expire();
    return Infinity;
  }
}
