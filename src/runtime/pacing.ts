/**
 * The pacing driver: maps the engine's virtual time onto the wall clock. `--speed realtime` plays a scenario at the
 * pace it describes, `--speed 60` sixty times faster, `--speed max` as fast as the sinks accept it.
 *
 * One timer per due batch (never a polling loop), lateness of every batch measured against its due wall time, and a
 * small control surface (start, pause, resume, setSpeed, stepOne, stop) shared by `ovsim run` and the web page.
 */
import * as hdr from 'hdr-histogram-js';
import type { Batch, Engine } from '../engine/engine.js';
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

/** Where batches come from: the engine (live, so actions can be injected) or any iterator of batches. */
export interface BatchSource {
  /** Virtual time (ms since the epoch) of the next batch; `undefined` when nothing is left. */
  peekAt(): number | undefined;
  /** Produces the next batch (its events may be empty: a cancelled timer); `undefined` when nothing is left. */
  take(): Batch | undefined;
  /**
   * Whether a batch has something to send (default: an OpenVidu 2 event). A LiveKit-based server's batches may
   * carry facts only (a participant becoming ACTIVE), which its renderers turn into events.
   */
  hasOutput?(batch: Batch): boolean;
}

/** The engine as a source: `take` runs its next queued action or timer. */
export function engineSource(engine: Engine): BatchSource {
  return {
    peekAt: () => engine.nextAt(),
    take: () => engine.runNext(),
    hasOutput: (b) => engine.hasOutput(b),
  };
}

/** Any iterator of batches (e.g. `simulateScenario(...)`) as a source; it is read one batch ahead. */
export function iteratorSource(it: Iterator<Batch, unknown>): BatchSource {
  let ahead: Batch | undefined;
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
  };
}

/** What the pacer tells `onBatch` about the timing of a batch. */
export interface BatchTiming {
  /** Wall time (performance.now() ms) the batch was due; equal to `ranAt` in max mode. */
  readonly dueWall: number;
  /** Wall time it actually ran. */
  readonly ranAt: number;
  /** `ranAt - dueWall`, ≥ 0 (ms). */
  readonly lateMs: number;
}

export interface PacerOptions {
  readonly source: BatchSource;
  /** Initial speed; default `max`. */
  readonly speed?: Speed;
  /**
   * Called for each batch with events, in order. A returned promise is awaited before the next batch (back-pressure:
   * the sinks set the pace when they cannot keep up, and the lateness then says so).
   */
  readonly onBatch: (batch: Batch, timing: BatchTiming) => void | Promise<void>;
  /** Virtual instant mapped to the wall time of `start()`; default the first batch's time. */
  readonly origin?: number;
  /** In max mode, batches run back to back before yielding to the event loop (so sockets progress); default 64. */
  readonly maxBurst?: number;
  /** Wall clock in ms; default `performance.now`. Injectable for tests. */
  readonly wallClock?: () => number;
}

export type PacerState = 'idle' | 'running' | 'paused' | 'stopped' | 'done';

/**
 * Drives a BatchSource on the wall clock. Lateness of every batch is kept in an HDR histogram (µs).
 *
 * `start()` returns a promise that settles when the source is exhausted (`done`) or `stop()` is called, and rejects
 * if the source throws (e.g. a scenario step OpenVidu would refuse).
 */
export class Pacer {
  private readonly source: BatchSource;
  private readonly onBatch: PacerOptions['onBatch'];
  private readonly maxBurst: number;
  private readonly wall: () => number;
  private speed: Speed;
  private stateValue: PacerState = 'idle';
  private anchorWall = 0;
  private anchorVirtual: number | undefined;
  private pausedVirtual: number | undefined;
  private lastVirtual: number | undefined;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running = false;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  private finished: Promise<void> | undefined;
  /** Lateness of batches behind their due time, in µs (max mode records 0). */
  readonly lateness = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  /** Batches with events handed to `onBatch`. */
  batches = 0;

  constructor(options: PacerOptions) {
    this.source = options.source;
    this.onBatch = options.onBatch;
    this.speed = options.speed ?? 'max';
    this.maxBurst = options.maxBurst ?? 64;
    this.wall = options.wallClock ?? (() => performance.now());
    this.anchorVirtual = options.origin;
  }

  get state(): PacerState {
    return this.stateValue;
  }

  get currentSpeed(): Speed {
    return this.speed;
  }

  /** The virtual time the wall clock stands at now (in max mode and when paused: the last batch's time). */
  virtualNow(): number | undefined {
    if (this.stateValue === 'paused') return this.pausedVirtual;
    if (this.speed === 'max' || this.stateValue !== 'running' || this.anchorVirtual === undefined) {
      return this.lastVirtual ?? this.anchorVirtual;
    }
    return this.anchorVirtual + (this.wall() - this.anchorWall) * this.speed;
  }

