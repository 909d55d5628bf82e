/**
 * Builds the cases of the validator's golden-diagnostics corpus (test/validate/golden-diagnostics):
 *
 *   npx tsx scripts/build-diagnostics-corpus.ts [--mutations] [--capture FILE]
 *
 * - always `hand-written.jsonl` (diagnostics-corpus/hand-written.ts);
 * - with `--mutations`, `mutations.jsonl` (minutes): every single mutation of the golden files and the validator's
 *   fixtures (diagnostics-corpus/mutations.ts), of which a greedy pass keeps the smallest cases that bring a
 *   diagnostic template not yet seen twice, each minimized (diagnostics-corpus/select.ts);
 * - with `--capture FILE`, `from-tests.jsonl`, selected the same way from the inputs the unit tests of
 *   test/validate fed to LifecycleValidator, captured once by instrumenting it (one `{opts, lines}` per instance).
 *
 * The corpus is data once written: run this only to extend it, then `npm run golden:diagnostics` and review the
 * diff of the expected outputs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, type Case, type CaseOptions } from '../test/validate/golden-diagnostics/run-case.js';
import { handWrittenCases } from './diagnostics-corpus/hand-written.js';
import { mutations, sources, units } from './diagnostics-corpus/mutations.js';
import { evaluate, select } from './diagnostics-corpus/select.js';

function write(file: string, cases: readonly Case[]): void {
  writeFileSync(join(CORPUS_DIR, file), cases.map((c) => `${JSON.stringify(c)}\n`).join(''));
  console.log(`wrote ${file}`);
}

/** The cases of a capture file: text lines or parsed bodies, with the validator's options. */
function capturedCases(file: string): Case[] {
  const captured: Case[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .forEach((l, i) => {
      const rec = JSON.parse(l) as { opts: Record<string, unknown>; lines: unknown[] };
      const options: CaseOptions = Object.fromEntries(
        Object.entries(rec.opts).filter(([k]) =>
          ['version', 'events', 'destroyedMemory', 'inputStartToleranceMs', 'maxLineBytes'].includes(k),
        ),
      );
      const opts = Object.keys(options).length === 0 ? {} : { options };
      if (rec.lines.every((x) => typeof x === 'string')) {
        captured.push({ name: `unit test input ${i + 1}`, ...opts, lines: rec.lines as string[] });
      } else if (rec.lines.every((x) => typeof x === 'object' && x !== null && 'body' in x)) {
        const bodies = (rec.lines as Array<{ name: string; body: Record<string, unknown> }>).map(
          (x) => [x.name, x.body] as const,
        );
        captured.push({ name: `unit test input ${i + 1} (parsed bodies)`, ...opts, bodies });
      }
    });
  return captured;
}

write('hand-written.jsonl', handWrittenCases());

if (process.argv.includes('--mutations')) {
  const generated: Case[] = [];
  for (const [name, lines, whole] of sources()) {
    units(lines, whole).forEach((unit, u) => {
      for (const [label, mutated] of mutations(unit)) {
        generated.push({ name: `${name} #${u + 1}: ${label}`, lines: mutated });
      }
    });
  }
  write('mutations.jsonl', await select(await evaluate(generated)));
}

const capture = process.argv.indexOf('--capture');
if (capture > 0)
  write('from-tests.jsonl', await select(await evaluate(capturedCases(process.argv[capture + 1] ?? ''))));
