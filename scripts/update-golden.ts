/**
 * Rewrites the golden files of every scripted bundled scenario. Run it only for a deliberate output change
 * (`npm run golden:update`), then read the diff and note the change in CHANGELOG.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_DIR, scriptedScenarios } from '../test/golden/bundled.js';
import { render } from '../test/golden/render.js';

for (const name of scriptedScenarios()) {
  writeFileSync(join(GOLDEN_DIR, `${name}.cdr.jsonl`), await render(name, 'cdr'));
  writeFileSync(join(GOLDEN_DIR, `${name}.webhook.jsonl`), await render(name, 'webhook'));
  console.log(`updated ${name}`);
}
