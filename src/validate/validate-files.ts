/**
 * `ovsim validate` over files: streams each file line by line (flat memory for multi-GB CDR files, and for
 * lines of any length: see {@link readLines}) through one {@link LifecycleValidator}, so several files are
 * checked as one continuous log in the given order (a CDR file rolled at midnight continues in the next one).
 * Also the output format of the contract.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { OvsimError } from '../errors.js';
import { DEFAULT_MAX_LINE_BYTES, readLines } from './line-reader.js';
import type { Summary } from './validate-lines.js';
import type { Diagnostic } from './rules.js';
import {
  createStreamValidator,
  type StreamSummary,
  type StreamValidatorOptions,
} from './stream-validator.js';
import type { LivekitSummary } from './livekit/livekit-validator.js';
import type { MeetSummary } from './meet/meet-validator.js';

/** Options of {@link validateFiles}. */
export interface ValidateFilesOptions extends StreamValidatorOptions {
  /**
   * Receives each diagnostic as soon as it is found, in input order (a finding that needed an event type not
   * seen yet comes when that type first appears). When given, diagnostics are not collected in the result
   * (memory stays flat however many there are). It may return a promise to hold reading until its consumer has
   * caught up (backpressure); a rejection ends the validation with that error.
   */
  readonly onDiagnostic?: (d: Diagnostic) => void | Promise<void>;
  /** Read this stream for the path `-` (default: `process.stdin`). */
  readonly stdin?: Readable;
  /** Longest line read, in bytes; longer ones are reported (`line-too-long`) and skipped. Default 1 MiB. */
  readonly maxLineBytes?: number;
}

/** Outcome of {@link validateFiles}. */
export interface ValidationResult {
  /** All diagnostics in input order; empty when `onDiagnostic` was given. */
  readonly diagnostics: Diagnostic[];
  readonly summary: StreamSummary;
  /** `true` when no error was found (warnings allowed): the exit status 0 of `ovsim validate`. */
  readonly ok: boolean;
}

/**
 * Validates JSON Lines files as one continuous log: OpenVidu 2 CDR or WebHook lines (the form detected per line),
 * or the webhook bodies of the `server` chosen. The path `-`
 * reads standard input. A file without any line is a warning (`empty-input`): nothing was checked in it.
 * @throws OvsimError `BAD_INPUT` if a path is not a readable file (checked for all paths before reading any),
 *   or for an unsupported `version`; `IO` if a file fails while being read.
 */
export async function validateFiles(
  paths: readonly string[],
  opts: ValidateFilesOptions = {},
): Promise<ValidationResult> {
  const validator = createStreamValidator(opts);
  for (const path of paths) {
    if (path === '-') continue;
    const info = await stat(path).catch((cause: unknown) => {
      throw new OvsimError('BAD_INPUT', `cannot read ${path}: ${(cause as Error).message}`, { cause });
    });
    if (!info.isFile()) throw new OvsimError('BAD_INPUT', `cannot read ${path}: not a file`);
  }
  const diagnostics: Diagnostic[] = [];
  const emit = async (ds: readonly Diagnostic[]): Promise<void> => {
    for (const d of ds) {
      if (opts.onDiagnostic === undefined) diagnostics.push(d);
      else {
        const behind = opts.onDiagnostic(d);
        if (behind !== undefined) await behind;
      }
    }
  };
  const maxBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  for (const path of paths) {
    const input: Readable = path === '-' ? (opts.stdin ?? process.stdin) : createReadStream(path);
    let lineNo = 0;
    try {
      for await (const line of readLines(input, maxBytes)) {
        lineNo = line.lineNo;
        await emit(
          line.kind === 'text'
            ? validator.push(line.text, line.lineNo, path, line.invalidUtf8)
            : validator.pushTooLong(line.lineNo, path, line.bytes, maxBytes),
        );
      }
    } catch (cause) {
      // The consumer's own failure (e.g. its reader went away) is passed on as it is; the rest is the input's.
      if (cause instanceof OvsimError) throw cause;
      throw new OvsimError('IO', `error reading ${path} after line ${lineNo}: ${(cause as Error).message}`, {
        cause,
      });
    } finally {
      if (input !== process.stdin) input.destroy();
    }
    if (lineNo === 0) await emit(validator.noteEmptyInput(path));
  }
  await emit(validator.finish());
  const summary = validator.summary();
  return { diagnostics, summary, ok: summary.errors === 0 };
}

