import type { WallClock } from '../../src/runtime/pacing.js';

/** A wall clock moved by hand: timers fire in (due time, order set) order as `advance` passes them. */
export class ManualClock implements WallClock {
  private wall = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.wall;
  }

  after(ms: number, fn: () => void): () => void {
    const id = this.seq++;
    this.timers.set(id, { at: this.wall + Math.max(0, ms), fn });
    return () => this.timers.delete(id);
  }

  /** Timers waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves the clock `ms` on, firing every timer due meanwhile at its own instant (and those they set). */
  advance(ms: number): void {
    const end = this.wall + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers)
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.wall = Math.max(this.wall, next[1].at);
      next[1].fn();
    }
    this.wall = end;
  }
}

/** Lets promise callbacks (a sink's settled promise, the pacer's reaction to it) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
