/**
 * The pacer: the one driver that maps the engine's virtual time onto the wall clock, for `ovsim run`, `ovsim load` and
 * `ovsim serve`. `--speed realtime` plays a scenario at the pace it describes, `--speed 60` sixty times faster,
 * `--speed max` as fast as the sinks accept it; serve's page pauses, resumes, changes the speed, steps one cascade
 * and jumps virtual time forward when a live action ran.
 *
 * One timer for the next due batch (never a polling loop), lateness of every batch measured against its due wall
 * time, and a sink's promise awaited before the next batch (back-pressure). The wall clock and its timers are
 * injected (`WallClock`), so tests drive virtual time by hand.
 */
import * as hdr from 'hdr-histogram-js';
import type { Batch } from '../engine/engine.js';
import { OvsimError } from '../errors.js';

/** `max`, or a factor: virtual milliseconds per wall millisecond (1 = realtime). */
export type Speed = 'max' | number;

/**
 * Parses `--speed`: `realtime` (= 1), `max`, or a positive factor (`60`, `x60`, `60x`, `0.5`).
 * @throws OvsimError BAD_INPUT naming `--speed`
 */
export function parseSpeed(text: string, option = '--speed'): Speed {
  const t = text.trim().toLowerCase();
  if (t === 'max') return 'max';
  if (t === 'realtime' || t === 'real-time') return 1;
  const m = /^x?(\d+(?:\.\d+)?)x?$/.exec(t);
  const factor = m ? Number(m[1]) : NaN;
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new OvsimError(
      'BAD_INPUT',
      `${option} "${text}" must be realtime, max or a positive factor such as 60`,
    );
  }
  return factor;
}

/** What the pacer needs of a batch: when it is due, and whether it has anything to hand on. */
export interface PacedBatch {
  /** Virtual time (ms since the epoch) the batch is due. */
  readonly at: number;
  readonly events: readonly unknown[];
}

/** Where batches come from: the engine (live, so actions can be injected) or any iterator of batches. */
export interface BatchSource<B extends PacedBatch = Batch> {
  /** Virtual time (ms since the epoch) of the next batch; `undefined` when nothing is left. */
  peekAt(): number | undefined;
  /**
   * Produces the next batch (its events may be empty: a cancelled timer); `undefined` when nothing is left, even if
   * `peekAt` saw work (the engine's background sampling does not keep a finite run going).
   */
  take(): B | undefined;
  /**
   * Everything due by virtual instant `t` has run and the pacer's clock stands at `t`: a source with a clock of its
   * own (the engine) may move it there, so a live action lands at the current instant. Optional.
   */
  reach?(t: number): void;
  /**
   * Whether a batch has something to send (default: an OpenVidu 2 event). A LiveKit-based server's batches may
   * carry facts only (a participant becoming ACTIVE), which its renderers turn into events.
   */
  hasOutput?(batch: B): boolean;
}

/** The engine as a source: `take` runs its next queued action or timer. */
export function engineSource(engine: {
  nextRunAt(): number | undefined;
  runNext(): Batch | undefined;
  hasOutput(batch: Batch): boolean;
}): BatchSource {
  return {
    peekAt: () => engine.nextRunAt(),
    take: () => engine.runNext(),
    hasOutput: (b) => engine.hasOutput(b),
  };
}

/**
 * Any iterator of batches (e.g. `simulateScenario(...)`) as a source; it is read one batch ahead. `hasOutput`: which
 * batches the pacer hands on (default those with an OpenVidu 2 event).
 */
export function iteratorSource<B extends PacedBatch>(
  it: Iterator<B, unknown>,
  hasOutput?: (batch: B) => boolean,
): BatchSource<B> {
  let ahead: B | undefined;
  let done = false;
  const fill = () => {
    if (ahead || done) return;
    const r = it.next();
    if (r.done) done = true;
    else ahead = r.value;
  };
  return {
    peekAt() {
      fill();
      return ahead?.at;
    },
    take() {
      fill();
      const b = ahead;
      ahead = undefined;
      return b;
    },
    ...(hasOutput === undefined ? {} : { hasOutput }),
  };
}

