/**
 * Floating-point numbers as Go's protojson writes them (`internal/encoding/json/encode.go` `appendFloat`): the
 * shortest digits that round-trip at the field's bit size, in `%f` form unless the magnitude is below 1e-6 or at
 * least 1e21 (then `%e`, its two-digit exponent trimmed: `1e-07` → `1e-7`), `-0` kept (a proto3 double is "set" when
 * its bits are non-zero), and the specials as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
 *
 * JavaScript's `Number#toString` switches to exponent form at the same two thresholds, prints the shortest
 * round-tripping digits as well, and writes exponents as Go does after its trim (`1e-7`, `1.5e+21`), so the double
 * case is `String(n)` with the specials and `-0` handled.
 */

/** The JSON text of a double (`bitSize` 64) or float (32) value. */
export function formatGoFloat(n: number, bitSize: 32 | 64): string {
  if (Number.isNaN(n)) return '"NaN"';
  if (n === Infinity) return '"Infinity"';
  if (n === -Infinity) return '"-Infinity"';
  if (Object.is(n, -0)) return '-0';
  return String(bitSize === 32 ? shortestFloat32(Math.fround(n)) : n);
}

/**
 * The shortest decimal that reads back as the same float32 (Go's `AppendFloat(…, -1, 32)`): the correctly rounded
 * `p`-digit decimal for the smallest `p` that round-trips. Its magnitude decides the `%f`/`%e` form, as in Go, which
 * compares the float32 value itself; the two agree except within one float32 ulp of 1e-6 or 1e21.
 */
function shortestFloat32(value: number): number {
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(value.toPrecision(p));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
