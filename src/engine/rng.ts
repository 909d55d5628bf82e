/**
 * Seeded random streams. Each consumer forks its own stream by name (`rng.fork('ids')`), so adding a new consumer
 * never shifts the numbers another one draws. The generator is Alea (Baagøe's): seeded by seedrandom's `alea` (version
 * locked), whose state it reads (`{ state: true }`) and then steps here, over a typed array — the same numbers as
 * seedrandom's, without boxing each one on the heap (a run draws tens of millions), and copied with the world.
 */
import seedrandom from 'seedrandom';
import { CLONE, type SelfCloning } from './clone.js';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** 2^-32. */
const FRACTION = 2.3283064365386963e-10;

export class Rng implements SelfCloning {
  /** Alea's state: s0, s1, s2, c; made on the first draw. */
  private state: Float64Array | undefined;
  /** The seed string this stream was made from (forks append `/name`). */
  readonly seed: string;

  constructor(seed: string | number) {
    this.seed = String(seed);
  }

  /**
   * The state, seeded on first use: a stream only forked from (an engine's root, a session's) never pays for seeding,
   * which hashes the seed string three times — a cost paid per generated session.
   */
  private seeded(): Float64Array {
    const { s0, s1, s2, c } = seedrandom.alea(this.seed, { state: true }).state();
    return (this.state = Float64Array.of(s0, s1, s2, c));
  }

  /** An independent copy at the same point of the same stream. */
  [CLONE](): Rng {
    const copy = new Rng(this.seed);
    if (this.state !== undefined) copy.state = this.state.slice();
    return copy;
  }

  /** An independent stream derived from this one's seed and `name`. */
  fork(name: string): Rng {
    return new Rng(`${this.seed}/${name}`);
  }

  /** Uniform in [0, 1): Alea's next number. */
  next(): number {
    const s = this.state ?? this.seeded();
    const t = 2091639 * s[0]! + s[3]! * FRACTION;
    s[0] = s[1]!;
    s[1] = s[2]!;
    const c = t | 0;
    s[3] = c;
    return (s[2] = t - c);
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  real(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** Standard normal (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** `n` characters of [0-9A-Za-z]. */
  alphanumeric(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHANUMERIC[Math.floor(this.next() * 62)];
    return s;
  }

  /** One upper-case letter A–Z. */
  upper(): string {
    return UPPER[Math.floor(this.next() * 26)] ?? 'A';
  }
}
