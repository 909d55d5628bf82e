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

/**
 * Raised by the stdout sink once the reader has gone (`ovsim generate … | head`): not a failure — whoever reads has
 * what they wanted — so the command stops generating and ends quietly.
 */
export class OutputClosed extends OvsimError {
  constructor(cause: unknown) {
    super('IO', 'standard output was closed by its reader', { cause });
  }
}

/**
 * Standard output as a sink (nothing to roll back once written). When the reader goes away (EPIPE), the next
 * write — or the wait for the stream to drain — fails with `OutputClosed`.
 */
export function stdoutSink(stream: NodeJS.WritableStream = process.stdout): TextSink {
  let closed: OvsimError | undefined;
  let wake: ((e: OvsimError) => void) | undefined;
  const onError = (e: NodeJS.ErrnoException) => {
    closed ??=
      e.code === 'EPIPE'
        ? new OutputClosed(e)
        : new OvsimError('IO', `cannot write to standard output: ${e.message}`, { cause: e });
    wake?.(closed);
  };
  stream.on('error', onError);
  return {
    write(chunk, done) {
      if (closed) throw closed;
      if (stream.write(chunk, done === undefined ? undefined : () => done())) return;
      return new Promise<void>((resolve, reject) => {
        wake = reject;
        stream.once('drain', () => {
          wake = undefined;
          resolve();
        });
      });
    },
    commit: async () => {
      stream.off('error', onError);
      if (closed) throw closed;
    },
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
