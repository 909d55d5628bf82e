/**
 * Choosing the cases of the golden-diagnostics corpus: each candidate is run, its diagnostics reduced to templates
 * (the wording, without ids, numbers and values), and the smallest candidates that bring a template not yet seen
 * {@link PER_TEMPLATE} times are kept, each minimized to the lines its templates need.
 */
import { runCase, type Case } from '../../test/validate/golden-diagnostics/run-case.js';

/** Examples kept per diagnostic template. */
const PER_TEMPLATE = 2;

/** Words of a message that are particulars (values, statuses) rather than its wording. */
const PARTICULARS: ReadonlySet<string> = new Set(
  'true false null absent nothing bad launching canceled failed running waiting-idle-to-terminate terminating terminated ready stopped started nobody stream'.split(
    ' ',
  ),
);

/**
 * A message reduced to its wording: quoted values, ids, numbers, event names and wire-order lists dropped, so that
 * two messages from the same place in the validator share a template.
 */
function template(severity: string, rule: string, message: string): string {
  const words = message
    .replace(/\(wire order:[^)]*\)/, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .split(/\s+/)
    .filter((w) => /^\(?[a-z][a-z'-]*[),:.]?$/.test(w))
    .map((w) => w.replace(/[(),:.]/g, ''))
    .filter((w) => !PARTICULARS.has(w));
  return `${severity} ${rule}: ${words.join(' ')}`;
}

interface Candidate {
  readonly c: Case;
  readonly size: number;
  readonly templates: readonly string[];
}

export async function evaluate(cases: readonly Case[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const c of cases) {
    const r = await runCase(c);
    const templates = [...new Set(r.diagnostics.map((d) => template(d.severity, d.rule, d.message)))];
    out.push({ c, size: JSON.stringify(c).length, templates });
  }
  return out;
}

/** The smallest cases that together show every template up to {@link PER_TEMPLATE} times, each minimized. */
export async function select(candidates: readonly Candidate[]): Promise<Case[]> {
  const seen = new Map<string, number>();
  const kept: Case[] = [];
  for (const cand of [...candidates].sort((a, b) => a.size - b.size)) {
    if (cand.templates.some((t) => (seen.get(t) ?? 0) < PER_TEMPLATE)) {
      for (const t of cand.templates) seen.set(t, (seen.get(t) ?? 0) + 1);
      kept.push(await minimize(cand));
    }
  }
  console.log(`${candidates.length} candidates, ${seen.size} templates, ${kept.length} kept`);
  return kept;
}

/** Drops the lines (or bodies) of a case that none of its templates needs, last first. */
async function minimize(cand: Candidate): Promise<Case> {
  const key = cand.c.lines !== undefined ? 'lines' : cand.c.bodies !== undefined ? 'bodies' : undefined;
  if (key === undefined) return cand.c;
  let items: readonly unknown[] = cand.c[key]!;
  for (let i = items.length - 1; i >= 0 && items.length > 1; i--) {
    const fewer = items.filter((_, j) => j !== i);
    const trial = { ...cand.c, [key]: fewer } as Case;
    const [result] = await evaluate([trial]);
    if (cand.templates.every((t) => result!.templates.includes(t))) items = fewer;
  }
  return { ...cand.c, [key]: items } as Case;
}
