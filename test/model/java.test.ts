import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  capacityByCopy,
  capacityByInsertion,
  isJavaHashSetOrder,
  javaBucket,
  JavaConcurrentHashMapKeys,
  JavaDouble,
  javaDoubleToString,
  javaHashMapOrder,
  javaHashSetOrder,
  javaStringHash,
} from '../../src/model/java.js';
import { Profile } from '../../src/model/profile.js';

describe('javaDoubleToString', () => {
  it.each([
    [0, '0.0'],
    [12, '12.0'],
    [8.6, '8.6'],
    [5.432, '5.432'],
    [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'],
    [0.0005, '5.0E-4'],
    [1.234e-5, '1.234E-5'],
    [0.001, '0.001'],
    [9999999.5, '9999999.5'],
    [9999999, '9999999.0'],
    [123456789.5, '1.234567895E8'],
    [-3, '-3.0'],
    [-0, '-0.0'],
    [Number.MIN_VALUE, '4.9E-324'],
    [2 * Number.MIN_VALUE, '9.9E-324'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
  ])('%d → %s', (x, s) => expect(javaDoubleToString(x)).toBe(s));

  it('writes NaN and the infinities as Java does, not as a JavaScript exponent form', () => {
    // Double.toString(Double.NaN) is "NaN", of the infinities "Infinity" and "-Infinity"; the validator's old copy
    // wrote "NaN.0E0" and "Infinity.0E0".
    expect([NaN, Infinity, -Infinity].map(javaDoubleToString)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('gives every finite double a Java shape that reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = javaDoubleToString(x);
        expect(s).toMatch(/^-?\d+\.\d+(?:E-?\d+)?$/);
        expect(Number(s)).toBe(x);
        const abs = Math.abs(x);
        expect(s.includes('E')).toBe(abs !== 0 && (abs < 1e-3 || abs >= 1e7));
      }),
      { numRuns: 2000 },
    );
  });

  it('is what the serializer writes for non-finite doubles, bare, as lenient Gson does', () => {
    // OpenVidu's JsonElement.toString() (Gson 2.13.2) writes with Strictness.LENIENT, so NaN is written as NaN.
    const profile = new Profile('2.32', 'pro');
    const line = profile.serializeCdr({
      name: 'autoscaling',
      data: {
        timestamp: 1,
        clusterId: 'c',
        reason: 'r',
        mediaNodes: {},
        system: { avgLoad: new JavaDouble(NaN), totalLoad: new JavaDouble(-Infinity) },
      },
    });
    expect(line).toBe(
      '{"autoscaling":{"timestamp":1,"clusterId":"c","reason":"r","mediaNodes":{},"system":{"avgLoad":NaN,"totalLoad":-Infinity}}}',
    );
  });
});

describe('Java HashSet buckets and table sizes (spec §2.9)', () => {
  it('hashes like String.hashCode, the empty string included', () => {
    expect(javaStringHash('')).toBe(0);
  });

  it('puts the spec vectors in their buckets', () => {
    expect(javaBucket('con_ZbNTYgi0ae', 16)).toBe(10);
    expect(javaBucket('con_Yz3To5z53q', 16)).toBe(15);
  });

  it('sizes tables as HashSet does, by insertion and by copy', () => {
    expect([1, 12, 13, 24, 25].map(capacityByInsertion)).toEqual([16, 16, 32, 32, 64]);
    expect([1, 11, 12, 24].map(capacityByCopy)).toEqual([16, 16, 32, 64]);
  });

  it('recognises a HashSet order, and only one', () => {
    expect(isJavaHashSetOrder(['con_ZbNTYgi0ae', 'con_Yz3To5z53q'])).toBe(true);
    expect(isJavaHashSetOrder(['con_Yz3To5z53q', 'con_ZbNTYgi0ae'])).toBe(false);
  });

  it('accepts every order javaHashSetOrder produces (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 8 }), { maxLength: 60 }), (items) => {
        expect(isJavaHashSetOrder(javaHashSetOrder(items))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Java HashSet order (spec §2.9 test vectors)', () => {
  it('hashes like String.hashCode', () => {
    expect(javaStringHash('a')).toBe(97);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
  });
  it('orders two ids by bucket whatever the insertion order', () => {
    expect(javaHashSetOrder(['con_Yz3To5z53q', 'con_ZbNTYgi0ae'])).toEqual([
      'con_ZbNTYgi0ae',
      'con_Yz3To5z53q',
    ]);
    expect(javaHashSetOrder(['con_ZbNTYgi0ae', 'con_Yz3To5z53q'])).toEqual([
      'con_ZbNTYgi0ae',
      'con_Yz3To5z53q',
    ]);
  });
  it('matches the four-id vector', () => {
    expect(javaHashSetOrder(['con_AbCdEfGhIj', 'con_KlMnOpQrSt', 'con_UvWxYz0123', 'con_RECORDER'])).toEqual([
      'con_KlMnOpQrSt',
      'con_UvWxYz0123',
      'con_AbCdEfGhIj',
      'con_RECORDER',
    ]);
  });
  it('drops duplicates', () => {
    expect(javaHashSetOrder(['a', 'a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('javaHashSetOrder against a plain model of java.util.HashSet (property)', () => {
  /** Buckets as HashMap computes them, each a list in insertion order, read bucket by bucket. */
  function model(items: readonly string[]): string[] {
    const unique = [...new Set(items)];
    let capacity = 16;
    while (unique.length > capacity * 0.75) capacity *= 2;
    const table: string[][] = Array.from({ length: capacity }, () => []);
    for (const s of unique) {
      const h = javaStringHash(s);
      table[(h ^ (h >>> 16)) & (capacity - 1)]!.push(s);
    }
    return table.flat();
  }
  it('gives the same order for lists of 0 to 120 strings, duplicates included', () => {
    const id = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('con_A', 'con_B', 'Aa', 'BB'));
    fc.assert(
      fc.property(fc.array(id, { maxLength: 120 }), (items) => {
        expect(javaHashSetOrder(items)).toEqual(model(items));
        expect(javaHashSetOrder(new Set(items).keys())).toEqual(model(items));
      }),
      { numRuns: 500 },
    );
  });
  it('orders objects by a distinct key as the strings would be, leaving the list given as it was', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 120 }), (keys) => {
        const items = keys.map((key, i) => ({ key, i }));
        const before = items.slice();
        expect(javaHashMapOrder(items, (x) => x.key).map((x) => x.key)).toEqual(model(keys));
        expect(items).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });
});

describe('JavaConcurrentHashMapKeys (OpenVidu’s Kms.kurentoSessions)', () => {
  /** `count` distinct keys `ses_…` whose spread hash satisfies `pick` (found by trying: deterministic). */
  function keysWhere(count: number, pick: (spread: number) => boolean, taken = new Set<string>()): string[] {
    const out: string[] = [];
    for (let i = 0; out.length < count && i < 1_000_000; i++) {
      const key = `ses_${i.toString(36)}`;
      const h = javaStringHash(key);
      if (!taken.has(key) && pick((h ^ (h >>> 16)) & 0x7fffffff)) {
        out.push(key);
        taken.add(key);
      }
    }
    return out;
  }

  it('is a HashMap’s order while the table has 16 bins', () => {
    const keys = keysWhere(11, () => true);
    const m = new JavaConcurrentHashMapKeys();
    for (const k of keys) m.put(k);
    expect(m.keys()).toEqual(javaHashSetOrder(keys));
  });

  it('grows at the 12th key, moving the nodes before a bin’s last same-bit run to the front, reversed', () => {
    const taken = new Set<string>();
    // Bin 3 of 16: A and C go to bin 3 of 32, B and D to bin 19 (bit 16 set).
    const [a, c] = keysWhere(2, (h) => (h & 31) === 3, taken);
    const [b, d] = keysWhere(2, (h) => (h & 31) === 19, taken);
    const fillers = keysWhere(7, (h) => (h & 15) !== 3, taken);
    const m = new JavaConcurrentHashMapKeys();
    for (const k of [a!, b!, c!, d!, ...fillers]) m.put(k);
    expect(m.size).toBe(11);
    const before = m.keys();
    expect(before.slice(before.indexOf(a!), before.indexOf(a!) + 4)).toEqual([a, b, c, d]);
    const twelfth = keysWhere(1, (h) => (h & 15) !== 3, taken)[0]!;
    m.put(twelfth);
    const after = m.keys();
    // The last run of bin 3 was [D] (high); A, B, C were prepended in turn: low [C, A], high [B, D].
    expect(after.filter((k) => [a, b, c, d].includes(k))).toEqual([c, a, b, d]);
    // A HashMap of the same 12 keys has not grown yet (it does at the 13th): one bin, in insertion order.
    expect(
      javaHashSetOrder([a!, b!, c!, d!, ...fillers, twelfth]).filter((k) => [a, b, c, d].includes(k)),
    ).toEqual([a, b, c, d]);
  });

  it('never shrinks: keys left after removals keep the grown table’s order', () => {
    const taken = new Set<string>();
    const [x] = keysWhere(1, (h) => (h & 31) === 21, taken);
    const [y] = keysWhere(1, (h) => (h & 31) === 5, taken);
    const fillers = keysWhere(10, (h) => (h & 15) !== 5, taken);
    const grown = new JavaConcurrentHashMapKeys();
    for (const k of [x!, y!, ...fillers]) grown.put(k);
    for (const k of fillers) grown.remove(k);
    grown.remove('not there');
    expect(grown.size).toBe(2);
    expect(grown.keys()).toEqual([y, x]); // bins 5 and 21 of 32
    const fresh = new JavaConcurrentHashMapKeys();
    fresh.put(x!);
    fresh.put(y!);
    fresh.put(x!); // an existing key keeps its place
    expect(fresh.keys()).toEqual([x, y]); // one bin of 16, in insertion order
  });
});