/** The wall clock and its timers. */
export interface WallClock {
  /** Monotonic wall time, ms. */
  now(): number;
  /** Calls `fn` once, `ms` wall ms from now (at once, after pending I/O, when ≤ 0); returns what cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Node's longest timer: a longer delay would fire at once (so long virtual gaps are waited in steps). */
const LONGEST_TIMER_MS = 2_147_483_647;

/**
 * The process's clock: `performance.now` and Node's timers. With `keepAlive: false` a pending timer does not keep
 * the process alive (the server's sockets do that).
 */
export function systemClock(options: { keepAlive?: boolean } = {}): WallClock {
  const keepAlive = options.keepAlive ?? true;
  return {
    now: () => performance.now(),
    after(ms, fn) {
      if (ms <= 0) {
        const immediate = setImmediate(fn);
        if (!keepAlive) immediate.unref();
        return () => clearImmediate(immediate);
      }
      const timer = setTimeout(fn, Math.min(ms, LONGEST_TIMER_MS));
      if (!keepAlive) timer.unref();
      return () => clearTimeout(timer);
    },
  };
}

/** What the pacer tells `onBatch` about the timing of a batch. */
export interface BatchTiming {
  /** Wall time (the clock's ms) the batch was due; equal to `ranAt` in max mode and for a step. */
  readonly dueWall: number;
  /** Wall time it actually ran. */
  readonly ranAt: number;
  /** `ranAt - dueWall`, ≥ 0 (ms). */
  readonly lateMs: number;
}

export interface PacerOptions<B extends PacedBatch = Batch> {
  readonly source: BatchSource<B>;
  /** Initial speed; default `max`. */
  readonly speed?: Speed;
  /**
   * Called for each batch with events, in order. A returned promise is awaited before the next batch (back-pressure:
   * the sinks set the pace when they cannot keep up, and the lateness then says so).
   */
  readonly onBatch: (batch: B, timing: BatchTiming) => void | Promise<void>;
  /** Virtual instant mapped to the wall time of `start()`; default the first batch's time. */
  readonly origin?: number | undefined;
  /** Batches run back to back before yielding to the event loop (so sockets progress); default 64. */
  readonly maxBurst?: number;
  /**
   * Wait for more work when the source runs dry, virtual time flowing on (serve: a live action or a simulated client
   * may queue work at any time; call `wake()` then). Default false: the run is `done`.
   */
  readonly endless?: boolean;
  /** Default: the process's clock (`systemClock()`). */
  readonly clock?: WallClock;
}

export type PacerState = 'idle' | 'running' | 'paused' | 'stopped' | 'done';

/**
 * Drives a BatchSource on the wall clock. Lateness of every batch is kept in an HDR histogram (µs).
 *
 * `start()` returns a promise that settles when the source is exhausted (`done`) or `stop()` is called, and rejects
 * if the source throws (e.g. a scenario step OpenVidu would refuse).
 */
export class Pacer<B extends PacedBatch = Batch> {
  private readonly source: BatchSource<B>;
  private readonly onBatch: PacerOptions<B>['onBatch'];
  private readonly maxBurst: number;
  private readonly endless: boolean;
  private readonly clock: WallClock;
  private speed: Speed;
  private stateValue: PacerState = 'idle';
  /** While running at a factor: virtual time `anchorVirtual` was at wall time `anchorWall`. */
  private anchorWall = 0;
  private anchorVirtual: number | undefined;
  /**
   * Where virtual time stands when it does not flow (paused, stopped, at max speed, before start): the latest of the
   * last batch run and where a pause, a step or `advanceTo` left it.
   */
  private standing: number | undefined;
  private cancelTimer: (() => void) | undefined;
  /** A sink's promise being awaited: nothing runs until it settles. */
  private waiting = false;
  /** Endless: the source said nothing is left though `peekAt` saw work; nothing is armed until `wake()`. */
  private dried = false;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  private finished: Promise<void> | undefined;
  /** Lateness of batches behind their due time, in µs (max mode and steps record nothing). */
  readonly lateness = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  /** Batches with events handed to `onBatch`. */
  batches = 0;

