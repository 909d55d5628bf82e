/** Durations as scenario files and flags write them: `250ms`, `1.5s`, `2m 30s`, `1h`, or bare seconds. */
import { z } from 'zod';
import { LONGEST_SPAN } from './time-bounds.js';

/** A duration: seconds as a number, or a string with a unit (`250ms`, `1.5s`, `2m`, `1h`). Parsed to milliseconds. */
export const Duration = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx): number => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(v)}" is not a duration (use 250ms, 1.5s, 2m, 1h or seconds)`,
    });
    return z.NEVER;
  }
  if (ms > LONGEST_SPAN) {
    ctx.addIssue({ code: 'custom', message: TOO_LONG(v) });
    return z.NEVER;
  }
  return ms;
});

/** Any longer duration would take an instant past year 9999 (see time-bounds.ts). */
const TOO_LONG = (v: unknown) =>
  `${typeof v === 'string' ? JSON.stringify(v) : String(v)} is too long: instants must stay between ` +
  '1970 and the end of year 9999';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses a duration to whole milliseconds (`1.5s`, `2m 30s`, `1h30m`, bare numbers are seconds); `undefined` if not one. */
export function parseDuration(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : undefined;
  const text = v.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^(?:\d+(?:\.\d+)?\s*(?:ms|s|min|m|h|d)\s*)+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)/g))
    total += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000);
  return Math.round(total);
}
