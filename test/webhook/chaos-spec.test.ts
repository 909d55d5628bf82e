/** The --chaos grammar: presets, items, overrides, canonical form, located errors. */
import { describe, expect, it } from 'vitest';
import { ChaosPlanner } from '../../src/sinks/chaos-plan.js';
import {
  formatChaosSpec,
  NO_CHAOS,
  parseChaosSpec,
  retryDelayMs,
  SVIX_RETRY_MS,
} from '../../src/sinks/chaos-spec.js';
import { OvsimError } from '../../src/errors.js';

const errorOf = (text: string): string => {
  try {
    parseChaosSpec(text);
  } catch (e) {
    expect(e).toBeInstanceOf(OvsimError);
    expect((e as OvsimError).code).toBe('BAD_INPUT');
    return (e as Error).message;
  }
  throw new Error(`"${text}" was accepted`);
};

describe('parseChaosSpec', () => {
  it('reads every item, probabilities as fractions or percentages', () => {
    const s = parseChaosSpec(
      'drop=1%,dup=0.05x2,dupdelay=uniform:100ms..2s,delay=exp:200ms,reorder=8,stall=0.01:5s,noack=0.1,retry=5s/5m,accept=2xx',
    );
    expect(s).toEqual({
      drop: 0.01,
      dup: 0.05,
      dupCopies: 2,
      dupDelay: { kind: 'uniform', minMs: 100, maxMs: 2000 },
      delay: { kind: 'exp', meanMs: 200 },
      reorder: 8,
      stall: 0.01,
      stallMs: 5000,
      noack: 0.1,
      retry: { kind: 'list', name: '5s/5m', delaysMs: [5000, 300_000] },
      accept: '2xx',
    });
  });

  it('expands presets, and later items override earlier ones', () => {
    expect(parseChaosSpec('none')).toEqual(NO_CHAOS);
    expect(parseChaosSpec('openvidu2')).toMatchObject({ retry: { kind: 'openvidu' }, accept: '200', dup: 0 });
    expect(parseChaosSpec('svix').retry).toEqual({ kind: 'list', name: 'svix', delaysMs: SVIX_RETRY_MS });
    const stripe = parseChaosSpec('stripe');
    expect(stripe).toMatchObject({ dup: 0.05, accept: '2xx', delay: { kind: 'exp', meanMs: 500 } });
    expect(parseChaosSpec('stripe,dup=0.2').dup).toBe(0.2);
    expect(parseChaosSpec('dup=0.2,stripe').dup).toBe(0.05);
  });

  it('Svix: a message failing three times is delivered 35 min 5 s after its first attempt, as its docs say', () => {
    const s = parseChaosSpec('svix').retry;
    const waits = [1, 2, 3].map((n) => retryDelayMs(s, n) ?? NaN);
    expect(waits.reduce((a, b) => a + b, 0)).toBe((35 * 60 + 5) * 1000);
    expect(retryDelayMs(s, 8)).toBeUndefined();
  });

  it('Stripe: exponential back-off within three days', () => {
    const s = parseChaosSpec('stripe').retry;
    let total = 0;
    let n = 1;
    for (let d = retryDelayMs(s, n); d !== undefined; d = retryDelayMs(s, ++n)) total += d;
    expect(n - 1).toBe(14);
    expect(total).toBeLessThanOrEqual(72 * 3_600_000);
    expect(total).toBeGreaterThan(48 * 3_600_000);
  });

  it('formats a spec canonically, and reads the canonical form back to the same spec', () => {
    for (const text of [
      'stripe',
      'svix',
      'openvidu2',
      'dup=0.3x3,reorder=32',
      'drop=0.5,delay=1s,retry=exp:1s:1m:4,stall=0.1:2s,noack=0.2',
    ]) {
      const spec = parseChaosSpec(text);
      expect(parseChaosSpec(formatChaosSpec(spec))).toEqual(spec);
    }
    expect(formatChaosSpec(parseChaosSpec('stripe'))).toBe(
      'dup=0.05,dupdelay=exp:2s,delay=exp:500ms,retry=stripe,accept=2xx',
    );
    expect(formatChaosSpec(NO_CHAOS)).toBe('none');
  });

  it('names the flag, the bad item and its column (exit 2)', () => {
    expect(errorOf('dup=0.05,reorder=x')).toBe(
      '--chaos "dup=0.05,reorder=x": reorder=x (column 10): "x" is not a whole number of events from 1 to 10000',
    );
    expect(errorOf('dup=1.5')).toMatch(/dup=1\.5 \(column 1\): "1\.5" is not a probability/);
    expect(errorOf('drop=0.1, jitter=3')).toMatch(/jitter=3 \(column 11\): unknown key "jitter"/);
    expect(errorOf('delay=exp:soon')).toMatch(/"soon" is not a duration/);
    expect(errorOf('delay=gauss:1s')).toMatch(/a delay is DURATION, exp:MEAN or uniform:MIN\.\.MAX/);
    expect(errorOf('stall=0.1')).toMatch(/stall=P:DURATION/);
    expect(errorOf('accept=201')).toMatch(/accept is 200 or 2xx/);
    expect(errorOf('amazon')).toMatch(
      /amazon \(column 1\): not a preset \(none, openvidu2, svix, stripe, livekit, meet\)/,
    );
    expect(errorOf('')).toMatch(/--chaos is empty/);
    expect(errorOf('dup=0.1x20')).toMatch(/copies must be 1 to 10/);
  });

  it('LiveKit and Meet presets wait for the OpenVidu 3 server', () => {
    expect(errorOf('livekit')).toMatch(/^--chaos livekit: .*available once --server openvidu3 lands/);
    expect(errorOf('dup=0.1,meet')).toMatch(/^--chaos meet: .*available once --server openvidu3 lands/);
  });
});

