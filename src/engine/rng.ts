/**
 * Seeded random streams. Each consumer forks its own stream by name (`rng.fork('ids')`), so adding a new consumer
 * never shifts the numbers another one draws. The generator is Baagøe's Alea — the algorithm of seedrandom's `alea`
 * (3.0.5), whose numbers it draws exactly (tested against it for any seed) and which the golden files depend on —
 * computed here over a typed array: no heap number per draw or per seeding step (a generated run seeds five streams
 * per session and draws tens of millions of numbers), and a stream is copied with the world as four numbers.
 */
import { CLONE, type SelfCloning } from './clone.js';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** 2^-32. */
const FRACTION = 2.3283064365386963e-10;

/**
 * Baagøe's Mash hash over `data`, from hash state `n`: returns the next state; its value as a number in [0, 1) is
 * `(state >>> 0) * 2^-32`.
 */
function mash(n: number, data: string): number {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000;
  }
  return n;
}

/** Alea's seeding starts from three hashes of a space, the same for every seed. */
const SPACE = (() => {
  const n0 = mash(0xefc8249d, ' ');
  const n1 = mash(n0, ' ');
  const n2 = mash(n1, ' ');
  return { n: n2, s0: (n0 >>> 0) * FRACTION, s1: (n1 >>> 0) * FRACTION, s2: (n2 >>> 0) * FRACTION };
})();

/** Alea's state for `seed`: s0, s1, s2 (each the space's hash less the seed's, wrapped into [0, 1)), and c = 1. */
function seedState(seed: string): Float64Array {
  const n0 = mash(SPACE.n, seed);
  const n1 = mash(n0, seed);
  const n2 = mash(n1, seed);
  let s0 = SPACE.s0 - (n0 >>> 0) * FRACTION;
  if (s0 < 0) s0 += 1;
  let s1 = SPACE.s1 - (n1 >>> 0) * FRACTION;
  if (s1 < 0) s1 += 1;
  let s2 = SPACE.s2 - (n2 >>> 0) * FRACTION;
  if (s2 < 0) s2 += 1;
  return Float64Array.of(s0, s1, s2, 1);
}

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
    return (this.state = seedState(this.seed));
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
