// COMPOSED_QUICK_START is in Recording.OutputMode from OpenVidu v2.15.0 (v2.14.0's enum has COMPOSED and INDIVIDUAL):
// a recording line of an older version that carries it cannot be real.
import { describe, expect, it } from 'vitest';
import { LifecycleValidator } from '../../src/validate/index.js';
import { parseScenarioText } from '../../src/scenario/parse-scenario.js';
import { render } from '../generate/helpers.js';
import { check } from './helpers.js';

const CALL = [
  'openvidu: { version: "2.14" }',
  'steps:',
  '  - { at: 0s, createSession: { session: t } }',
  '  - { at: 1s, join: { session: t, participant: a } }',
  '  - { at: 1s, publish: { participant: a } }',
  '  - { at: 2s, startRecording: { session: t, outputMode: COMPOSED } }',
  '  - { at: 1m, leave: { participant: a } }',
  '',
].join('\n');

/** The 2.14 CDR lines of the call, its recording's outputMode rewritten to `mode`. */
function lines(mode: string): string[] {
  const text = render(parseScenarioText(CALL, 'call.yaml'));
  return text
    .trimEnd()
    .split('\n')
    .map((l) => l.replace('"outputMode":"COMPOSED"', `"outputMode":"${mode}"`));
}

describe('validate: COMPOSED_QUICK_START in a stream of OpenVidu 2.12–2.14', () => {
  it('is an error at each recording line, naming the field, under --openvidu-version 2.14 (and 2.12)', () => {
    const input = lines('COMPOSED_QUICK_START');
    const at = input.flatMap((l, i) => (l.includes('COMPOSED_QUICK_START') ? [i + 1] : []));
    expect(at.length).toBeGreaterThanOrEqual(4);
    const why =
      '"outputMode" is "COMPOSED_QUICK_START", which OpenVidu 2.14 does not have (it appears in 2.15)';
    expect(check(input, { version: '2.14' })).toEqual(at.map((n) => `f.log:${n}: field-value: ${why}`));
    expect(check(input, { version: '2.12' })).toHaveLength(at.length);
  });

  it('the same lines with COMPOSED are valid 2.14, and with COMPOSED_QUICK_START valid 2.15', () => {
    expect(check(lines('COMPOSED'), { version: '2.14' })).toEqual([]);
    expect(check(lines('COMPOSED_QUICK_START'), { version: '2.15' })).toEqual([]);
  });

  it('without --openvidu-version the mode tells the version: 2.15 or later', () => {
    expect(check(lines('COMPOSED_QUICK_START'))).toEqual([]);
    const detect = (mode: string) => {
      const v = new LifecycleValidator({});
      lines(mode).forEach((l, i) => v.push(l, i + 1, 'f.log'));
      v.finish();
      return v.summary().profile;
    };
    expect(detect('COMPOSED_QUICK_START')).toBe('2.15–2.16');
    expect(detect('COMPOSED')).toBe('2.12–2.16');
  });
});
