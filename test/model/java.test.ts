import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  javaDoubleToString,
  javaHashMapOrder,
  javaHashSetOrder,
  javaStringHash,
} from '../../src/model/java.js';

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
    [-3, '-3.0'],
  ])('%d → %s', (x, s) => expect(javaDoubleToString(x)).toBe(s));
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