  /** Starts driving; the promise settles when the source is exhausted or `stop()` is called. */
  start(): Promise<void> {
    if (this.finished) return this.finished;
    this.finished = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.anchorVirtual ??= this.source.peekAt();
    this.anchorWall = this.wall();
    this.stateValue = 'running';
    this.arm();
    return this.finished;
  }

  /** Stops the timer; virtual time stands still until `resume()` or `stepOne()`. */
  pause(): void {
    if (this.stateValue !== 'running') return;
    this.pausedVirtual = this.virtualNow();
    this.stateValue = 'paused';
    this.disarm();
  }

  /** Continues from where `pause()` stopped virtual time (the pause itself is not made up for). */
  resume(): void {
    if (this.stateValue !== 'paused') return;
    this.anchorVirtual = this.pausedVirtual ?? this.lastVirtual ?? this.anchorVirtual;
    this.anchorWall = this.wall();
    this.stateValue = 'running';
    this.arm();
  }

  /** Changes the speed from now on; the virtual time reached so far is kept. */
  setSpeed(speed: Speed): void {
    const v = this.virtualNow();
    this.speed = speed;
    if (this.stateValue !== 'running') return;
    this.anchorVirtual = v ?? this.anchorVirtual;
    this.anchorWall = this.wall();
    this.disarm();
    this.arm();
  }

  /**
   * While paused (or before start): runs the next batch at once, moving virtual time to it; returns it, or
   * `undefined` when nothing is left.
   */
  async stepOne(): Promise<Batch | undefined> {
    if (this.stateValue === 'running' || this.stateValue === 'stopped' || this.stateValue === 'done')
      return undefined;
    const batch = this.source.take();
    if (!batch) return undefined;
    this.lastVirtual = batch.at;
    this.pausedVirtual = batch.at;
    if (this.hasOutput(batch)) {
      this.batches++;
      const now = this.wall();
      await this.onBatch(batch, { dueWall: now, ranAt: now, lateMs: 0 });
    }
    return batch;
  }

  private hasOutput(batch: Batch): boolean {
    return this.source.hasOutput?.(batch) ?? batch.events.length > 0;
  }

  /** Stops for good: no further batch runs; the promise of `start()` resolves. */
  stop(): void {
    if (this.stateValue === 'stopped' || this.stateValue === 'done') return;
    this.disarm();
    this.stateValue = 'stopped';
    this.settle?.resolve();
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  /** Wall time (ms) at which virtual instant `at` is due. */
  private dueWall(at: number): number {
    if (this.speed === 'max' || this.anchorVirtual === undefined) return this.wall();
    return this.anchorWall + (at - this.anchorVirtual) / this.speed;
  }

  /** Sets one timer for the next due batch (or an immediate in max mode). */
  private arm(): void {
    if (this.stateValue !== 'running' || this.running || this.timer !== undefined) return;
    let at: number | undefined;
    try {
      at = this.source.peekAt();
    } catch (e) {
      return this.fail(e);
    }
    if (at === undefined) return this.finish();
    if (this.speed === 'max') {
      this.timer = setImmediate(() => this.fire());
      return;
    }
    const delay = this.dueWall(at) - this.wall();
    // Node fires at once any delay above 2^31−1 ms (~24.8 days): wait in steps for long virtual gaps.
    this.timer =
      delay <= 0
        ? setImmediate(() => this.fire())
        : setTimeout(() => this.fire(), Math.min(delay, 2_147_483_647));
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stateValue !== 'running') return;
    this.running = true;
    this.runDue().then(
      () => {
        this.running = false;
        this.arm();
      },
      (e: unknown) => {
        this.running = false;
        this.fail(e);
      },
    );
  }

  /** Runs every batch that is due now (max mode: up to `maxBurst`), awaiting the sinks when they ask to. */
  private async runDue(): Promise<void> {
    for (let n = 0; n < this.maxBurst && this.stateValue === 'running'; n++) {
      const at = this.source.peekAt();
      if (at === undefined) return;
      const due = this.dueWall(at);
      const now = this.wall();
      // setTimeout may fire up to ~1 ms early: wait for the remainder rather than run early.
      if (due - now > 0.5) return;
      const batch = this.source.take();
      if (!batch) return;
      this.lastVirtual = batch.at;
      if (!this.hasOutput(batch)) continue;
      const lateMs = Math.max(0, now - due);
      this.lateness.recordValue(Math.round(lateMs * 1000));
      this.batches++;
      const pending = this.onBatch(batch, { dueWall: due, ranAt: now, lateMs });
      if (pending) await pending;
    }
  }

  private finish(): void {
    this.stateValue = 'done';
    this.settle?.resolve();
  }

  private fail(e: unknown): void {
    this.disarm();
    this.stateValue = 'stopped';
    this.settle?.reject(e);
  }
}
