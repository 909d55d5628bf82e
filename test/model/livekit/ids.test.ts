import { describe, expect, it } from 'vitest';
import {
  LIVEKIT_ID_ALPHABET,
  LivekitIds,
  livekitIdPattern,
  unixMicros,
  unixMillis,
  unixNanos,
  unixSeconds,
} from '../../../src/model/livekit/ids.js';
import { Rng } from '../../../src/engine/rng.js';

describe('LiveKit ids', () => {
  it('uses shortuuid.DefaultAlphabet: 57 characters, no 0 1 I O l', () => {
    expect(LIVEKIT_ID_ALPHABET).toHaveLength(57);
    expect(new Set(LIVEKIT_ID_ALPHABET).size).toBe(57);
    expect(LIVEKIT_ID_ALPHABET).not.toMatch(/[01IOl]/);
  });

  it('matches the real samples of spec §1.2', () => {
    expect('EV_wL6Lh5MAFmDd').toMatch(livekitIdPattern('event'));
    expect('RM_ZcJFuN42JpfG').toMatch(livekitIdPattern('room'));
    expect('EG_Bu37AhhwbBtN').toMatch(livekitIdPattern('egress'));
  });

  it('draws prefix + 12 base57 characters, the same for the same seed, spread over the whole alphabet', () => {
    const a = new LivekitIds(() => new Rng('s').next());
    const rngA = new Rng('seed-19');
    const rngB = new Rng('seed-19');
    const ids = new LivekitIds(() => rngA.next());
    const again = new LivekitIds(() => rngB.next());
    const seen = new Set<string>();
    for (const kind of ['room', 'participant', 'track', 'egress', 'ingress', 'event'] as const) {
      for (let i = 0; i < 200; i++) {
        const id = ids.next(kind);
        expect(id).toMatch(livekitIdPattern(kind));
        expect(again.next(kind)).toBe(id);
        for (const c of id.slice(3)) seen.add(c);
      }
    }
    expect(seen.size).toBe(57);
    expect(a.next('room')).toMatch(livekitIdPattern('room'));
  });
});

describe('LiveKit clocks', () => {
  it('converts virtual milliseconds to the units of the proto', () => {
    expect(unixSeconds(1767225601999)).toBe(1767225601n);
    expect(unixMillis(1767225601417)).toBe(1767225601417n);
    expect(unixMicros(1767225601417, 342)).toBe(1767225601417342n);
    expect(unixNanos(1767225611862, 113475)).toBe(1767225611862113475n);
    expect(() => unixNanos(0, 1_000_000)).toThrow(RangeError);
  });
});
