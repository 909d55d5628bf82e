/**
 * The published JSON Schemas of the truth, of a consumer's view and of a line of the delivery journal, derived from
 * their zod schemas: the files in `schema/` are this module's output (`npm run docs:generate` writes them; a test
 * keeps them in step).
 */
import { z } from 'zod';
import { JournalRecord } from '../sinks/journal-schema.js';
import { TruthDocument } from '../truth/truth-schema.js';
import { ActualDocument } from './actual-schema.js';

/** File name in `schema/` → its text (2-space JSON, newline-terminated). */
export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of [
    ['truth.schema.json', TruthDocument],
    ['actual.schema.json', ActualDocument],
    ['journal.schema.json', JournalRecord],
  ] as const) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
    files[name] = JSON.stringify(json, null, 2) + '\n';
  }
  return files;
}
