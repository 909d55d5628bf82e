import { describe, expect, it } from 'vitest';
import type { Batch } from '../../src/engine/engine.js';
import { iteratorSource, Pacer, parseSpeed } from '../../src/runtime/pacing.js';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;

function batches(times: number[]): Batch[] {
  return times.map((at, i) => ({
    at,
    cause: { kind: 'timer', label: `b${i}` },
    events: [
      { name: 'sessionCreated', data: { sessionId: `s${i}`, uniqueSessionId: `s${i}_${at}`, timestamp: at } },
    ],
  }));
}

describe('Pacer', () => {
  it('runs every batch in order at max speed and settles', async () => {
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(batches([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 2 * HOUR])[Symbol.iterator]()),
      speed: 'max',
      onBatch: (b) => void seen.push((b.cause as { label: string }).label),
    });
    await p.start();
    expect(seen).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(p.state).toBe('done');
  });

  it('waits for virtual time in realtime; stepOne, setSpeed and resume take over', async () => {
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(batches([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR])[Symbol.iterator]()),
      speed: 1,
      onBatch: (b) => void seen.push((b.cause as { label: string }).label),
    });
    const done = p.start();
    // The first batch is due at once; the next one an hour of wall time later.
    for (let i = 0; i < 200 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(['b0']);
    p.pause();
    expect(p.state).toBe('paused');
    const stepped = await p.stepOne();
    expect(stepped?.at).toBe(T0 + HOUR);
    expect(seen).toEqual(['b0', 'b1']);
    expect(p.virtualNow()).toBe(T0 + HOUR);
    p.setSpeed('max');
    p.resume();
    await done;
    expect(seen).toEqual(['b0', 'b1', 'b2', 'b3']);
  });

  it('stop() ends the run without running later batches', async () => {
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(batches([T0, T0 + HOUR])[Symbol.iterator]()),
      speed: 1,
      onBatch: (b) => {
        seen.push((b.cause as { label: string }).label);
        p.stop();
      },
    });
    await p.start();
    expect(seen).toEqual(['b0']);
    expect(p.state).toBe('stopped');
  });

  it('rejects when the source throws', async () => {
    const p = new Pacer({
      source: {
        peekAt: () => T0,
        take: () => {
          throw new Error('refused step');
        },
      },
      onBatch: () => undefined,
    });
    await expect(p.start()).rejects.toThrow('refused step');
  });

  it('parses --speed', () => {
    expect(parseSpeed('realtime')).toBe(1);
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('60')).toBe(60);
    expect(parseSpeed('x0.5')).toBe(0.5);
    expect(() => parseSpeed('fast')).toThrow(/--speed/);
    expect(() => parseSpeed('0')).toThrow(/--speed/);
  });
});