describe('ChaosPlanner', () => {
  const plans = (spec: string, seed: string, n: number) => {
    const p = new ChaosPlanner(parseChaosSpec(spec), seed);
    return Array.from({ length: n }, () => p.next());
  };

  it('is a function of the spec, the seed and the order of events', () => {
    expect(plans('stripe,drop=0.1,noack=0.1,stall=0.05:1s', '7', 500)).toEqual(
      plans('stripe,drop=0.1,noack=0.1,stall=0.05:1s', '7', 500),
    );
    expect(plans('stripe', '7', 200)).not.toEqual(plans('stripe', '8', 200));
  });

  it('draws each knob from its own stream: adding one does not move the others', () => {
    const dupOnly = plans('dup=0.2', '1', 300).map((p) => p.copies.length);
    const dupAndDelay = plans('dup=0.2,delay=exp:1s,reorder=4', '1', 300).map((p) => p.copies.length);
    expect(dupAndDelay).toEqual(dupOnly);
    const duplicated = dupOnly.filter((n) => n > 1).length;
    expect(duplicated).toBeGreaterThan(30);
    expect(duplicated).toBeLessThan(90);
  });

  it('delays duplicates after the copy before them, and drops an event whole', () => {
    for (const p of plans('dup=1x3,dupdelay=uniform:10ms..20ms,delay=5ms,drop=0.3', '3', 100)) {
      if (p.drop) {
        expect(p.copies).toEqual([]);
        continue;
      }
      expect(p.copies.map((c) => c.copy)).toEqual([0, 1, 2, 3]);
      expect(p.copies[0]!.delayMs).toBe(5);
      for (let i = 1; i < 4; i++) {
        const gap = p.copies[i]!.delayMs - p.copies[i - 1]!.delayMs;
        expect(gap).toBeGreaterThanOrEqual(10);
        expect(gap).toBeLessThanOrEqual(20);
      }
    }
  });

  it('shuffles a window into a permutation', () => {
    const p = new ChaosPlanner(parseChaosSpec('reorder=16'), '5');
    const order = p.windowOrder(16);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 16 }, (_, i) => i));
  });
});
