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
 *
 * Retention (logback 1.2 `TimeBasedRollingPolicy` with `MaxHistory 30`, `TotalSizeCap 20GB`, as openvidu-server's
 * logback-spring.xml configures it), applied at each roll-over on the virtual clock — see {@link CdrFileSink}.
 *
 * Console echo: OpenVidu's root console appender also prints each CDR line on stdout (logger additivity), with the
 * pattern `[%p] %d [%.80t] %c - %msg%n` — see {@link formatCdrConsoleLine}.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch, Cause } from '../engine/engine.js';
import { OvsimError } from '../errors.js';
import type { CdrEvent } from '../model/catalogue.js';
import type { Profile } from '../model/profile.js';
import { describeFsError, makeDirsSync } from './make-dirs.js';

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

/** logback `MaxHistory` of OpenVidu's CDR appender: days of archived files kept besides the current one. */
export const CDR_MAX_HISTORY = 30;
/** logback `TotalSizeCap 20GB` of OpenVidu's CDR appender, bytes (logback's GB is 1024³). */
export const CDR_TOTAL_SIZE_CAP = 20 * 1024 ** 3;
/**
 * At the first clean-up after start logback looks this many periods back (its `INACTIVITY_TOLERANCE` of 32 days,
 * `periodBarriersCrossed(now, now + 32 days)`), since it does not know when it last cleaned.
 */
const FIRST_CLEAN_PERIODS = 32;

/** The logger name OpenVidu's console pattern prints (`%c`). */
export const CDR_LOGGER = 'io.openvidu.server.cdr.CDRLoggerFile';

/** `yyyy-MM-dd HH:mm:ss,SSS` (logback's `%d`, ISO8601 style) of a UTC instant. */
export function logbackDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

/**
 * One console line as openvidu-server 2.x prints it for a CDR message: pattern `[%p] %d [%.80t] %c - %msg%n`
 * (logback-spring.xml, `logging.colors` off), e.g.
 * `[INFO] 2024-01-01 00:00:05,000 [http-nio-5443-exec-1] io.openvidu.server.cdr.CDRLoggerFile - {"sessionCreated":{…}}`.
 * `at` is the virtual instant (UTC, as the file names), `thread` at most 80 characters (longer names lose their
 * beginning, as logback's `%.80t` does).
 */
export function formatCdrConsoleLine(line: string, at: number, thread: string): string {
  const t = thread.length > 80 ? thread.slice(thread.length - 80) : thread;
  return `[INFO] ${logbackDate(at)} [${t}] ${CDR_LOGGER} - ${line}\n`;
}

/**
 * The Java thread that would have logged a cascade. ovsim has no threads, so it names the one OpenVidu 2.32 (Spring
 * Boot 2.7, Tomcat on SERVER_PORT 5443 as in the Docker deployments) uses for that kind of work: the JVM shutdown
 * hook for the `stopServer` cascade, Spring's scheduler for timers, and Tomcat's request pool (cycling over its 10
 * core threads, deterministic per run) for REST and WebSocket requests.
 */
export function cdrThreadName(cause: Cause, requestNumber: number): string {
  if (cause.kind === 'timer') return 'scheduling-1';
  if (cause.action.type === 'stopServer') return 'SpringApplicationShutdownHook';
  return `http-nio-5443-exec-${(requestNumber % 10) + 1}`;
}

export interface CdrFileSinkOptions {
  /** OPENVIDU_CDR_PATH. Created if missing. */
  readonly dir: string;
  /** Virtual server start (ms since the epoch): fixes the `HH-mm-ss` part and the first file's date. */
  readonly serverStart: number;
  readonly profile: Profile;
  /** Archived days kept besides the current one (logback `MaxHistory`); default {@link CDR_MAX_HISTORY} (30). */
  readonly maxHistory?: number | undefined;
  /** Bytes all of this run's CDR files may take (logback `TotalSizeCap`); default {@link CDR_TOTAL_SIZE_CAP} (20 GiB). */
  readonly totalSizeCap?: number | undefined;
  /**
   * Receives OpenVidu's console lines for the CDR messages ({@link formatCdrConsoleLine}), one call per batch with
   * every line of it, in file order; default none (no echo).
   */
  readonly echo?: ((text: string) => void) | undefined;
}

/**
 * Appends CDR lines to the current day's file, rolling over at each virtual UTC midnight.
 *
 * Retention, as logback 1.2's `TimeBasedArchiveRemover` does it at each roll-over into day D (never at start:
 * OpenVidu does not set `cleanHistoryOnStart`):
 * - MaxHistory: for each day boundary crossed since the last clean-up (32 at the first one), it deletes **this run's
 *   file of day D − 31 − i** — so the current file and the 30 previous days' files are kept (31 dates in all), and a
 *   run idle for days still removes every expired date. Only names logback itself would produce are touched:
 *   `CDR.<date>_<this run's HH-mm-ss>.log`. Files of earlier runs (another `HH-mm-ss`) and any other file are never
 *   deleted, exactly like OpenVidu, whose pattern embeds the start time.
 * - TotalSizeCap: walking this run's files from day D back to D − 29 (newest first), once the running total of sizes
 *   exceeds the cap, that file and every older one are deleted. Unlike logback, the file being written is never
 *   deleted (logback would unlink it and keep writing into the void); its size still counts.
 * Logback does this on a background thread; ovsim does it synchronously so that a run's outcome is deterministic.
 */
