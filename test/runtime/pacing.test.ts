import { describe, expect, it } from 'vitest';
import type { Batch } from '../../src/engine/engine.js';
import { iteratorSource, Pacer, parseSpeed, type BatchSource } from '../../src/runtime/pacing.js';
import { ManualClock, settle } from './manual-clock.js';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;

function batch(at: number, label: string, events = 1): Batch {
  return {
    at,
    cause: { kind: 'timer', label },
    events: Array.from({ length: events }, () => ({
      name: 'sessionCreated' as const,
      data: { sessionId: label, uniqueSessionId: `${label}_${at}`, timestamp: at },
    })),
  };
}

function batches(times: number[]): Batch[] {
  return times.map((at, i) => batch(at, `b${i}`));
}

const label = (b: Batch) => (b.cause as { label: string }).label;

/** A queue the test fills while the pacer runs (as the engine is filled by live actions). */
function queueSource(items: Batch[], reached: number[] = []): BatchSource {
  return {
    peekAt: () => items[0]?.at,
    take: () => items.shift(),
    reach: (t) => void reached.push(t),
  };
}

describe('Pacer', () => {
  it('runs every batch in order at max speed and settles', async () => {
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(batches([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 2 * HOUR])[Symbol.iterator]()),
      speed: 'max',
      onBatch: (b) => void seen.push(label(b)),
    });
    await p.start();
    expect(seen).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(p.state).toBe('done');
    expect(p.virtualNow()).toBe(T0 + 2 * HOUR);
  });

  it('runs each batch when the wall clock reaches it at the speed set, and measures how late it ran', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(batches([T0, T0 + 60_000, T0 + 120_000])[Symbol.iterator]()),
      speed: 60,
      clock,
      onBatch: (b, timing) => void seen.push(`${label(b)}+${timing.lateMs}`),
    });
    const done = p.start();
    clock.advance(0);
    expect(seen).toEqual(['b0+0']);
    clock.advance(999); // a virtual minute is a wall second at 60×
    expect(seen).toEqual(['b0+0']);
    expect(p.virtualNow()).toBe(T0 + 59_940);
    clock.advance(1);
    expect(seen).toEqual(['b0+0', 'b1+0']);
    p.pause();
    clock.advance(5_000); // paused: virtual time stands still and the pause is not made up for
    expect(p.virtualNow()).toBe(T0 + 60_000);
    p.resume();
    clock.advance(999);
    expect(seen).toHaveLength(2);
    clock.advance(1);
    expect(seen).toEqual(['b0+0', 'b1+0', 'b2+0']);
    await done;
    expect(p.state).toBe('done');
    expect(p.lateness.totalCount).toBe(3);
  });

  it('keeps the virtual time reached when the speed changes, and jumps forward only', () => {
    const clock = new ManualClock();
    const p = new Pacer({
      source: queueSource([batch(T0 + HOUR, 'late')]),
      speed: 1,
      origin: T0,
      clock,
      onBatch: () => undefined,
    });
    void p.start();
    clock.advance(10_000);
    p.setSpeed(100);
    expect(p.virtualNow()).toBe(T0 + 10_000);
    clock.advance(1_000);
    expect(p.virtualNow()).toBe(T0 + 110_000);
    p.advanceTo(T0 + 50_000); // behind: ignored
    expect(p.virtualNow()).toBe(T0 + 110_000);
    p.advanceTo(T0 + 200_000);
    expect(p.virtualNow()).toBe(T0 + 200_000);
    clock.advance(10);
    expect(p.virtualNow()).toBe(T0 + 201_000);
  });

  it('steps while paused to the next batch with events, skipping empty ones, and resumes from there', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(
        [
          batch(T0, 'b0'),
          batch(T0 + HOUR, 'cancelled', 0),
          batch(T0 + 2 * HOUR, 'b2'),
          batch(T0 + 3 * HOUR, 'b3'),
        ][Symbol.iterator](),
      ),
      speed: 1,
      clock,
      onBatch: (b) => void seen.push(label(b)),
    });
    const done = p.start();
    clock.advance(0);
    p.pause();
    expect(label(p.stepOne()!)).toBe('b2');
    expect(seen).toEqual(['b0', 'b2']);
    expect(p.virtualNow()).toBe(T0 + 2 * HOUR);
    p.setSpeed(HOUR / 1000);
    p.resume();
    clock.advance(999);
    expect(seen).toEqual(['b0', 'b2']);
    clock.advance(1);
    expect(seen).toEqual(['b0', 'b2', 'b3']);
    await done;
  });

  it('waits for a sink that asks it to before the next batch (back-pressure), and counts the wait as lateness', async () => {
    const clock = new ManualClock();
    let release!: () => void;
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(batches([T0, T0 + 10])[Symbol.iterator]()),
      speed: 1,
      clock,
      onBatch: (b, timing) => {
        seen.push(`${label(b)}+${timing.lateMs}`);
        if (seen.length === 1) return new Promise<void>((r) => (release = r));
      },
    });
    const done = p.start();
    clock.advance(50);
    expect(seen).toEqual(['b0+0']);
    release();
    await settle();
    expect(seen).toEqual(['b0+0', 'b1+40']);
    await done;
  });

  it('endless: stays running when the source is dry, moves the source on with virtual time, and takes work queued later', () => {
    const clock = new ManualClock();
    const items: Batch[] = [];
    const reached: number[] = [];
    const seen: string[] = [];
    const p = new Pacer({
      source: queueSource(items, reached),
      speed: 1,
      origin: T0,
      endless: true,
      clock,
      onBatch: (b) => void seen.push(label(b)),
    });
    void p.start();
    clock.advance(1_000);
    expect(p.state).toBe('running');
    expect(clock.pending).toBe(0); // no polling while nothing is queued
    p.catchUp();
    expect(reached.at(-1)).toBe(T0 + 1_000);
    items.push(batch(T0 + 1_500, 'live'));
    p.wake();
    clock.advance(499);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual(['live']);
  });

  it('catchUp runs at once what is due by now', () => {
    const clock = new ManualClock();
    const items = [batch(T0 + 100, 'due'), batch(T0 + 5_000, 'later')];
    const seen: string[] = [];
    const p = new Pacer({
      source: queueSource(items),
      speed: 1,
      origin: T0,
      endless: true,
      clock,
      onBatch: (b) => void seen.push(label(b)),
    });
    void p.start();
    // The wall clock moved, but no timer has fired yet (the event loop is busy answering a request).
    (clock as unknown as { wall: number }).wall = 200;
    p.catchUp();
    expect(seen).toEqual(['due']);
  });

  it('ends when the source has only background work left (it says nothing is left though something is queued)', async () => {
    const p = new Pacer({
      source: { peekAt: () => T0 + HOUR, take: () => undefined },
      speed: 'max',
      origin: T0,
      onBatch: () => undefined,
    });
    await p.start();
    expect(p.state).toBe('done');
  });

  it('stop() ends the run without running later batches', async () => {
    const seen: string[] = [];
    const p = new Pacer({
      source: iteratorSource(batches([T0, T0 + HOUR])[Symbol.iterator]()),
      speed: 1,
      clock: new ManualClock(),
      onBatch: (b) => {
        seen.push(label(b));
        p.stop();
      },
    });
    const done = p.start();
    (p as unknown as { clock: ManualClock }).clock.advance(0);
    await done;
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
    expect(p.state).toBe('stopped');
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
