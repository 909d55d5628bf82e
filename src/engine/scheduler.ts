/**
 * A priority queue of timed items ordered by (time, sequence): items due at the same instant come out in the order
 * they were scheduled (or of the explicit order key the caller gives), never in an order a sort leaves undefined.
 *
 * Two parts behind one order: a run of entries pushed in order (a FIFO list: a generated session schedules its whole
 * plan at once, sorted) and a binary heap for the rest (timers, reschedules). Taking the smaller of the two heads
 * gives exactly the heap-only order — the keys are distinct — while most pushes and pops cost no sifting.
 */
export interface Scheduled<T> {
  readonly at: number;
  readonly seq: number;
  readonly item: T;
}

/** An entry of the queue: Scheduled, writable here (rescheduleTop moves an entry instead of making a new one). */
interface Entry<T> {
  at: number;
  seq: number;
  readonly item: T;
}

export class Scheduler<T> {
  private readonly heap: Array<Entry<T>> = [];
  /** Entries pushed in order: `run[runHead]` is the smallest of them; each later one is after the one before. */
  private run: Array<Entry<T>> = [];
  private runHead = 0;
  private nextSeq = 0;

  get size(): number {
    return this.heap.length + this.run.length - this.runHead;
  }

  /**
   * Schedules `item` at virtual time `at` (ms); returns its sequence number. `order` replaces the scheduling sequence
   * as the tie-break when the caller needs one that does not depend on history (the generator orders sessions due at
   * the same instant by their index, so that shards generated apart merge back into the same order).
   */
  push(at: number, item: T, order?: number): number {
    const entry: Entry<T> = { at, seq: order ?? this.nextSeq++, item };
    this.insert(entry);
    return entry.seq;
  }

  /** The earliest entry, left in place. Its `at` and `seq` change if it is then rescheduled (`rescheduleTop`). */
  peek(): Scheduled<T> | undefined {
    const h = this.heap[0];
    const r = this.run[this.runHead];
    if (r === undefined) return h;
    return h !== undefined && before(h, r) ? h : r;
  }

  pop(): Scheduled<T> | undefined {
    const h = this.heap[0];
    const r = this.run[this.runHead];
    if (r !== undefined && (h === undefined || before(r, h))) {
      this.takeRunHead();
      return r;
    }
    if (h === undefined) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) this.siftDown(last);
    return h;
  }

  /**
   * Moves the earliest item to time `at` (tie-break `order`, or a new sequence number): what `pop` and then `push` of
   * the same item would do, without a new entry — the generator's step for every batch, as a session that ran is
   * due again later.
   */
  rescheduleTop(at: number, order?: number): void {
    const h = this.heap[0];
    const r = this.run[this.runHead];
    if (r !== undefined && (h === undefined || before(r, h))) {
      this.takeRunHead();
      r.at = at;
      r.seq = order ?? this.nextSeq++;
      this.insert(r);
      return;
    }
    if (h === undefined) throw new RangeError('rescheduleTop on an empty queue');
    h.at = at;
    h.seq = order ?? this.nextSeq++;
    this.siftDown(h);
  }

  /** Appends to the run when `entry` comes after its last entry, else adds it to the heap. */
  private insert(entry: Entry<T>): void {
    const run = this.run;
    const tail = run[run.length - 1];
    if (tail === undefined || this.runHead === run.length || !before(entry, tail)) {
      if (this.runHead === run.length && run.length > 0) {
        run.length = 0;
        this.runHead = 0;
      }
      run.push(entry);
      return;
    }
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
  }

  private takeRunHead(): void {
    const run = this.run;
    if (++this.runHead === run.length) {
      run.length = 0;
      this.runHead = 0;
    } else if (this.runHead > 1024 && this.runHead * 2 > run.length) {
      // A long-lived queue fed in order (a live server) drops what it has taken now and then.
      this.run = run.slice(this.runHead);
      this.runHead = 0;
    }
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