/** `FILE:LINE: RULE: message`, exactly as `ovsim validate` prints a diagnostic (the contract). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.rule}: ${d.message}`;
}

/** A short multi-line human summary (no trailing newline): lines, events by type, entities, errors, warnings. */
export function formatSummary(s: StreamSummary): string {
  if (s.server === 'openvidu3') return formatLivekitSummary(s);
  if (s.server === 'meet') return formatMeetSummary(s);
  const u = s.unterminated;
  const from = s.server === 'openvidu3-v2compat' ? ", sent by OpenVidu 3's v2-compatibility module" : '';
  const lines = [
    `${plural(s.lines, 'line')}, ${plural(s.events, 'event')} (OpenVidu ${s.profile} field set, ${s.profileSource}${from})`,
    `events: ${byType(s)}`,
    formatFilter(s),
    `sessions: ${s.sessions.created} created, ${s.sessions.destroyed} destroyed, ${s.sessions.begunBeforeInput} begun before the input`,
    `open at end of input: ${plural(u.sessions, 'session')}, ${plural(u.participants, 'participant')}, ` +
      `${plural(u.webrtcConnections, 'WebRTC connection')}, ${plural(u.recordings, 'recording')}`,
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`,
  ];
  return lines.join('\n');
}

function formatLivekitSummary(s: LivekitSummary): string {
  const u = s.unterminated;
  return [
    `${plural(s.lines, 'line')}, ${plural(s.events, 'event')} (LiveKit webhooks, ${s.spacing === 'unknown' ? 'comma spacing unknown' : `comma spacing: ${s.spacing}`}), ${plural(s.redeliveries, 'repeated delivery', 'repeated deliveries')}`,
    `events: ${byType(s)}`,
    formatFilter(s),
    `rooms: ${s.rooms.started} started, ${s.rooms.finished} finished, ${s.rooms.begunBeforeInput} begun before the input`,
    `open at end of input: ${plural(u.rooms, 'room')}, ${plural(u.participants, 'participant')}, ${plural(u.tracks, 'track')}, ` +
      `${plural(u.egresses, 'egress', 'egresses')}, ${plural(u.ingresses, 'ingress', 'ingresses')}`,
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`,
  ].join('\n');
}

function formatMeetSummary(s: MeetSummary): string {
  const u = s.unterminated;
  return [
    `${plural(s.lines, 'line')}, ${plural(s.events, 'event')} (OpenVidu Meet webhooks), ${plural(s.redeliveries, 'repeated delivery', 'repeated deliveries')}`,
    `events: ${byType(s)}`,
    formatFilter(s),
    `meetings: ${s.meetings.started} started, ${s.meetings.ended} ended`,
    `open at end of input: ${plural(u.participants, 'participant')}, ${plural(u.recordings, 'recording')}`,
    `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`,
  ].join('\n');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function byType(s: StreamSummary): string {
  const text = Object.entries(s.eventsByType)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  return text === '' ? 'none' : text;
}

/** The summary line about the event filter: given or inferred, and what it made skip. */
export function formatFilter(s: Pick<Summary, 'filter'>): string {
  const f = s.filter;
  const head =
    f.given === undefined
      ? `event filter: none given, inferred from the ${f.present.length} type${f.present.length === 1 ? '' : 's'} present`
      : `event filter: --events ${f.given.join(',')}`;
  const skipped =
    f.skipped === 0
      ? 'no check skipped'
      : `${f.skipped} check${f.skipped === 1 ? '' : 's'} skipped for want of ${f.missing.join(', ')}`;
  return `${head}; ${skipped}`;
}
