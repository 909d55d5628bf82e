/**
 * Rewrites the expected outputs of the validator's golden-diagnostics corpus (test/validate/golden-diagnostics).
 * Run it only for a deliberate change of what `ovsim validate` reports (`npm run golden:diagnostics`), then read
 * the diff and note the change in the changelog.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, corpusFiles, renderCorpus } from '../test/validate/golden-diagnostics/run-case.js';

for (const file of corpusFiles()) {
  const expected = file.replace(/\.jsonl$/, '.expected.txt');
  writeFileSync(join(CORPUS_DIR, expected), await renderCorpus(file));
  console.log(`updated ${expected}`);
}
