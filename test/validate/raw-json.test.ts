import { describe, expect, it } from 'vitest';
import {
  capacityByCopy,
  capacityByInsertion,
  isJavaHashSetOrder,
  javaBucket,
  javaHashSetOrder,
  javaStringHash,
} from '../../src/validate/java-hash-set.js';
import { javaDoubleToString, RawScanner } from '../../src/validate/raw-json.js';

describe('javaDoubleToString (spec §1.3)', () => {
  it('writes doubles as Java does', () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [12, '12.0'],
      [8.6, '8.6'],
      [5.432, '5.432'],
      [0.001, '0.001'],
      [9999999, '9999999.0'],
      [1e7, '1.0E7'],
      [0.0005, '5.0E-4'],
      [1.234e-5, '1.234E-5'],
      [123456789.5, '1.234567895E8'],
    ];
    for (const [x, text] of cases) expect(javaDoubleToString(x)).toBe(text);
  });
});

describe('RawScanner', () => {
  it('returns keys in text order with their raw values, nested values included', () => {
    const text = '{"b":1,"a":{"x":[1,{"y":"}"}]},"2":0.0,"1":"q\\"z"}';
    const scanner = new RawScanner(text);
    const { members, end } = scanner.object(0);
    expect(end).toBe(text.length);
    expect(members.map((m) => [m.key, text.slice(m.start, m.end)])).toEqual([
      ['b', '1'],
      ['a', '{"x":[1,{"y":"}"}]}'],
      ['2', '0.0'],
      ['1', '"q\\"z"'],
    ]);
    expect(scanner.problem).toBeUndefined();
  });

  it('accepts Gson escapes and flags others', () => {
    const ok = new RawScanner('{"a":"\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001f\\u2028\\u2029 / é"}');
    ok.object(0);
    expect(ok.problem).toBeUndefined();
    const problems = ['"\\u000a"', '"\\u00E9"', '"\\u0041"', '"\\/"'].map((s) => {
      const sc = new RawScanner(`{"a":${s}}`);
      sc.object(0);
      return sc.problem;
    });
    expect(problems).toEqual([
      '\\u000a escape where Gson writes \\n',
      '\\u00E9 escape of a character Gson writes as itself',
      '\\u0041 escape of a character Gson writes as itself',
      'escaped "/" (Gson writes "/" unescaped)',
    ]);
  });
});

describe('Java HashSet order (spec §2.9 test vectors)', () => {
  it('hashes like String.hashCode', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('a')).toBe(97);
    expect(javaStringHash('hello')).toBe(99162322);
  });

  it('reproduces the spec vectors', () => {
    expect(javaBucket('con_ZbNTYgi0ae', 16)).toBe(10);
    expect(javaBucket('con_Yz3To5z53q', 16)).toBe(15);
    expect(javaHashSetOrder(['con_Yz3To5z53q', 'con_ZbNTYgi0ae'])).toEqual([
      'con_ZbNTYgi0ae',
      'con_Yz3To5z53q',
    ]);
    expect(javaHashSetOrder(['con_AbCdEfGhIj', 'con_KlMnOpQrSt', 'con_UvWxYz0123', 'con_RECORDER'])).toEqual([
      'con_KlMnOpQrSt',
      'con_UvWxYz0123',
      'con_AbCdEfGhIj',
      'con_RECORDER',
    ]);
    expect(isJavaHashSetOrder(['con_ZbNTYgi0ae', 'con_Yz3To5z53q'])).toBe(true);
    expect(isJavaHashSetOrder(['con_Yz3To5z53q', 'con_ZbNTYgi0ae'])).toBe(false);
  });

  it('sizes tables as HashSet does', () => {
    expect([1, 12, 13, 24, 25].map(capacityByInsertion)).toEqual([16, 16, 32, 32, 64]);
    expect([1, 11, 12, 24].map(capacityByCopy)).toEqual([16, 16, 32, 64]);
  });
});