export class CdrFileSink {
  private readonly dir: string;
  private readonly serverStart: number;
  private readonly profile: Profile;
  private readonly maxHistory: number;
  private readonly totalSizeCap: number;
  private readonly echo: ((text: string) => void) | undefined;
  private fd: number | undefined;
  /** Bytes of whole lines in the current file: where a failed write is cut back to. */
  private size = 0;
  private dayEnd = 0;
  /** The virtual clock of the logger: never goes back, though some events carry earlier timestamps (spec §2.5). */
  private clock: number;
  /** Virtual time of the last clean-up (logback's `lastHeartBeat`); undefined before the first roll-over. */
  private lastClean: number | undefined;
  /** Action batches seen, to name the Tomcat thread of the echo. */
  private requests = 0;
  /** Every file written to, in order. */
  readonly files: string[] = [];
  /** Files deleted by retention (MaxHistory or TotalSizeCap), in order. */
  readonly deleted: string[] = [];
  lines = 0;

  /**
   * Opens (creates or appends to) the first file at once, as OpenVidu does at startup.
   * @throws OvsimError BAD_INPUT naming OPENVIDU_CDR_PATH when the folder cannot be written
   */
  constructor(options: CdrFileSinkOptions) {
    this.dir = options.dir;
    this.serverStart = options.serverStart;
    this.profile = options.profile;
    this.maxHistory = options.maxHistory ?? CDR_MAX_HISTORY;
    this.totalSizeCap = options.totalSizeCap ?? CDR_TOTAL_SIZE_CAP;
    this.echo = options.echo;
    this.clock = options.serverStart;
    try {
      makeDirsSync(this.dir);
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
    let echoed = '';
    const thread = this.echo ? cdrThreadName(batch.cause, this.requests) : '';
    if (batch.cause.kind === 'action') this.requests++;
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
      if (this.echo) echoed += formatCdrConsoleLine(line, t, thread);
      this.lines++;
    }
    this.flush(chunk);
    if (this.echo && echoed !== '') this.echo(echoed);
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * Appends whole lines. When the disk refuses part of them (full, over a size limit), the file is cut back to its
   * last whole line and the run ends with an error naming the file and the cause.
   * @throws OvsimError IO
   */
  private flush(chunk: string): void {
    if (chunk === '' || this.fd === undefined) return;
    const buf = Buffer.from(chunk, 'utf8');
    let off = 0;
    try {
      // writeSync may write less than asked; bounded: each round writes ≥ 1 byte or throws.
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // Not a regular file (a device): nothing to cut back.
      }
      throw new OvsimError('IO', `cannot write ${this.currentFile ?? this.dir}: ${describeFsError(e)}`, {
        cause: e,
      });
    }
    this.size += buf.length;
  }

  private roll(t: number): void {
    this.close();
    this.open(t);
    this.cleanHistory(t);
    this.capTotalSize(t);
  }

  /** This run's file for UTC day number `day` (days since the epoch). */
  private fileOfDay(day: number): string {
    return join(this.dir, cdrFileName(this.serverStart, day * DAY_MS));
  }

  /** MaxHistory: deletes this run's files of the days that just fell out of the window (see the class comment). */
  private cleanHistory(now: number): void {
    const today = Math.floor(now / DAY_MS);
    const periods =
      this.lastClean === undefined ? FIRST_CLEAN_PERIODS : today - Math.floor(this.lastClean / DAY_MS);
    this.lastClean = now;
    // Bounded: `periods` is the number of virtual days elapsed (or 32), one stat per day.
    for (let i = 0; i < periods; i++) this.deleteIfFile(this.fileOfDay(today - this.maxHistory - 1 - i));
  }

  /** TotalSizeCap: newest first, everything from the file that makes the total exceed the cap on is deleted. */
  private capTotalSize(now: number): void {
    const today = Math.floor(now / DAY_MS);
    const current = this.currentFile;
    let total = 0;
    for (let offset = 0; offset < this.maxHistory; offset++) {
      const path = this.fileOfDay(today - offset);
      const size = sizeOfFile(path);
      if (size === undefined) continue;
      if (total + size > this.totalSizeCap && path !== current) this.deleteIfFile(path);
      // As logback: a deleted file's size still counts, so every older file goes too.
      total += size;
    }
  }

  private deleteIfFile(path: string): void {
    if (sizeOfFile(path) === undefined) return;
    try {
      unlinkSync(path);
      this.deleted.push(path);
    } catch {
      // Logback only warns when a deletion fails; the run goes on.
    }
  }

  private open(t: number): void {
    const path = join(this.dir, cdrFileName(this.serverStart, t));
    try {
      this.fd = openSync(path, 'a');
      this.size = fstatSync(this.fd).size;
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

/** Size in bytes of a regular file, undefined when `path` is missing or not a regular file. */
function sizeOfFile(path: string): number | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

function loggedAt(event: CdrEvent): number {
  return event.data.timestamp;
}
