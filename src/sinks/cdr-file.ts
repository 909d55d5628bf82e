/**
 * The CDR file as OpenVidu writes it (spec §6): `CDR.<yyyy-MM-dd>_<HH-mm-ss>.log` in OPENVIDU_CDR_PATH, one
 * `{"<event>":{…}}` line per event, every event (the webhook filter does not apply), appended, a new file each day.
 *
 * Time zone: OpenVidu uses the server's local zone; ovsim uses **UTC** for both parts of the name so that the same
 * scenario, seed and start give the same file names on every machine (the official Docker image runs in UTC too).
 * `HH-mm-ss` is the virtual server start, fixed for the run; the date is the current virtual day.
 *
 * Durability: every batch is written with one synchronous `write(2)` before the next batch runs, so a crash of ovsim
 * loses nothing already emitted (it is in the kernel's page cache).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch } from '../engine/engine.js';
import { OvsimError } from '../errors.js';
import type { CdrEvent } from '../model/catalogue.js';
import type { Profile } from '../model/profile.js';

const DAY_MS = 86_400_000;

/** `yyyy-MM-dd` of a UTC instant. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `HH-mm-ss` of a UTC instant. */
export function utcTimeOfDay(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19).replaceAll(':', '-');
}

/** The file name for virtual day `now` of a server started at `serverStart` (both ms since the epoch, UTC). */
export function cdrFileName(serverStart: number, now: number): string {
  return `CDR.${utcDate(now)}_${utcTimeOfDay(serverStart)}.log`;
}

export interface CdrFileSinkOptions {
  /** OPENVIDU_CDR_PATH. Created if missing. */
  readonly dir: string;
  /** Virtual server start (ms since the epoch): fixes the `HH-mm-ss` part and the first file's date. */
  readonly serverStart: number;
  readonly profile: Profile;
}

/** Appends CDR lines to the current day's file, rolling over at each virtual UTC midnight. */
export class CdrFileSink {
  private readonly dir: string;
  private readonly serverStart: number;
  private readonly profile: Profile;
  private fd: number | undefined;
  private dayEnd = 0;
  /** The virtual clock of the logger: never goes back, though some events carry earlier timestamps (spec §2.5). */
  private clock: number;
  /** Every file written to, in order. */
  readonly files: string[] = [];
  lines = 0;

  /**
   * Opens (creates or appends to) the first file at once, as OpenVidu does at startup.
   * @throws OvsimError BAD_INPUT naming OPENVIDU_CDR_PATH when the folder cannot be written
   */
  constructor(options: CdrFileSinkOptions) {
    this.dir = options.dir;
    this.serverStart = options.serverStart;
    this.profile = options.profile;
    this.clock = options.serverStart;
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new OvsimError(
        'BAD_INPUT',
        `OPENVIDU_CDR_PATH=${this.dir}: cannot be created (${(e as Error).message})`,
      );
    }
    this.open(this.clock);
  }

  /** The file being written now. */
  get currentFile(): string | undefined {
    return this.files[this.files.length - 1];
  }

  /** Writes the batch's events (one write per day file touched). */
  writeBatch(batch: Batch): void {
    let chunk = '';
    this.clock = Math.max(this.clock, batch.at);
    for (const event of batch.events) {
      const line = this.profile.serializeCdr(event);
      if (line === undefined) continue;
      const t = Math.max(this.clock, loggedAt(event));
      if (t >= this.dayEnd) {
        this.flush(chunk);
        chunk = '';
        this.roll(t);
      }
      this.clock = t;
      chunk += line + '\n';
      this.lines++;
    }
    this.flush(chunk);
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(chunk: string): void {
    if (chunk === '' || this.fd === undefined) return;
    const buf = Buffer.from(chunk, 'utf8');
    let off = 0;
    // writeSync may write less than asked; bounded: each round writes ≥ 1 byte or throws.
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }

  private roll(t: number): void {
    this.close();
    this.open(t);
  }

  private open(t: number): void {
    const path = join(this.dir, cdrFileName(this.serverStart, t));
    try {
      this.fd = openSync(path, 'a');
    } catch (e) {
      throw new OvsimError(
        'BAD_INPUT',
        `OPENVIDU_CDR_PATH=${this.dir}: cannot write ${path} (${(e as Error).message})`,
      );
    }
    this.dayEnd = (Math.floor(t / DAY_MS) + 1) * DAY_MS;
    this.files.push(path);
  }
}

function loggedAt(event: CdrEvent): number {
  return event.data.timestamp;
}
