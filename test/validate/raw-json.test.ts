import { describe, expect, it } from 'vitest';
import { RawScanner } from '../../src/validate/raw-json.js';

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
