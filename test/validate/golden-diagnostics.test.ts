/**
 * The validator's diagnostics on a corpus of broken (and some clean) inputs, byte for byte: every rule, and every
 * message the mutations of the golden files and the unit tests' inputs provoke (see run-case.ts and
 * scripts/build-diagnostics-corpus.ts). Refactoring the validator must leave these outputs unchanged;
 * `npm run golden:diagnostics` rewrites them for a deliberate change.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, type RuleId } from '../../src/validate/rules.js';
import { CORPUS_DIR, corpusFiles, readCorpus, renderCorpus } from './golden-diagnostics/run-case.js';

const files = corpusFiles();

describe('golden diagnostics of the validator (npm run golden:diagnostics rewrites them deliberately)', () => {
  it('has a corpus', () => {
    expect(files).toEqual(['from-tests.jsonl', 'hand-written.jsonl', 'mutations.jsonl']);
    for (const f of files) expect(readCorpus(f).length).toBeGreaterThan(30);
  });

  for (const file of files) {
    it(`${file}: the diagnostics are those of ${file.replace('.jsonl', '.expected.txt')}`, async () => {
      const expectedFile = join(CORPUS_DIR, file.replace(/\.jsonl$/, '.expected.txt'));
      expect(existsSync(expectedFile), `${expectedFile} is missing: run npm run golden:diagnostics`).toBe(
        true,
      );
      expect(await renderCorpus(file)).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }

  it('reports every rule of the validator somewhere in the corpus', () => {
    const text = files
      .map((f) => readFileSync(join(CORPUS_DIR, f.replace(/\.jsonl$/, '.expected.txt')), 'utf8'))
      .join('\n');
    const seen = new Set<string>();
    for (const m of text.matchAll(/^(error|warning) -?[^:\n]*:\d+: ([a-z0-9-]+): /gm))
      seen.add(m[2] as string);
    // Only `ovsim receive` reports request headers: no corpus line carries any (test/server/receiver-servers.test.ts).
    const receiveOnly: readonly RuleId[] = ['request-headers'];
    const missing = (Object.keys(RULES) as RuleId[]).filter((r) => !seen.has(r) && !receiveOnly.includes(r));
    expect(missing).toEqual([]);
  });
});
