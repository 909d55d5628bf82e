/**
 * Seeded random streams. Each consumer forks its own stream by name (`rng.fork('ids')`), so adding a new consumer
 * never shifts the numbers another one draws. Alea (from seedrandom, version locked) is fast and portable, and its
 * state can be read and restored (`{ state: true }`): a stream is cloned with the world it belongs to.
 */
import seedrandom from 'seedrandom';
import { CLONE, type SelfCloning } from './clone.js';

type Generator = seedrandom.StatefulPRNG<seedrandom.State.Alea>;

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class Rng implements SelfCloning {
  private generator: Generator | undefined;
  /** The seed string this stream was made from (forks append `/name`). */
  readonly seed: string;

  constructor(seed: string | number) {
    this.seed = String(seed);
  }

  /**
   * The generator, seeded on first use: a stream only forked from (an engine's root, a session's) never pays for
   * seeding, which hashes the seed string three times — a cost paid per generated session.
   */
  private get source(): Generator {
    return (this.generator ??= seedrandom.alea(this.seed, { state: true }));
  }

  /** An independent copy at the same point of the same stream. */
  [CLONE](): Rng {
    const copy = new Rng(this.seed);
    if (this.generator !== undefined) copy.generator = seedrandom.alea('', { state: this.generator.state() });
    return copy;
  }

  /** An independent stream derived from this one's seed and `name`. */
  fork(name: string): Rng {
    return new Rng(`${this.seed}/${name}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source();
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.source() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  real(min: number, max: number): number {
    return min + this.source() * (max - min);
  }

  chance(p: number): boolean {
    return this.source() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.source() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.source() * total;
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
    const u = 1 - this.source();
    const v = this.source();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.source());
  }

  /** `n` characters of [0-9A-Za-z]. */
  alphanumeric(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHANUMERIC[Math.floor(this.source() * 62)];
    return s;
  }

  /** One upper-case letter A–Z. */
  upper(): string {
    return UPPER[Math.floor(this.source() * 26)] ?? 'A';
  }
}
