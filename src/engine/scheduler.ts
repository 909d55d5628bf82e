/**
 * A priority queue of timed items ordered by (time, sequence): items due at the same instant come out in the order
 * they were scheduled (or of the explicit order key the caller gives), never in an order a sort leaves undefined.
 */
export interface Scheduled<T> {
  readonly at: number;
  readonly seq: number;
  readonly item: T;
}

export class Scheduler<T> {
  private readonly heap: Array<Scheduled<T>> = [];
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
    const entry = { at, seq: order ?? this.nextSeq++, item };
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Scheduled<T>;
      if (!before(entry, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = entry;
    return entry.seq;
  }

  peek(): Scheduled<T> | undefined {
    return this.heap[0];
  }

  pop(): Scheduled<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && before(h[r] as Scheduled<T>, h[l] as Scheduled<T>) ? r : l;
      const c = h[child] as Scheduled<T>;
      if (!before(c, last)) break;
      h[i] = c;
      i = child;
    }
    h[i] = last;
    return top;
  }
}

function before<T>(a: Scheduled<T>, b: Scheduled<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
