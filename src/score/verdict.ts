/**
 * The verdict of a comparison against thresholds, in `ovsim load`'s manner: each threshold over its limit is a
 * breach, and any breach fails (exit 1). By default every divergence counts (`--max-divergences 0`); a
 * `--max-minutes-error` judges the time differences (minutes-overcounted, minutes-lost) as a share of the truth's
 * participant time instead, and `--max-duplicate-effects` the side effects counted more than once.
 */
import type { ScoreResult } from './compare.js';
import { MINUTES_KINDS } from './divergence.js';

/** Limits a score must stay within to pass, as `load`'s thresholds (absent: no limit). */
export interface Thresholds {
  /** Divergences allowed (not counting those judged by the other thresholds); default 0. */
  readonly maxDivergences?: number | undefined;
  /** Share (0..1) of the truth's participant time allowed as minutes-overcounted + minutes-lost. */
  readonly maxMinutesError?: number | undefined;
  /** Side effects allowed beyond the first of each; default 0. */
  readonly maxDuplicateEffects?: number | undefined;
}

/** PASS or FAIL of a score against its thresholds, with what breached them. */
export interface Verdict {
  readonly passed: boolean;
  readonly breaches: readonly string[];
  /** The divergences `maxDivergences` judged. */
  readonly counted: number;
  /** Seconds of minutes-overcounted + minutes-lost over the truth's participant seconds. */
  readonly minutesError: number;
  readonly duplicateEffects: number;
}

/** Judges a score against thresholds: the verdict `ovsim score` prints and exits by (0 pass, 1 fail). */
export function judge(result: ScoreResult, t: Thresholds): Verdict {
  let counted = 0;
  let minutesSeconds = 0;
  let duplicateEffects = 0;
  for (const d of result.divergences) {
    if (MINUTES_KINDS.has(d.kind)) minutesSeconds += d.seconds ?? 0;
    if (d.kind === 'duplicate-effect') duplicateEffects += d.count ?? 0;
    else if (!(t.maxMinutesError !== undefined && MINUTES_KINDS.has(d.kind))) counted++;
  }
  const truth = result.totals.truthSeconds;
  const minutesError =
    minutesSeconds === 0 ? 0 : truth > 0 ? minutesSeconds / truth : Number.POSITIVE_INFINITY;
  const breaches: string[] = [];
  const maxDivergences = t.maxDivergences ?? 0;
  if (counted > maxDivergences)
    breaches.push(`${counted} divergence(s) > ${maxDivergences} (--max-divergences)`);
  if (t.maxMinutesError !== undefined && minutesError > t.maxMinutesError)
    breaches.push(
      `participant time off by ${pct(minutesError)} > ${pct(t.maxMinutesError)} (--max-minutes-error)`,
    );
  const maxDup = t.maxDuplicateEffects ?? 0;
  if (duplicateEffects > maxDup)
    breaches.push(`${duplicateEffects} duplicate side effect(s) > ${maxDup} (--max-duplicate-effects)`);
  return { passed: breaches.length === 0, breaches, counted, minutesError, duplicateEffects };
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '∞';
}
