/**
 * How `ovsim generate` keeps its memory flat. A generation run allocates about 1.6 KB per event, nearly all of it
 * short-lived, while its live data (the sessions alive at once) stays around 20 MB. Left to its defaults, V8 lets a
 * heap grow up to 4× its live data between two full collections: peak RSS reached 180–215 MB on one thread and
 * 290–400 MB on two (busy-day, 1 M and 10 M events, 2-core machine). With a growing factor of 1.3 the heaps stay
 * near their live data — about 125–140 MB on one thread, 225 MB on two — for 0–8 % of the speed (measured with
 * `npm run bench:generate`).
 */
import v8 from 'node:v8';

/**
 * The young generation of a generator worker thread, MB (its `resourceLimits.maxYoungGenerationSizeMb`). A generation
 * thread's garbage is short-lived, and V8's default young generation for a large heap was most of the second thread's
 * memory: with 8 MB, busy-day on 2 threads peaks at ~178 MB instead of ~203 MB, at the same speed (alternated runs).
 */
export const WORKER_YOUNG_GENERATION_MB = 8;

/** Heap growth over live data allowed after a full collection, in percent (V8's `--heap-growing-percent`). */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Sets the growing factor for every heap of this process, worker threads included. V8 reads it each time it sizes
 * a heap after a collection, so it applies from the next collection on. Only generation calls this.
 */
export function keepHeapsSmall(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
