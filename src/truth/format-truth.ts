/**
 * The truth as text: JSON with one session, recording, media node or minute per line, so a large run stays readable
 * with `grep` and diffs line by line, and `JSON.parse` (or `jq`) reads it whole.
 */
import type { Truth } from './truth-schema.js';

/** The document's text in chunks (concatenated: one JSON document ending with a newline). */
export function* formatTruth(truth: Truth): Generator<string> {
  const { sessions, recordings, mediaNodes, billing, ...head } = truth;
  const { perMinute, ...totals } = billing;
  yield `{"format":${JSON.stringify(head.format)},\n"run":${JSON.stringify(head.run)},\n`;
  yield* list('sessions', sessions);
  yield ',\n';
  yield* list('recordings', recordings);
  yield ',\n';
  yield* list('mediaNodes', mediaNodes);
  yield `,\n"billing":${JSON.stringify(totals).slice(0, -1)},\n`;
  yield* list('perMinute', perMinute);
  yield '}}\n';
}

function* list(key: string, items: readonly unknown[]): Generator<string> {
  if (items.length === 0) {
    yield `"${key}":[]`;
    return;
  }
  yield `"${key}":[\n`;
  for (let i = 0; i < items.length; i++)
    yield JSON.stringify(items[i]) + (i + 1 < items.length ? ',\n' : '\n');
  yield ']';
}
