/**
 * `npm run schema:events`: rewrites schema/events.schema.json from the event catalogue (src/model/catalogue.ts).
 * `--check` writes nothing and exits 1 when the committed file differs (the test suite checks the same).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EVENTS_SCHEMA_FILE } from '../src/model/json-schema.js';
import { eventsSchemaText, REPO_ROOT } from './events-schema-file.js';

const target = path.join(REPO_ROOT, EVENTS_SCHEMA_FILE);
const text = await eventsSchemaText();
const current = await readFile(target, 'utf8').catch(() => undefined);
if (current === text) {
  console.error(`${EVENTS_SCHEMA_FILE} is up to date`);
} else if (process.argv.includes('--check')) {
  console.error(`${EVENTS_SCHEMA_FILE} is out of date: run npm run schema:events`);
  process.exitCode = 1;
} else {
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, text);
  console.error(`wrote ${EVENTS_SCHEMA_FILE}`);
}
