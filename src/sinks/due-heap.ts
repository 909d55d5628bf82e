/**
 * A binary min-heap of entries ordered by `due`, then by `order` (the order they were pushed in): equal instants come
 * out first in, first out, so a plan's ties never depend on the heap's shape.
 */
export interface DueEntry {
  readonly due: number;
  readonly order: number;
}

export class DueHeap<T extends DueEntry> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i] as T, a[parent] as T)) break;
      [a[i], a[parent]] = [a[parent] as T, a[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      this.sink(0);
    }
    return top;
  }

  /** Every entry, in no particular order, and the heap emptied. */
  drain(): T[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  /** Replaces every entry by `f(entry)` and restores the order. */
  rebuild(f: (entry: T) => T): void {
    this.items = this.items.map(f);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.sink(i);
  }

  private sink(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l] as T, a[m] as T)) m = l;
      if (r < a.length && before(a[r] as T, a[m] as T)) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m] as T, a[i] as T];
      i = m;
    }
  }
}

function before(a: DueEntry, b: DueEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order);
}