  constructor(options: PacerOptions<B>) {
    this.source = options.source;
    this.onBatch = options.onBatch;
    this.speed = options.speed ?? 'max';
    this.maxBurst = options.maxBurst ?? 64;
    this.endless = options.endless ?? false;
    this.clock = options.clock ?? systemClock();
    this.anchorVirtual = options.origin;
    this.standing = options.origin;
  }

  get state(): PacerState {
    return this.stateValue;
  }

  get currentSpeed(): Speed {
    return this.speed;
  }

  /** Virtual time flows: started, not paused, stopped or done. */
  get running(): boolean {
    return this.stateValue === 'running';
  }

  /**
   * The virtual instant the wall clock stands at now, in whole ms (when virtual time does not flow: the last batch's
   * instant, or where a pause, a step or `advanceTo` left it).
   */
  virtualNow(): number | undefined {
    if (this.stateValue !== 'running' || this.speed === 'max' || this.anchorVirtual === undefined)
      return this.standing ?? this.anchorVirtual;
    return Math.floor(this.anchorVirtual + (this.clock.now() - this.anchorWall) * this.speed);
  }

  /** Starts driving; the promise settles when the source is exhausted or `stop()` is called. */
  start(): Promise<void> {
    if (this.finished) return this.finished;
    this.finished = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    try {
      this.anchorVirtual ??= this.source.peekAt();
    } catch (e) {
      this.fail(e);
      return this.finished;
    }
    this.standing ??= this.anchorVirtual;
    this.anchorWall = this.clock.now();
    this.stateValue = 'running';
    this.arm();
    return this.finished;
  }

  /** Stops the timer; virtual time stands still until `resume()` (a step moves it). */
  pause(): void {
    if (this.stateValue !== 'running') return;
    this.standing = this.virtualNow();
    this.stateValue = 'paused';
    this.disarm();
  }

  /** Continues from where virtual time stands (the pause itself is not made up for). */
  resume(): void {
    if (this.stateValue !== 'paused') return;
    this.stateValue = 'running';
    this.rebase(this.standing);
    this.rearm();
  }

  /** Changes the speed from now on; the virtual time reached so far is kept. */
  setSpeed(speed: Speed): void {
    const v = this.virtualNow();
    this.speed = speed;
    this.standing = v;
    if (this.stateValue !== 'running') return;
    this.rebase(v);
    this.rearm();
  }

  /**
   * Moves virtual time forward to `t` if it is behind (a live action's cascade took time, a step jumped); it never
   * goes back.
   */
  advanceTo(t: number): void {
    const v = this.virtualNow();
    if (v !== undefined && t <= v) return;
    this.standing = t;
    if (this.stateValue !== 'running') return;
    this.rebase(t);
    this.rearm();
  }

  /** New work was queued in the source (serve: a live action, a simulated client): look at it. */
  wake(): void {
    this.dried = false;
    if (this.stateValue === 'running') this.rearm();
  }

  /**
   * While paused (or before start): runs the next batch that has events at once, moving virtual time to it (batches
   * without events before it run too, `maxBurst` at most), and returns it; `undefined` when nothing is left. A sink's
   * promise is awaited before the pacer runs anything else.
   */
  stepOne(): B | undefined {
    if (this.stateValue !== 'paused' && this.stateValue !== 'idle') return undefined;
    for (let n = 0; n < this.maxBurst; n++) {
      const batch = this.source.take();
      if (!batch) return undefined;
      this.standing = Math.max(this.standing ?? batch.at, batch.at);
      if (!this.hasOutput(batch)) continue;
      this.batches++;
      const now = this.clock.now();
      this.hold(this.onBatch(batch, { dueWall: now, ranAt: now, lateMs: 0 }));
      return batch;
    }
    return undefined;
  }

  /**
   * Runs at once what is due by now (serve calls it before it answers, so a request sees the world as of the current
   * instant, and before a live action). Does nothing unless running, or while a sink's promise is awaited.
   * @throws what the source threw (the pacer is then stopped and `start()`'s promise rejected)
   */
  catchUp(): void {
    if (this.stateValue !== 'running' || this.waiting) return;
    this.dried = false;
    this.disarm();
    this.drive(true);
  }

  private hasOutput(batch: B): boolean {
    return this.source.hasOutput?.(batch) ?? batch.events.length > 0;
  }

