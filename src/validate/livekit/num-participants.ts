/**
 * `room.numParticipants` plausibility. The server recomputes the count (`updateProto`), but a room's proto is cached
 * and refreshed late, so webhooks carry stale or missing counts (livekit#2065, #4265): nothing here is an error,
 * only a warning that a consumer must not trust the value. Checked on the events that carry the full room.
 */
import { int, obj, type LkEvent } from './lk-event.js';

export function checkNumParticipants(ev: LkEvent): void {
  if (
    ![
      'room_started',
      'room_finished',
      'participant_joined',
      'participant_left',
      'participant_connection_aborted',
    ].includes(ev.name)
  )
    return;
  const room = obj(ev.body, 'room');
  if (room === undefined) return;
  const n = int(room, 'numParticipants') ?? 0;
  const publishers = int(room, 'numPublishers') ?? 0;
  const max = int(room, 'maxParticipants') ?? 0;
  const lag = "LiveKit's count lags (livekit#2065, #4265): don't rely on it";
  if (ev.name === 'room_started' && n > 0) {
    ev.flag(
      'num-participants',
      `numParticipants ${n} in room_started: the room starts before anyone is in it; ${lag}`,
      'warning',
    );
  }
  if (ev.name === 'room_finished' && n > 0) {
    ev.flag(
      'num-participants',
      `numParticipants ${n} in room_finished, when everyone has left; ${lag}`,
      'warning',
    );
  }
  if (ev.name === 'participant_joined' && n === 0) {
    ev.flag(
      'num-participants',
      `numParticipants 0 (absent) in participant_joined, which counts the one joining; ${lag}`,
      'warning',
    );
  }
  if (publishers > n) {
    ev.flag(
      'num-participants',
      `numPublishers ${publishers} is more than numParticipants ${n}; ${lag}`,
      'warning',
    );
  }
  if (max > 0 && n > max)
    ev.flag('num-participants', `numParticipants ${n} is over the room's maxParticipants ${max}`, 'warning');
}
