/**
 * The files `npm run docs:scenario` writes, as text: the JSON Schema of scenario files and the scenario format
 * reference. Formatted with the project's prettier settings, so `npm run format` leaves them as they are.
 */
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderScenarioFormat } from './render-scenario-format.js';
import { SCHEMA_FILE, scenarioJsonSchema } from './scenario-json-schema.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCENARIO_FORMAT_FILE = 'docs/scenario-format.md';

/** Path (relative to the repository) → content. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const schema = scenarioJsonSchema();
  const files = new Map<string, string>([
    [SCHEMA_FILE, JSON.stringify(schema, null, 2) + '\n'],
    [SCENARIO_FORMAT_FILE, renderScenarioFormat(schema)],
  ]);
  for (const [file, text] of files) {
    const options = (await resolveConfig(REPO_ROOT + file)) ?? {};
    files.set(file, await format(text, { ...options, filepath: REPO_ROOT + file }));
  }
  return files;
}
