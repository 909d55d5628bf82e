/**
 * A small seeded stream for renderers, which may not use the engine's: the uniform numbers in [0, 1) of SplitMix32
 * over a 32-bit FNV-1a hash of `seed`. Used for what a renderer draws by itself (LiveKit event ids), seeded from
 * something the engine drew (a room's sid), so the same run renders the same bytes.
 */
export function splitMix(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let state = h;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 0x100000000;
  };
}
