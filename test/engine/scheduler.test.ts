import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Scheduler } from '../../src/engine/scheduler.js';

/** A model of the queue: every item with its key, popped by smallest (at, seq). */
interface Modelled {
  at: number;
  seq: number;
  item: number;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), at: fc.integer({ min: 0, max: 20 }), order: fc.boolean() }),
  // Runs pushed in order, as a session's plan is: `at` is then the last pushed time plus this.
  fc.record({
    kind: fc.constant('pushLater' as const),
    at: fc.integer({ min: 0, max: 3 }),
    order: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('pop' as const) }),
  fc.record({
    kind: fc.constant('reschedule' as const),
    at: fc.integer({ min: 0, max: 20 }),
    order: fc.boolean(),
  }),
);

describe('Scheduler', () => {
  it('pops by (time, sequence) through any mix of pushes (in order or not), pops and rescheduleTop, as a sorted list would', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new Scheduler<number>();
        const model: Modelled[] = [];
        let seq = 0;
        // Explicit orders are unique (the generator's session indexes): drawn from a range of their own.
        let order = 1_000_000;
        let item = 0;
        const earliest = () =>
          model.reduce<Modelled | undefined>(
            (m, e) => (m === undefined || e.at < m.at || (e.at === m.at && e.seq < m.seq) ? e : m),
            undefined,
          );
        let lastAt = 0;
        for (const o of ops) {
          if (o.kind === 'push' || o.kind === 'pushLater') {
            const at = o.kind === 'push' ? o.at : lastAt + o.at;
            lastAt = at;
            const s = o.order ? order++ : seq++;
            const got = o.order ? q.push(at, item, s) : q.push(at, item);
            expect(got).toBe(s);
            model.push({ at, seq: s, item: item++ });
          } else if (o.kind === 'pop') {
            const want = earliest();
            const got = q.pop();
            expect(got === undefined ? undefined : { at: got.at, seq: got.seq, item: got.item }).toEqual(
              want,
            );
            if (want) model.splice(model.indexOf(want), 1);
          } else {
            const want = earliest();
            if (!want) {
              expect(() => q.rescheduleTop(o.at)).toThrow(RangeError);
              continue;
            }
            expect(q.peek()?.item).toBe(want.item);
            want.at = o.at;
            want.seq = o.order ? order++ : seq++;
            if (o.order) q.rescheduleTop(o.at, want.seq);
            else q.rescheduleTop(o.at);
          }
          expect(q.size).toBe(model.length);
          expect(q.peek()?.item).toBe(earliest()?.item);
        }
      }),
      { numRuns: 500 },
    );
  });
});
