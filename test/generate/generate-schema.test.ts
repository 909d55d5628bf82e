import { describe, expect, it } from 'vitest';
import { GenerateSchema } from '../../src/generate/generate-schema.js';
import { applySetOverrides, readGenerateBlock } from '../../src/generate/read-generate-block.js';
import { ScenarioError } from '../../src/errors.js';

function problems(raw: unknown): string[] {
  try {
    readGenerateBlock(raw);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('generate: schema', () => {
  it('fills every default from an empty block', () => {
    const c = readGenerateBlock({});
    expect(c.duration).toBe(3_600_000);
    expect(c.sessions.rate).toBeCloseTo(10 / 60_000);
    expect(c.sessions.arrival).toBe('poisson');
    expect(c.mix).toEqual({ call: 50, meeting: 30, webinar: 12, ipcam: 8 });
    expect(c.meeting.duration).toEqual({
      dist: 'lognormal',
      median: 1_800_000,
      sigma: 0.6,
      min: 120_000,
      max: 14_400_000,
    });
    expect(c.call.participants).toEqual({ dist: 'constant', value: 1 });
    expect(c.faults.restartAfter).toBe(60_000);
    expect(c.faults.nodeRecoverAfter).toBe(60_000);
    expect(readGenerateBlock(null)).toEqual(GenerateSchema.parse({}));
  });

  it('reads rates, durations and distributions as people write them', () => {
    const c = readGenerateBlock({
      duration: '2h',
      sessions: { rate: '300/h', shape: 'ramp', ramp: { from: 0.5 } },
      meeting: { stay: { dist: 'uniform', min: '1m', max: '5m' }, participants: 6 },
    });
    expect(c.duration).toBe(7_200_000);
    expect(c.sessions.rate).toBeCloseTo(300 / 3_600_000);
    expect(c.sessions.ramp).toEqual({ from: 0.5, to: 1 });
    expect(c.meeting.stay).toEqual({ dist: 'uniform', min: 60_000, max: 300_000 });
    expect(c.meeting.participants).toEqual({ dist: 'constant', value: 6 });
  });

  it('names the field of every problem, with exact messages', () => {
    expect(
      problems({
        sessions: { rate: '5/fortnight', daily: [1, 2] },
        meeting: {
          participants: 2.5,
          stay: 'abc',
          duration: { dist: 'lognormal' },
          joinSpread: { dist: 'zipf' },
        },
        faults: { networkDrop: 2 },
        colour: 'red',
      }),
    ).toEqual([
      'generate.sessions.rate: "5/fortnight" is not a rate (use 5/min, 300/h, 2/d or a number per second)',
      'generate.sessions.daily: daily needs 24 multipliers, one per hour (UTC)',
      'generate.meeting.participants: a count is a whole number',
      'generate.meeting.duration.median: is required',
      'generate.meeting.stay: "abc" is not a duration (use 250ms, 1.5s, 2m, 1h or seconds)',
      'generate.meeting.joinSpread.dist: dist must be constant, lognormal, uniform, exponential or normal',
      'generate.faults.networkDrop: a probability is between 0 and 1',
      'generate: unknown field "colour"',
    ]);
  });
});

describe('--set overrides', () => {
  it('sets nested fields, typed as YAML scalars, without touching the input', () => {
    const raw = { sessions: { rate: '1/min' } };
    const out = applySetOverrides(raw, [
      'generate.sessions.rate=5/min',
      'faults.networkDrop=0.5',
      'mix.call=0',
      'duration=90s',
    ]);
    expect(out).toEqual({
      sessions: { rate: '5/min' },
      faults: { networkDrop: 0.5 },
      mix: { call: 0 },
      duration: '90s',
    });
    expect(raw).toEqual({ sessions: { rate: '1/min' } });
    const c = readGenerateBlock(out);
    expect(c.sessions.rate).toBeCloseTo(5 / 60_000);
    expect(c.duration).toBe(90_000);
  });

  it('refuses malformed overrides and validates what they set', () => {
    expect(() => applySetOverrides({}, ['sessions.rate'])).toThrow(
      '--set "sessions.rate" must be path=value, e.g. --set generate.sessions.rate=5/min',
    );
    expect(problems(applySetOverrides({}, ['sessions.rate=fast']))).toEqual([
      'generate.sessions.rate: "fast" is not a rate (use 5/min, 300/h, 2/d or a number per second)',
    ]);
  });
});
