/**
 * A priority queue of timed items ordered by (time, sequence): items due at the same instant come out in the order
 * they were scheduled (or of the explicit order key the caller gives), never in an order a sort leaves undefined.
 */
export interface Scheduled<T> {
  readonly at: number;
  readonly seq: number;
  readonly item: T;
}

/** An entry of the heap: Scheduled, writable here (rescheduleTop moves an entry instead of making a new one). */
interface Entry<T> {
  at: number;
  seq: number;
  readonly item: T;
}

export class Scheduler<T> {
  private readonly heap: Array<Entry<T>> = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /**
   * Schedules `item` at virtual time `at` (ms); returns its sequence number. `order` replaces the scheduling sequence
   * as the tie-break when the caller needs one that does not depend on history (the generator orders sessions due at
   * the same instant by their index, so that shards generated apart merge back into the same order).
   */
  push(at: number, item: T, order?: number): number {
    const entry: Entry<T> = { at, seq: order ?? this.nextSeq++, item };
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Entry<T>;
      if (!before(entry, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = entry;
    return entry.seq;
  }

  /** The earliest entry, left in place. Its `at` and `seq` change if it is then rescheduled (`rescheduleTop`). */
  peek(): Scheduled<T> | undefined {
    return this.heap[0];
  }

  pop(): Scheduled<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    this.siftDown(last);
    return top;
  }

  /**
   * Moves the earliest item to time `at` (tie-break `order`, or a new sequence number): what `pop` and then `push` of
   * the same item would do, in one pass down the heap and without a new entry — the generator's step for every
   * batch, as a session that ran is due again later.
   */
  rescheduleTop(at: number, order?: number): void {
    const top = this.heap[0];
    if (top === undefined) throw new RangeError('rescheduleTop on an empty queue');
    top.at = at;
    top.seq = order ?? this.nextSeq++;
    this.siftDown(top);
  }

  /** Puts `entry` at the root's place and moves it down to where it belongs. */
  private siftDown(entry: Entry<T>): void {
    const h = this.heap;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(h[r] as Entry<T>, h[l] as Entry<T>) ? r : l;
      const c = h[child] as Entry<T>;
      if (!before(c, entry)) break;
      h[i] = c;
      i = child;
    }
    h[i] = entry;
  }
}

function before<T>(a: Scheduled<T>, b: Scheduled<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
