/** The bundled scenarios that have golden files: every scripted one (random ones are pinned by hash instead). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_SCENARIOS_DIR } from '../../src/scenario/read-scenario.js';

export const GOLDEN_DIR = new URL('.', import.meta.url).pathname;

export function scriptedScenarios(): string[] {
  return readdirSync(BUNDLED_SCENARIOS_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .filter((f) => !/^generate\s*:/m.test(readFileSync(join(BUNDLED_SCENARIOS_DIR, f), 'utf8')))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
    .sort();
}
