/**
 * `serve --server openvidu3 --log`: each LiveKit event as OpenVidu 3 sends it, on stdout — a readable line, or one
 * JSON object with the exact body. (OpenVidu 2's `--log` lines name OpenVidu 2 events; these name LiveKit's.)
 *
 *   14:02:09.420  · participant_joined ses_A alice PA_x1  (late-left-after-reconnect)
 */
import type { WebhookEvent } from '../model/livekit/webhook-event.js';
import type { LivekitEventEntry } from '../server/livekit-view-types.js';
import { paint, type CliIo } from './io.js';
import type { ServeLogFormat } from './serve-log.js';

export function livekitServeLog(
  io: CliIo,
  format: ServeLogFormat,
  now: () => number = Date.now,
): (e: WebhookEvent, entry: LivekitEventEntry) => void {
  if (format === 'json')
    return (_e, entry) =>
      io.stdout(
        JSON.stringify({
          time: new Date(now()).toISOString(),
          type: 'livekit',
          event: entry.event,
          at: entry.at,
          body: JSON.parse(entry.body) as unknown,
        }) + '\n',
      );
  return (e, entry) => {
    const who = [entry.roomName, entry.subject, e.participant?.sid ?? e.track?.sid].filter(Boolean).join(' ');
    const notes =
      entry.notes.length > 0 ? `  ${paint(io, 'stdout', 'yellow', `(${entry.notes.join(', ')})`)}` : '';
    io.stdout(
      `${paint(io, 'stdout', 'dim', new Date(now()).toISOString().slice(11, 23))}  · ` +
        `${paint(io, 'stdout', 'cyan', entry.event)} ${who}${notes}\n`,
    );
  };
}
