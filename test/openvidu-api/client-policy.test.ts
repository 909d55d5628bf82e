import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.js';
import {
  DEFAULT_CLIENT_POLICY,
  describeClientPolicy,
  drawMs,
  parseClientPolicy,
  parseDistribution,
} from '../../src/server/openvidu-api/client-policy.js';

describe('client policies', () => {
  it('parses durations, ranges, exponentials and forever', () => {
    expect(parseDistribution('2s', false)).toEqual({ kind: 'fixed', ms: 2000 });
    expect(parseDistribution(1.5, false)).toEqual({ kind: 'fixed', ms: 1500 });
    expect(parseDistribution('500ms..2s', false)).toEqual({ kind: 'uniform', min: 500, max: 2000 });
    expect(parseDistribution('exp:30s', false)).toEqual({ kind: 'exponential', mean: 30_000 });
    expect(parseDistribution('forever', true)).toEqual({ kind: 'forever' });
    expect(parseDistribution('forever', false)).toBeUndefined();
    expect(parseDistribution('3s..1s', false)).toBeUndefined();
    expect(parseDistribution('soon', false)).toBeUndefined();
  });

  it('draws within the distribution, the same numbers for the same seed', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 200 }, () => drawMs(rng, { kind: 'uniform', min: 1000, max: 3000 }) ?? -1);
    };
    const a = draw(7);
    expect(a.every((x) => x >= 1000 && x <= 3000)).toBe(true);
    expect(draw(7)).toEqual(a);
    expect(drawMs(new Rng(1), { kind: 'forever' })).toBeUndefined();
    const exp = Array.from(
      { length: 2000 },
      (_, i) => drawMs(new Rng(i), { kind: 'exponential', mean: 1000 }) ?? 0,
    );
    const mean = exp.reduce((s, x) => s + x, 0) / exp.length;
    expect(mean).toBeGreaterThan(800);
    expect(mean).toBeLessThan(1200);
  });

  it('fills fields from the base and names bad fields', () => {
    const p = parseClientPolicy('{"publish":0.5,"stay":"1m..2m"}', 'x');
    expect(p).toMatchObject({
      mode: 'auto',
      publish: 0.5,
      stay: { kind: 'uniform', min: 60_000, max: 120_000 },
      join: DEFAULT_CLIENT_POLICY.join,
    });
    expect(parseClientPolicy('manual', 'x').mode).toBe('manual');
    expect(() => parseClientPolicy({ publish: 2 }, 'body')).toThrow(/^body\.publish:/);
    expect(() => parseClientPolicy('{nope', 'opt')).toThrow(/^opt: "auto", "manual" or a JSON object/);
    expect(describeClientPolicy(p)).toMatchObject({ stay: '60000ms..120000ms', join: '1000ms..3000ms' });
  });
});
