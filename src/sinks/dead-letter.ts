/**
 * The dead-letter file: one JSON line per event that was not delivered, with every attempt, so that nothing is lost
 * without a trace. Written synchronously per record (a crash keeps what was recorded).
 *
 * Line: `{"event":"participantJoined","sessionId":"ses_…","timestamp":…,"reason":"status 500",
 *         "attempts":[{"n":1,"at":"2024-…Z","outcome":"status 500","ms":3.2}],"body":"{…}"}`
 * `body` is the exact text that was (or would have been) POSTed, so the line can be replayed.
 *
 * A write that fails (disk full, a device such as /dev/full) never throws into the delivery that called it: the file
 * records the failure, tells its owner once (`onFailure`, which ends the run: a dead-letter file that cannot be
 * written would lose events without a trace) and counts the records it could not keep.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OvsimError } from '../errors.js';
import { makeDirsSync } from './make-dirs.js';

/** One request made for an event. */
export interface AttemptRecord {
  /** 1-based. */
  readonly n: number;
  /** Wall clock ISO 8601 when the request started. */
  readonly at: string;
  /** `status 500`, `timeout`, `refused`, `reset`, `other`. */
  readonly outcome: string;
  /** Duration of the request, ms. */
  readonly ms: number;
}

export interface DeadLetter {
  readonly event: string;
  readonly sessionId: string | undefined;
  /** Virtual timestamp of the event. */
  readonly timestamp: number;
  /** Why it was given up: the last attempt's class, or `unsent: …` when it never went out. */
  readonly reason: string;
  readonly attempts: readonly AttemptRecord[];
  readonly body: string;
}

export class DeadLetterFile {
  private fd: number | undefined;
  /** Records written. */
  records = 0;
  /** Records that could not be written (after a failure). */
  lost = 0;
  /** Bytes of whole records written: a failed write is cut back to here, so the file keeps whole lines only. */
  private bytes = 0;
  /** The first write failure, naming the file (undefined while every write succeeded). */
  failure: OvsimError | undefined;
  /** Told once, on a microtask after the first failed write. */
  onFailure: ((failure: OvsimError) => void) | undefined;

  /** @throws OvsimError BAD_INPUT naming `--dead-letter` when the file cannot be created */
  constructor(readonly path: string) {
    try {
      makeDirsSync(dirname(path));
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new OvsimError('BAD_INPUT', `--dead-letter ${path}: cannot be written (${(e as Error).message})`);
    }
  }

  /** Appends one record; never throws (see the module comment). */
  write(d: DeadLetter): void {
    if (this.fd === undefined || this.failure !== undefined) {
      this.lost++;
      return;
    }
    const buf = Buffer.from(JSON.stringify(d) + '\n', 'utf8');
    let off = 0;
    try {
      // Bounded: each round writes at least one byte or throws.
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.lost++;
      if (off > 0) truncateTo(this.fd, this.bytes);
      this.failure = new OvsimError(
        'IO',
        `--dead-letter ${this.path}: write failed after ${this.records} record(s) (${(e as Error).message})`,
        { cause: e },
      );
      // Told after this write returns: the owner stops the run, which must not re-enter the delivery that is
      // settling the event just given up.
      const failure = this.failure;
      queueMicrotask(() => this.onFailure?.(failure));
      return;
    }
    this.bytes += buf.length;
    this.records++;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (e) {
      this.failure ??= new OvsimError('IO', `--dead-letter ${this.path}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
}

/** Best effort: a device (e.g. /dev/full) cannot be truncated, and then has nothing torn to cut either. */
function truncateTo(fd: number, bytes: number): void {
  try {
    ftruncateSync(fd, bytes);
  } catch {
    // Nothing more can be done about a file that refuses both writes and truncation; the failure is reported.
  }
}
