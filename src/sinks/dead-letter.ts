/**
 * The dead-letter file: one JSON line per event that was not delivered, with every attempt, so that nothing is lost
 * without a trace. Written synchronously per record (a crash keeps what was recorded).
 *
 * Line: `{"event":"participantJoined","sessionId":"ses_…","timestamp":…,"reason":"status 500",
 *         "attempts":[{"n":1,"at":"2024-…Z","outcome":"status 500","ms":3.2}],"body":"{…}"}`
 * `body` is the exact text that was (or would have been) POSTed, so the line can be replayed.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OvsimError } from '../errors.js';

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
  records = 0;

  /** @throws OvsimError BAD_INPUT naming `--dead-letter` when the file cannot be created */
  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new OvsimError('BAD_INPUT', `--dead-letter ${path}: cannot be written (${(e as Error).message})`);
    }
  }

  write(d: DeadLetter): void {
    if (this.fd === undefined) return;
    const buf = Buffer.from(JSON.stringify(d) + '\n', 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.records++;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
