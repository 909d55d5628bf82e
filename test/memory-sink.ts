import type { TextSink } from '../src/sinks/atomic-file.js';

/** A sink keeping everything written in memory (text or bytes), read back as bytes or as UTF-8 text. */
export function memorySink(): TextSink & { bytes: () => Buffer; text: () => string; writes: number } {
  const parts: Buffer[] = [];
  const sink = {
    writes: 0,
    write(chunk: string | Uint8Array) {
      sink.writes++;
      parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    },
    commit: async () => undefined,
    abort: async () => undefined,
    bytes: () => Buffer.concat(parts),
    text: () => Buffer.concat(parts).toString('utf8'),
  };
  return sink;
}
