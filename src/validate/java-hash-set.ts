/**
 * Java `HashSet<String>` iteration order (spec §2.9): `signalSent.to` is serialized from one, so its order is
 * bucket order, not insertion order. Entries of the same bucket keep their (unknown) insertion order, so a
 * checker can only require bucket indexes to be non-decreasing.
 */

/** Java `String.hashCode()`: s[0]·31^(n−1) + … + s[n−1] over UTF-16 code units, 32-bit wrap-around. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Bucket index of a string in a `HashMap` table of `capacity` (a power of two): `(h ^ h>>>16) & (cap−1)`. */
export function javaBucket(s: string, capacity: number): number {
  const h = javaStringHash(s);
  return (h ^ (h >>> 16)) & (capacity - 1);
}

/** Table size after adding `n` entries one by one to `new HashSet<>()` (16, doubled past 0.75 load). */
export function capacityByInsertion(n: number): number {
  let cap = 16;
  while (n > cap * 0.75) cap *= 2;
  return cap;
}

/** Table size of `new HashSet<>(collectionOfN)`: `tableSizeFor(max(n/.75f + 1, 16))`. */
export function capacityByCopy(n: number): number {
  const wanted = Math.max(Math.trunc(n / 0.75) + 1, 16);
  let cap = 1;
  while (cap < wanted) cap *= 2;
  return cap;
}

/** Whether `items` can be the iteration order of a Java HashSet holding exactly them. */
export function isJavaHashSetOrder(items: readonly string[]): boolean {
  const n = items.length;
  return [capacityByInsertion(n), capacityByCopy(n)].some((cap) => {
    let previous = -1;
    for (const s of items) {
      const b = javaBucket(s, cap);
      if (b < previous) return false;
      previous = b;
    }
    return true;
  });
}

/** The iteration order of a HashSet built by adding `items` in the given order (insertion-grown table). */
export function javaHashSetOrder(items: readonly string[]): string[] {
  const unique = [...new Set(items)];
  const cap = capacityByInsertion(unique.length);
  return unique
    .map((s, i) => ({ s, i, b: javaBucket(s, cap) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.s);
}
