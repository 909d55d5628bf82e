/** The report of `ovsim score`: readable text, or one JSON document (`--format json`). */
import { fmtSeconds, type ScoreResult } from './compare.js';
import { describeEntry } from './journal-evidence.js';
import type { Thresholds, Verdict } from './verdict.js';

export interface ScoreReport {
  /** Where the truth and the view came from (file names, URL). */
  readonly truth: string;
  readonly actual: string;
  /** `--journal`, and the command line its run record gives to reproduce the delivery. */
  readonly journal?: string | undefined;
  readonly reproduce?: string | undefined;
  readonly actualFormat: 'json' | 'csv';
  readonly toleranceSeconds: number;
  readonly result: ScoreResult;
  readonly thresholds: Thresholds;
  readonly verdict: Verdict;
}

/** Divergences listed one per line in text; the rest are counted (`--format json` lists all). */
const TEXT_LIMIT = 50;
/** Journal entries shown under a divergence in text. */
const EVIDENCE_LIMIT = 3;

export function formatScoreText(r: ScoreReport): string {
  const { result, verdict } = r;
  const ds = result.divergences;
  const lines = [
    `score: ${r.actual} against the truth ${r.truth} (sessions matched by ${result.keyedBy}): ${ds.length} divergence(s)`,
  ];
  const width = Math.max(0, ...ds.slice(0, TEXT_LIMIT).map((d) => d.kind.length));
  for (const d of ds.slice(0, TEXT_LIMIT)) {
    lines.push(`  ${d.kind.padEnd(width)}  ${d.message}`);
    if (!d.evidence) continue;
    const shown = d.evidence.journal.slice(0, EVIDENCE_LIMIT);
    const more = d.evidence.journal.length - shown.length + (d.evidence.more ?? 0);
    const pad = ' '.repeat(width + 4);
    if (shown.length === 0) lines.push(`${pad}journal: no fault on its events (the consumer's own doing)`);
    for (const e of shown) lines.push(`${pad}journal: ${describeEntry(e)}`);
    if (more > 0) lines.push(`${pad}journal: … ${more} more (--format json lists them)`);
  }
  if (ds.length > TEXT_LIMIT)
    lines.push(`  … and ${ds.length - TEXT_LIMIT} more (--format json lists them all)`);
  const counts = countsOf(result);
  if (Object.keys(counts).length > 0)
    lines.push(
      `by kind: ${Object.entries(counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  const t = result.totals;
  lines.push(
    `participant time: truth ${fmtSeconds(t.truthSeconds)}, consumer ${fmtSeconds(t.actualSeconds)}; ` +
      `${fmtSeconds(t.overcountedSeconds)} overcounted, ${fmtSeconds(t.lostSeconds)} lost ` +
      `(beyond ${fmtSeconds(r.toleranceSeconds)} per participant)`,
    `sessions: truth ${t.sessions.truth}, consumer ${t.sessions.actual}; participants: truth ${t.participants.truth}, ` +
      `consumer ${t.participants.actual}` +
      (t.recordings ? `; recordings: truth ${t.recordings.truth}, consumer ${t.recordings.actual}` : ''),
  );
  if (t.effects)
    lines.push(
      `side effects: ${t.effects.total} reported, ${t.effects.distinct} distinct, ${t.effects.duplicates} duplicate(s)`,
    );
  for (const n of result.notes) lines.push(`note: ${n}`);
  if (r.reproduce !== undefined) lines.push(`reproduce the delivery: ${r.reproduce}`);
  if (verdict.breaches.length > 0) lines.push(`FAILED thresholds: ${verdict.breaches.join('; ')}`);
  lines.push(verdict.passed ? 'verdict: PASS' : 'verdict: FAIL');
  return lines.join('\n') + '\n';
}

export function formatScoreJson(r: ScoreReport): string {
  const { result, verdict, thresholds } = r;
  return (
    JSON.stringify(
      {
        truth: r.truth,
        actual: r.actual,
        ...(r.journal !== undefined ? { journal: r.journal, reproduce: r.reproduce ?? null } : {}),
        actualFormat: r.actualFormat,
        keyedBy: result.keyedBy,
        verdict: verdict.passed ? 'pass' : 'fail',
        counts: countsOf(result),
        totals: result.totals,
        notes: result.notes,
        thresholds: {
          toleranceSeconds: r.toleranceSeconds,
          maxDivergences: thresholds.maxDivergences ?? 0,
          maxMinutesError: thresholds.maxMinutesError ?? null,
          maxDuplicateEffects: thresholds.maxDuplicateEffects ?? 0,
          counted: verdict.counted,
          minutesError: Number.isFinite(verdict.minutesError) ? verdict.minutesError : null,
          duplicateEffects: verdict.duplicateEffects,
          breaches: verdict.breaches,
          passed: verdict.passed,
        },
        divergences: result.divergences,
      },
      null,
      2,
    ) + '\n'
  );
}

function countsOf(result: ScoreResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of result.divergences) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}
