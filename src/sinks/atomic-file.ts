/**
 * Output files. A regular file (or a new one) is written to a temporary sibling and renamed into place only on
 * success: a failed or interrupted run leaves nothing half-written behind. A symbolic link is followed first (the file
 * it points to is replaced, the link stays), and anything that is not a regular file — a device such as /dev/null,
 * a FIFO — is written through, as a shell's `>` would, never replaced. Writes respect back-pressure; a failed write
 * (a full disk) is reported with the file and the cause.
 */
import { createWriteStream, type Stats, type WriteStream } from 'node:fs';
import { chmod, lstat, readlink, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { OvsimError } from '../errors.js';
import { describeFsError, makeDirs } from './make-dirs.js';

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

/** Symbolic links followed at most (Linux's own limit), so a loop of links is an error, not a hang. */
const MAX_LINKS = 40;

/**
 * Opens `path` for output: atomically for a regular or new file, written through for a device or FIFO.
 * @throws OvsimError IO naming the path when it cannot be written (a directory, a missing parent that cannot be made)
 */
export async function openAtomicFile(path: string): Promise<TextSink> {
  const { file, stats } = await followLinks(path);
  if (stats?.isDirectory()) throw new OvsimError('IO', `cannot write ${path}: it is a directory`);
  if (stats !== undefined && !stats.isFile()) return openThrough(path, file);
  const dir = dirname(file);
  await makeDirs(dir);
  // Beside the target, so the rename stays on one file system; the name is cut to fit NAME_MAX.
  const tmp = join(dir, `.ovsim-tmp-${process.pid}-${basename(file).slice(0, 200)}`);
  // Up to 1 MiB queued before back-pressure: the generator goes on while the previous chunk is on its way to the disk
  // (with the default 16 KiB every 64 KiB chunk waited for the disk, leaving the thread idle).
  const stream = createWriteStream(tmp, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
  const out = await watchStream(stream, path);
  // The file keeps its permissions when it is replaced.
  if (stats !== undefined) await chmod(tmp, stats.mode & 0o7777).catch(() => undefined);
  return {
    write: (chunk, done) => out.write(chunk, done),
    async commit() {
      await out.end();
      await rename(tmp, file).catch((e: unknown) => {
        throw new OvsimError('IO', `cannot write ${path}: ${describeFsError(e)}`, { cause: e });
      });
    },
    async abort() {
      stream.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** The file `path` names once its symbolic links are followed, and its stats (undefined: it does not exist yet). */
async function followLinks(path: string): Promise<{ file: string; stats: Stats | undefined }> {
  let file = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let stats: Stats;
    try {
      stats = await lstat(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file, stats: undefined };
      throw new OvsimError('IO', `cannot write ${path}: ${describeFsError(e)}`, { cause: e });
    }
    if (!stats.isSymbolicLink()) return { file, stats };
    file = resolve(dirname(file), await readlink(file));
  }
  throw new OvsimError('IO', `cannot write ${path}: more than ${MAX_LINKS} symbolic links to follow`);
}

/** A device or FIFO: opened and written as it is (what was written cannot be taken back). */
async function openThrough(path: string, file: string): Promise<TextSink> {
  const stream = createWriteStream(file, { flags: 'w', highWaterMark: 1024 * 1024 });
  const out = await watchStream(stream, path);
  return {
    write: (chunk, done) => out.write(chunk, done),
    commit: () => out.end(),
    async abort() {
      stream.destroy();
    },
  };
}

/** A write stream whose failures — at open, at any write or at the end — become one IO error naming `path`. */
async function watchStream(stream: WriteStream, path: string) {
  const fail = (e: unknown) =>
    new OvsimError('IO', `cannot write ${path}: ${describeFsError(e)}`, { cause: e });
  await once(stream, 'open').catch((e: unknown) => {
    throw fail(e);
  });
  let failed: OvsimError | undefined;
  stream.on('error', (e) => (failed ??= fail(e)));
  return {
    write(chunk: string | Uint8Array, done?: () => void): Promise<void> | void {
      if (failed) throw failed;
      const written = done === undefined ? stream.write(chunk) : stream.write(chunk, () => done());
      if (written) return;
      // Settles on 'drain', or rejects on the stream's error (a full disk while the queue was full).
      return once(stream, 'drain').then(
        () => undefined,
        (e: unknown) => {
          throw failed ?? fail(e);
        },
      );
    },
    async end(): Promise<void> {
      if (failed) throw failed;
      await new Promise<void>((done, reject) => {
        stream.end((e?: Error | null) => (e ? reject(failed ?? fail(e)) : done()));
      });
      if (failed) throw failed;
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
