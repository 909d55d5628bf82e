/**
 * The instants ovsim writes: what an OpenVidu server could log.
 *
 * OpenVidu logs `System.currentTimeMillis()`: a Java `long`, positive on any real server. Consumers parse it as a
 * JavaScript number (safe up to 2^53 − 1 ms) or as a date. ovsim keeps every instant — the start, every step, every
 * timer and every generated session — from 1970-01-01T00:00:00.001Z to 9999-12-31T23:59:59.999Z:
 * - positive, so no consumer meets a negative or zero epoch;
 * - at most the last millisecond of year 9999, the last instant with a four-digit year: ISO 8601 without an
 *   expanded year, `Date.prototype.toISOString` (which writes `+010000-…` after it), Java's `yyyy-MM-dd` and the
 *   CDR file names (`CDR.<yyyy-MM-dd>_…`) all hold, and it is far below both Java's long and 2^53 − 1.
 * A scenario that would leave the range is refused with a located error (exit 2) before anything is written.
 */

/** 1970-01-01T00:00:00.001Z: the earliest instant ovsim writes (ms since the epoch). */
export const EARLIEST_INSTANT = 1;

/** 9999-12-31T23:59:59.999Z: the latest instant ovsim writes (ms since the epoch). */
export const LATEST_INSTANT = 253_402_300_799_999;

/** The longest span (ms) that can fit between the two: no duration or offset may be longer. */
export const LONGEST_SPAN = LATEST_INSTANT - EARLIEST_INSTANT;

/** Java's `Integer.MAX_VALUE`: OpenVidu reads its timeouts (seconds) as Java ints. */
export const JAVA_INT_MAX = 2 ** 31 - 1;

/** Whether `ms` is an instant ovsim may write (false for NaN and infinities too). */
export function isWritableInstant(ms: number): boolean {
  return Number.isInteger(ms) && ms >= EARLIEST_INSTANT && ms <= LATEST_INSTANT;
}

/** The range, as messages state it. */
export const INSTANT_RANGE = '1970-01-01T00:00:00.001Z to 9999-12-31T23:59:59.999Z';

/** An instant for a message: ISO 8601 when a date can show it, else the number of ms. */
export function describeInstant(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `${String(ms)} ms since 1970`;
  return new globalThis.Date(Math.round(ms)).toISOString();
}

/** Why `ms` is out of range — `after the range of instants … (…)` — or undefined when it is in. */
export function rangeProblem(ms: number): string | undefined {
  if (isWritableInstant(ms)) return undefined;
  const where = ms < EARLIEST_INSTANT ? 'before' : 'after';
  return `${where} the range of instants OpenVidu logs and ovsim writes (${INSTANT_RANGE})`;
}

/** `<instant> is before/after the range …`, or undefined when `ms` is in. */
export function explainInstant(ms: number): string | undefined {
  const problem = rangeProblem(ms);
  return problem === undefined ? undefined : `${describeInstant(ms)} is ${problem}`;
}

/** `<instant>, before/after the range …`: for a message that says what would happen then; undefined when in. */
export function explainWhen(ms: number): string | undefined {
  const problem = rangeProblem(ms);
  return problem === undefined ? undefined : `${describeInstant(ms)}, ${problem}`;
}
