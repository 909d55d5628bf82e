import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { cloneGraph } from '../../src/engine/clone.js';
import { Rng } from '../../src/engine/rng.js';

describe('Rng', () => {
  it("draws seedrandom's alea sequence exactly, for any seed", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 3000 }), (seed, n) => {
        const ours = new Rng(seed);
        const theirs = seedrandom.alea(seed);
        for (let i = 0; i < n; i++) expect(ours.next()).toBe(theirs());
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('a copy goes on from where the original was, independently of it', () => {
    const a = new Rng('seed/ids');
    for (let i = 0; i < 17; i++) a.next();
    const b = cloneGraph(a);
    const fromA = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(fromA);
    // An unseeded stream copies as unseeded, and starts at its seed's beginning.
    expect(cloneGraph(new Rng('x')).next()).toBe(seedrandom.alea('x')());
  });
});