  /** Stops for good: no further batch runs; the promise of `start()` resolves. */
  stop(): void {
    if (this.stateValue === 'stopped' || this.stateValue === 'done') return;
    this.disarm();
    this.stateValue = 'stopped';
    this.settle?.resolve();
  }

  private rebase(virtual: number | undefined): void {
    this.anchorVirtual = virtual ?? this.anchorVirtual;
    this.anchorWall = this.clock.now();
  }

  private rearm(): void {
    this.disarm();
    this.arm();
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** Wall time (ms) at which virtual instant `at` is due. */
  private dueWall(at: number): number {
    if (this.speed === 'max' || this.anchorVirtual === undefined) return this.clock.now();
    return this.anchorWall + (at - this.anchorVirtual) / this.speed;
  }

  /** Sets one timer for the next due batch (at once at max speed); finishes when the source is dry. */
  private arm(): void {
    if (this.stateValue !== 'running' || this.waiting || this.dried || this.cancelTimer !== undefined) return;
    let at: number | undefined;
    try {
      at = this.source.peekAt();
    } catch (e) {
      return this.fail(e);
    }
    if (at === undefined) {
      if (!this.endless) this.finish();
      return;
    }
    const delay = this.speed === 'max' ? 0 : this.dueWall(at) - this.clock.now();
    this.cancelTimer = this.clock.after(delay, () => {
      this.cancelTimer = undefined;
      this.drive(false);
    });
  }

  /**
   * Runs every batch due now (at most `maxBurst`, then yields), awaiting a sink's promise when one is returned, then
   * arms the timer for the next batch.
   */
  private drive(rethrow: boolean): void {
    if (this.stateValue !== 'running') return;
    let burstCut: boolean;
    try {
      burstCut = this.runDue();
    } catch (e) {
      this.fail(e);
      if (rethrow) throw e;
      return;
    }
    if (this.waiting) return;
    if (!burstCut) return this.arm();
    this.cancelTimer = this.clock.after(0, () => {
      this.cancelTimer = undefined;
      this.drive(false);
    });
  }

  /** The due batches, run synchronously while the sinks take them synchronously; true when cut by `maxBurst`. */
  private runDue(): boolean {
    for (let n = 0; n < this.maxBurst; n++) {
      if (this.stateValue !== 'running') return false;
      const at = this.source.peekAt();
      if (at === undefined) return this.reached();
      const now = this.clock.now();
      const due = this.dueWall(at);
      // A timer may fire up to ~1 ms early: wait for the remainder rather than run early.
      if (due - now > 0.5) return this.reached();
      const batch = this.source.take();
      if (!batch) return this.dry();
      this.standing = Math.max(this.standing ?? batch.at, batch.at);
      if (!this.hasOutput(batch)) continue;
      const lateMs = Math.max(0, now - due);
      this.lateness.recordValue(Math.round(lateMs * 1000));
      this.batches++;
      if (this.hold(this.onBatch(batch, { dueWall: due, ranAt: now, lateMs }))) return false;
    }
    return true;
  }

  /** Everything due has run: a source with a clock of its own may move it to the current instant. */
  private reached(): false {
    if (this.speed !== 'max') {
      const now = this.virtualNow();
      if (now !== undefined) this.source.reach?.(now);
    }
    return false;
  }

  /** The source said nothing is left though it had something due (only background work): it is dry. */
  private dry(): false {
    if (this.endless) this.dried = true;
    else this.finish();
    return false;
  }

  /** Awaits a sink's promise before anything else runs; true when there is one. */
  private hold(pending: void | Promise<void>): boolean {
    if (!pending) return false;
    this.waiting = true;
    pending.then(
      () => {
        this.waiting = false;
        this.drive(false);
      },
      (e: unknown) => {
        this.waiting = false;
        this.fail(e);
      },
    );
    return true;
  }

  private finish(): void {
    if (this.stateValue !== 'running') return;
    this.disarm();
    this.stateValue = 'done';
    this.settle?.resolve();
  }

  private fail(e: unknown): void {
    this.disarm();
    this.stateValue = 'stopped';
    this.settle?.reject(e);
  }
}
