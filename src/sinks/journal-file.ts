/**
 * The file of the delivery journal: JSON Lines written as they come, in chunks (a busy load test makes a request
 * record per request), and flushed at least every 200 ms and at the end, so an interrupted run keeps what it did.
 *
 * A write that fails never throws into the delivery that recorded: the file keeps its whole lines (a torn one is cut
 * back), remembers the failure, tells its owner once (`onFailure`: the run stops, since a fault that cannot be
 * journaled must not be injected) and counts the records it could not keep.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OvsimError } from '../errors.js';
import type { JournalRecord } from './journal-schema.js';
import { makeDirsSync } from './make-dirs.js';

const CHUNK = 64 * 1024;

export class JournalFile {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;
  private readonly timer: NodeJS.Timeout;
  /** Records written or waiting to be. */
  records = 0;
  /** Records that could not be written (after a failure). */
  lost = 0;
  failure: OvsimError | undefined;
  onFailure: ((failure: OvsimError) => void) | undefined;

  /** @throws OvsimError BAD_INPUT naming `--journal` when the file cannot be created */
  constructor(readonly path: string) {
    try {
      makeDirsSync(dirname(path));
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new OvsimError('BAD_INPUT', `--journal ${path}: cannot be written (${(e as Error).message})`);
    }
    this.timer = setInterval(() => this.flush(), 200);
    this.timer.unref();
  }

  /** Appends one record; never throws (see the module comment). */
  write(record: JournalRecord): void {
    if (this.fd === undefined || this.failure !== undefined) {
      this.lost++;
      return;
    }
    const line = JSON.stringify(record) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.records++;
    if (this.pendingBytes >= CHUNK) this.flush();
  }

  /** Writes what is pending. */
  flush(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    const count = this.pending.length;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.failure !== undefined) {
      this.lost += count;
      return;
    }
    let off = 0;
    try {
      // Bounded: each round writes at least one byte or throws.
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
      this.written += buf.length;
    } catch (e) {
      this.lost += count;
      this.records -= count;
      if (off > 0) truncateTo(this.fd, this.written);
      this.failure = new OvsimError(
        'IO',
        `--journal ${this.path}: write failed after ${this.records} record(s) (${(e as Error).message})`,
        { cause: e },
      );
      const failure = this.failure;
      queueMicrotask(() => this.onFailure?.(failure));
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (e) {
      this.failure ??= new OvsimError('IO', `--journal ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }
}

function truncateTo(fd: number, bytes: number): void {
  try {
    ftruncateSync(fd, bytes);
  } catch {
    // A device cannot be truncated; the failure is reported either way.
  }
}
