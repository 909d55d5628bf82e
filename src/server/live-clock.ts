/**
 * The mapping between the wall clock and the simulation's virtual time for the live server: virtual time flows at
 * `speed` virtual ms per wall ms while running, and stands still while paused. Pure arithmetic over an injected wall
 * clock, so it is testable without timers; the timers that act on it live in `LiveSimulation`.
 *
 * (A minimal stand-in until the shared pacing driver `src/runtime/pacing.ts` exists.)
 */

/** Slowest and fastest speeds accepted, virtual ms per wall ms. */
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 10_000;

export type ClockStatus = 'running' | 'paused';

export interface ClockView {
  readonly status: ClockStatus;
  /** Virtual ms per wall ms (1 = real time). */
  readonly speed: number;
  /** Current virtual time, ms since the epoch. */
  readonly virtualNow: number;
}

export class LiveClock {
  private status: ClockStatus = 'paused';
  private speedValue = 1;
  /** Virtual time at `wallBase`. */
  private virtualBase: number;
  private wallBase: number;

  /**
   * @param start virtual instant the clock begins at, ms since the epoch
   * @param wallNow the wall clock in ms (monotonic is best); `performance.now` by default
   */
  constructor(
    start: number,
    private readonly wallNow: () => number = () => performance.now(),
  ) {
    this.virtualBase = start;
    this.wallBase = wallNow();
  }

  get speed(): number {
    return this.speedValue;
  }

  get running(): boolean {
    return this.status === 'running';
  }

  /** Current virtual time, ms since the epoch (whole ms: events carry integer timestamps). */
  now(): number {
    if (this.status === 'paused') return this.virtualBase;
    return Math.floor(this.virtualBase + (this.wallNow() - this.wallBase) * this.speedValue);
  }

  view(): ClockView {
    return { status: this.status, speed: this.speedValue, virtualNow: this.now() };
  }

  /** Starts (or resumes) the flow of virtual time from where it stands. */
  resume(): void {
    if (this.status === 'running') return;
    this.rebase();
    this.status = 'running';
  }

  pause(): void {
    if (this.status === 'paused') return;
    this.rebase();
    this.status = 'paused';
  }

  /** Changes the speed without a jump in virtual time. `speed` must be within [MIN_SPEED, MAX_SPEED]. */
  setSpeed(speed: number): void {
    this.rebase();
    this.speedValue = speed;
  }

  /** Moves virtual time forward to `t` if it is behind (the engine ran ahead of it, or a step jumped). */
  advanceTo(t: number): void {
    if (t <= this.now()) return;
    this.virtualBase = t;
    this.wallBase = this.wallNow();
  }

  /** Wall ms until virtual time reaches `t` at the current speed (Infinity while paused, 0 when already past). */
  wallDelayUntil(t: number): number {
    if (this.status === 'paused') return Infinity;
    return Math.max(0, (t - this.now()) / this.speedValue);
  }

  private rebase(): void {
    this.virtualBase = this.now();
    this.wallBase = this.wallNow();
  }
}
