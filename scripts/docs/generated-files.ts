/**
 * The files `npm run docs:generate` writes, as text: the JSON Schemas of scenario files, of the wire events (from the
 * event catalogue), of the ground truth and of a consumer's view (`ovsim score`), and the scenario format reference. Formatted with the project's prettier settings, so `npm run format` leaves them as they are.
 */
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderScenarioFormat } from './render-scenario-format.js';
import { EVENTS_SCHEMA_FILE, eventsJsonSchema } from '../../src/model/json-schema.js';
import { jsonSchemaFiles } from '../../src/score/json-schemas.js';
import { SCHEMA_FILE, scenarioJsonSchema } from './scenario-json-schema.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCENARIO_FORMAT_FILE = 'docs/scenario-format.md';

/** Path (relative to the repository) → content. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const schema = scenarioJsonSchema();
  const files = new Map<string, string>([
    [SCHEMA_FILE, JSON.stringify(schema, null, 2) + '\n'],
    [SCENARIO_FORMAT_FILE, renderScenarioFormat(schema)],
    [EVENTS_SCHEMA_FILE, `${JSON.stringify(eventsJsonSchema(), null, 2)}\n`],
    ...Object.entries(jsonSchemaFiles()).map(([name, text]): [string, string] => [`schema/${name}`, text]),
  ]);
  for (const [file, text] of files) {
    const options = (await resolveConfig(REPO_ROOT + file)) ?? {};
    files.set(file, await format(text, { ...options, filepath: REPO_ROOT + file }));
  }
  return files;
}
