/**
 * What OpenVidu's JVM does to text and numbers, reproduced exactly (spec §1.2, §1.3, §2.9).
 */

/**
 * Java `Double.toString`: always a decimal point, scientific outside [1e-3, 1e7) (`0.0`, `8.6`, `1.0E7`, `5.0E-4`),
 * with the shortest round-trip digits of JDK ≥ 19 (spec §1.3). NaN and the infinities are `NaN`, `Infinity` and
 * `-Infinity`, as Java writes them; OpenVidu's Gson writes them so too, bare, since `JsonElement.toString()` uses a
 * lenient writer (Gson 2.13.2 of OpenVidu 2.32): the line is then no longer JSON, as it would not be from OpenVidu.
 */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x); // JS prints this range without exponent, with the same shortest digits as the JDK ≥ 19
    return s.includes('.') ? s : `${s}.0`;
  }
  // toExponential() without argument gives the shortest round-trip digits, e.g. "1e+7", "1.234e-5". When one digit
  // suffices, Java picks among the decimals of one or two digits that round to x the closest to x: the same one for
  // a normal double, but e.g. 4.9E-324, not 5.0E-324, for Double.MIN_VALUE, whose neighbours are far apart.
  let text = x.toExponential();
  if (!text.includes('.')) {
    const two = x.toExponential(1);
    text = Number(two) === x ? two : text.replace('e', '.0e');
  }
  const [mantissa = '', exponent = ''] = text.split('e');
  return `${mantissa}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** Marks a number inside a JSON tree that Java holds as a double (written `12.0`, not `12`). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

// Characters Gson escapes beyond what JSON.stringify does: U+2028 and U+2029.
const LINE_SEPARATORS = /[\u2028\u2029]/g;
// Anything that may need escaping at all: quotes, backslash, control characters, the two separators, surrogates.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_WORK = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/**
 * A JSON string literal as Gson writes it with HTML-safe escaping off: like `JSON.stringify`, plus `\u2028`/`\u2029`
 * escaped. (JSON.stringify escapes lone surrogates where Gson writes them raw; the spec lets us ignore that case.)
 */
export function gsonQuote(s: string): string {
  if (!NEEDS_WORK.test(s)) return `"${s}"`;
  return JSON.stringify(s).replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/** Java `String.hashCode()`: s[0]·31^(n−1) + … + s[n−1] over UTF-16 code units, in 32-bit int arithmetic. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Bucket of a string in a `HashMap` table of `capacity` (a power of two): `(h ^ h>>>16) & (capacity−1)`. */
export function javaBucket(s: string, capacity: number): number {
  const h = javaStringHash(s);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/** Table size after adding `n` entries one by one to `new HashSet<>()`: 16, doubled past a 0.75 load. */
export function capacityByInsertion(n: number): number {
  let capacity = 16;
  while (n > capacity * 0.75) capacity *= 2;
  return capacity;
}

/** Table size of `new HashSet<>(collectionOfN)`: `tableSizeFor(max(n/.75f + 1, 16))`. */
export function capacityByCopy(n: number): number {
  const wanted = Math.max(Math.trunc(n / 0.75) + 1, 16);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  return capacity;
}

/**
 * Whether `items` can be the iteration order of a Java HashSet holding exactly them, built either way (by insertion
 * or by copy). Entries of one bucket keep their unknown insertion order, so only non-decreasing buckets are required.
 */
export function isJavaHashSetOrder(items: readonly string[]): boolean {
  const n = items.length;
  return [capacityByInsertion(n), capacityByCopy(n)].some((capacity) => {
    let previous = -1;
    for (const s of items) {
      const b = javaBucket(s, capacity);
      if (b < previous) return false;
      previous = b;
    }
    return true;
  });
}

/**
 * The iteration order of a Java `HashSet<String>` (or `HashMap` keys) built by inserting `items` in order:
 * duplicates dropped, buckets ascending, insertion order within a bucket. Tables of 16, 32, 64… with load factor 0.75.
 * (Treeified buckets — 8 or more collisions in one bucket — are not modelled; they do not happen with random ids.)
 */
export function javaHashSetOrder(items: Iterable<string>): string[] {
  // Duplicates dropped, first insertion kept (a linear scan for the few ids of a session, a Set beyond).
  const unique: string[] = [];
  let seen: Set<string> | undefined;
  for (const s of items) {
    if (seen !== undefined) {
      if (seen.has(s)) continue;
      seen.add(s);
    } else if (unique.includes(s)) continue;
    else if (unique.length === 16) seen = new Set(unique).add(s);
    unique.push(s);
  }
  return sortByJavaBucket(unique, (s) => s);
}

/**
 * `items` in the iteration order of a Java `HashMap` whose keys are `keyOf(item)`, inserted in the items' order (the
 * keys must be distinct): the engine's own lists, keyed by connection id, without building the key list first.
 * A new array; `items` is left as it is.
 */
export function javaHashMapOrder<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return sortByJavaBucket(items.slice(), keyOf);
}

/** Sorts `list` in place by the Java bucket of each item's key, stably (insertion order within a bucket); returns it. */
function sortByJavaBucket<T>(list: T[], keyOf: (item: T) => string): T[] {
  const n = list.length;
  if (n < 2) return list;
  const capacity = capacityByInsertion(n);
  const buckets: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) buckets[i] = javaBucket(keyOf(list[i] as T), capacity);
  if (n > 32) {
    // Array.prototype.sort is stable: by bucket, insertion order within one.
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => buckets[x]! - buckets[y]!);
    const sorted = order.map((i) => list[i]!);
    for (let i = 0; i < n; i++) list[i] = sorted[i]!;
    return list;
  }
  // A stable insertion sort by bucket (insertion order within a bucket): the lists are short and nothing is allocated.
  for (let i = 1; i < n; i++) {
    const s = list[i] as T;
    const b = buckets[i] as number;
    let j = i - 1;
    while (j >= 0 && (buckets[j] as number) > b) {
      buckets[j + 1] = buckets[j] as number;
      list[j + 1] = list[j] as T;
      j--;
    }
    buckets[j + 1] = b;
    list[j + 1] = s;
  }
  return list;
}

/** Java `Map.toString()` of string-keyed entries: `{k1=v1, k2=v2}` (used for Kurento filter event data). */
export function javaMapToString(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{${entries.map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

/**
 * The key order of a Java `ConcurrentHashMap<String, …>` made with `new ConcurrentHashMap<>()` and then only `put` and
 * `remove` — OpenVidu's `Kms.kurentoSessions`, whose `values()` list a crashed node's sessions. Unlike a `HashMap`, the
 * order depends on the map's history: its table only grows (at 3/4 full, counted after the insertion), and a resize
 * moves each bin's nodes before its last same-bit run to the front of their new bin in reverse (JDK `transfer`).
 * Iteration: bins ascending, each bin in list order; a new key goes to the end of its bin. (Treeified bins — 8 keys in
 * one bin — are not modelled: random ids do not collide so.)
 */
export class JavaConcurrentHashMapKeys {
  private bins: Array<Array<{ readonly key: string; readonly hash: number }>> = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  put(key: string): void {
    if (this.bins.length === 0) this.bins = Array.from({ length: 16 }, () => []);
    const h = javaStringHash(key);
    const hash = (h ^ (h >>> 16)) & 0x7fffffff;
    const bin = this.bins[hash & (this.bins.length - 1)]!;
    if (bin.some((e) => e.key === key)) return;
    bin.push({ key, hash });
    this.count++;
    while (this.count >= this.bins.length - (this.bins.length >>> 2)) this.grow();
  }

  remove(key: string): void {
    if (this.bins.length === 0) return;
    const h = javaStringHash(key);
    const bin = this.bins[(h ^ (h >>> 16)) & 0x7fffffff & (this.bins.length - 1)]!;
    const i = bin.findIndex((e) => e.key === key);
    if (i < 0) return;
    bin.splice(i, 1);
    this.count--;
  }

  /** The keys in iteration order. */
  keys(): string[] {
    const out: string[] = [];
    for (const bin of this.bins) for (const e of bin) out.push(e.key);
    return out;
  }

  /** Doubles the table as `transfer` does: per bin, the last run of one bit stays in order, the nodes before it are prepended. */
  private grow(): void {
    const n = this.bins.length;
    const next: typeof this.bins = Array.from({ length: 2 * n }, () => []);
    this.bins.forEach((bin, i) => {
      if (bin.length === 0) return;
      let lastRun = bin.length - 1;
      const runBit = bin[lastRun]!.hash & n;
      while (lastRun > 0 && (bin[lastRun - 1]!.hash & n) === runBit) lastRun--;
      const low: typeof bin = runBit === 0 ? bin.slice(lastRun) : [];
      const high: typeof bin = runBit === 0 ? [] : bin.slice(lastRun);
      for (let p = 0; p < lastRun; p++) {
        const e = bin[p]!;
        if ((e.hash & n) === 0) low.unshift(e);
        else high.unshift(e);
      }
      next[i] = low;
      next[i + n] = high;
    });
    this.bins = next;
  }
}
