/**
 * A file written to a temporary sibling and renamed into place only on success: a failed or interrupted run leaves
 * nothing half-written behind. Writes respect back-pressure.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { OvsimError } from '../errors.js';

export interface TextSink {
  /**
   * Writes a chunk (text as UTF-8, or bytes); resolves at once unless the stream asks to wait (back-pressure).
   * `done`, when given, is called once the sink no longer needs the chunk (its bytes may then be reused).
   */
  write(chunk: string | Uint8Array, done?: () => void): Promise<void> | void;
  /** Flushes and publishes the output. */
  commit(): Promise<void>;
  /** Discards everything written. */
  abort(): Promise<void>;
}

export async function openAtomicFile(path: string): Promise<TextSink> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw new OvsimError('IO', `cannot create directory ${dir}: ${(e as Error).message}`);
  });
  const tmp = join(dir, `.ovsim-tmp-${process.pid}-${basename(path)}`);
  // Up to 1 MiB queued before back-pressure: the generator goes on while the previous chunk is on its way to the disk
  // (with the default 16 KiB every 64 KiB chunk waited for the disk, leaving the thread idle).
  const stream = createWriteStream(tmp, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  await once(stream, 'open').catch((e: unknown) => {
    throw new OvsimError('IO', `cannot write ${path}: ${(e as Error).message}`);
  });
  let failed: Error | undefined;
  stream.on('error', (e) => (failed = e));
  return {
    write: (chunk, done) => writeWithBackpressure(stream, chunk, done),
    async commit() {
      await endStream(stream);
      if (failed) throw new OvsimError('IO', `cannot write ${path}: ${failed.message}`);
      await rename(tmp, path);
    },
    async abort() {
      stream.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** Standard output as a sink (nothing to roll back once written). */
export function stdoutSink(): TextSink {
  return {
    write: (chunk, done) => writeWithBackpressure(process.stdout, chunk, done),
    commit: async () => undefined,
    abort: async () => undefined,
  };
}

function writeWithBackpressure(
  stream: NodeJS.WritableStream,
  chunk: string | Uint8Array,
  done: (() => void) | undefined,
): Promise<void> | void {
  const written = done === undefined ? stream.write(chunk) : stream.write(chunk, () => done());
  if (!written) return once(stream, 'drain').then(() => undefined);
}

async function endStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.end((e?: Error | null) => (e ? reject(e) : resolve()));
  });
}
