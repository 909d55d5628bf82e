/**
 * How `serve --log` prints: readable lines (`text`), or one JSON object per request and per cascade (`json`), on
 * stdout while the startup messages stay on stderr.
 *
 *   14:02:07.131  POST /openvidu/api/sessions/ses_A/connection  200  3 ms
 *   14:02:09.420  · participantJoined ses_A con_B            (client con_B join)
 */
import type { LogEntry } from '../server/event-log.js';
import type { LoggedCascade, LoggedRequest, ServerLog } from '../server/request-log.js';
import { paint, type CliIo, type TextStyle } from './io.js';

export type ServeLogFormat = 'text' | 'json';

export function serveLog(io: CliIo, format: ServeLogFormat): ServerLog {
  return format === 'json' ? jsonLog(io) : textLog(io);
}

function textLog(io: CliIo): ServerLog {
  const out = (format: TextStyle, text: string) => paint(io, 'stdout', format, text);
  const time = (at: number) => out('dim', new Date(at).toISOString().slice(11, 23));
  const event = (e: LogEntry) => `${out('cyan', e.name)}${describeEvent(e)}`;
  return {
    request(r: LoggedRequest) {
      const status =
        r.status === undefined
          ? out('red', 'closed before an answer')
          : out(statusStyle(r.status), String(r.status));
      const lines = [
        `${time(r.at)}  ${out('bold', r.method)} ${r.url}  ${status}  ${formatDuration(r.durationMs)}`,
        ...r.events.map((e) => `${' '.repeat(14)}→ ${event(e)}`),
      ];
      io.stdout(lines.join('\n') + '\n');
    },
    cascade(c: LoggedCascade) {
      const lines = c.events.map((e) => `${time(c.at)}  · ${event(e)}  ${out('dim', `(${c.cause})`)}`);
      io.stdout(lines.join('\n') + '\n');
    },
    refused(at: number, message: string) {
      io.stdout(`${time(at)}  ${out('yellow', 'refused')} ${message}\n`);
    },
  };
}

function jsonLog(io: CliIo): ServerLog {
  const line = (value: object) => io.stdout(JSON.stringify(value) + '\n');
  return {
    request: (r) =>
      line({
        time: new Date(r.at).toISOString(),
        type: 'request',
        method: r.method,
        url: r.url,
        status: r.status ?? null,
        ms: Math.round(r.durationMs * 10) / 10,
        events: r.events.map(eventJson),
      }),
    cascade: (c) =>
      line({
        time: new Date(c.at).toISOString(),
        type: 'cascade',
        cause: c.cause,
        events: c.events.map(eventJson),
      }),
    refused: (at, message) => line({ time: new Date(at).toISOString(), type: 'refused', message }),
  };
}

/** An event as JSON: its name, virtual timestamp and session, and the WebHook body OpenVidu would POST. */
function eventJson(e: LogEntry): object {
  return {
    event: e.name,
    timestamp: e.timestamp,
    sessionId: e.sessionId,
    body: e.webhook === null ? null : (JSON.parse(e.webhook) as unknown),
  };
}

/** ` ses_A con_B reason=disconnect`: the fields that tell two events of one name apart. */
function describeEvent(e: LogEntry): string {
  const body = bodyOf(e);
  const parts = [
    e.sessionId,
    body['connectionId'] ?? body['participantPublicId'],
    body['status'] === undefined ? undefined : `status=${String(body['status'])}`,
    body['reason'] === undefined || body['reason'] === '' ? undefined : `reason=${String(body['reason'])}`,
  ];
  return parts
    .filter((p) => p !== undefined && p !== null)
    .map((p) => ` ${String(p)}`)
    .join('');
}

function bodyOf(e: LogEntry): Record<string, unknown> {
  try {
    if (e.webhook !== null) return JSON.parse(e.webhook) as Record<string, unknown>;
    if (e.cdr !== null)
      return Object.values(JSON.parse(e.cdr) as Record<string, object>)[0] as Record<string, unknown>;
  } catch {
    // an event without a readable body is shown by its name alone
  }
  return {};
}

function statusStyle(status: number): TextStyle {
  return status >= 500 ? 'red' : status >= 400 ? 'yellow' : 'green';
}

function formatDuration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
