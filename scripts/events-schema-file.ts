/**
 * The text of schema/events.schema.json: the JSON Schema derived from the event catalogue, formatted with the
 * project's prettier settings so that `npm run format` leaves it as it is.
 */
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { EVENTS_SCHEMA_FILE, eventsJsonSchema } from '../src/model/json-schema.js';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export async function eventsSchemaText(): Promise<string> {
  const path = REPO_ROOT + EVENTS_SCHEMA_FILE;
  const options = (await resolveConfig(path)) ?? {};
  return format(`${JSON.stringify(eventsJsonSchema(), null, 2)}\n`, { ...options, filepath: path });
}
