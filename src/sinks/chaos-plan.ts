/**
 * The seeded draws of `--chaos`: for each event, in the order the run offers them, whether it is dropped, how many
 * copies go out and after which delays, whether the sender stalls, whether the first answer is ignored; for each
 * reorder window, the order its events are released in.
 *
 * Every kind of draw has a stream of its own, named after the run's seed (`<seed>/chaos/dup`, …, as the engine names
 * its streams), so that changing one knob does not move the others' numbers: `dup=0.05` and `dup=0.05,delay=exp:1s`
 * duplicate the same events. The same spec, seed and sequence of events give the same plan, byte for byte.
 */
import seedrandom from 'seedrandom';
import type { ChaosSpec, Distribution } from './chaos-spec.js';

/** One delivery of an event: the original (`copy` 0) or a duplicate. */
export interface CopyPlan {
  readonly copy: number;
  /** Added to the event's release instant, ms: the original's `delay`; each duplicate `dupdelay` after the copy before. */
  readonly delayMs: number;
  /** The answer to this copy's first request is ignored and the body sent again. */
  readonly noack: boolean;
}

export interface EventPlan {
  readonly drop: boolean;
  /** Empty when dropped. */
  readonly copies: readonly CopyPlan[];
  /** The sender stalls this long from this event on (0: no stall). */
  readonly stallMs: number;
}

type Draw = () => number;

export class ChaosPlanner {
  private readonly drop: Draw;
  private readonly dup: Draw;
  private readonly dupDelay: Draw;
  private readonly delay: Draw;
  private readonly reorder: Draw;
  private readonly stall: Draw;
  private readonly noack: Draw;

  constructor(
    readonly spec: ChaosSpec,
    readonly seed: string,
  ) {
    const stream = (name: string): Draw => seedrandom.alea(`${seed}/chaos/${name}`);
    this.drop = stream('drop');
    this.dup = stream('dup');
    this.dupDelay = stream('dupdelay');
    this.delay = stream('delay');
    this.reorder = stream('reorder');
    this.stall = stream('stall');
    this.noack = stream('noack');
  }

  /** The plan of the next event. Draws only from the streams of the knobs that are on. */
  next(): EventPlan {
    const s = this.spec;
    const stallMs = s.stall > 0 && this.stall() < s.stall ? s.stallMs : 0;
    if (s.drop > 0 && this.drop() < s.drop) return { drop: true, copies: [], stallMs };
    const extra = s.dup > 0 && this.dup() < s.dup ? s.dupCopies : 0;
    const copies: CopyPlan[] = [];
    let delayMs = draw(s.delay, this.delay);
    for (let copy = 0; copy <= extra; copy++) {
      if (copy > 0) delayMs += draw(s.dupDelay, this.dupDelay);
      copies.push({ copy, delayMs, noack: s.noack > 0 && this.noack() < s.noack });
    }
    return { drop: false, copies, stallMs };
  }

  /** The release order of a window of `n` events: a permutation of 0 … n−1 (Fisher–Yates). */
  windowOrder(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.reorder() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  }
}

/** A delay in whole ms; a fixed one draws nothing. */
function draw(d: Distribution, random: Draw): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'exp':
      return Math.round(-d.meanMs * Math.log(1 - random()));
    case 'uniform':
      return Math.round(d.minMs + random() * (d.maxMs - d.minMs));
  }
}
