/**
 * Tracks: one `track_published` then at most one `track_unpublished` per `TR_` sid, by the same participant. A track
 * closes with its participant, possibly after the participant's `participant_left` (the track's close callback runs
 * on its own), so that order is legal; publishing after leaving is not expected and is a warning.
 */
import { at } from '../event-input.js';
import { obj, str, type LkEvent } from './lk-event.js';
import type { LkRoom } from './room-state.js';

export function onTrackEvent(ev: LkEvent, room: LkRoom): void {
  const sid = str(obj(ev.body, 'track'), 'sid');
  const participantSid = str(obj(ev.body, 'participant'), 'sid');
  if (sid === undefined || participantSid === undefined) return;
  const track = room.tracks.get(sid);
  const owner = room.participants.get(participantSid);
  if (ev.name === 'track_published') {
    if (track !== undefined) {
      ev.flag(
        'track-lifecycle',
        track.unpublished !== undefined
          ? `track_published of ${sid} after its track_unpublished (${at(track.unpublished)}): a track sid is never reused`
          : `track_published twice for ${sid} (first at ${at(track.published)})`,
      );
      return;
    }
    if (owner?.ended !== undefined) {
      ev.flag(
        'track-lifecycle',
        `track_published by ${participantSid} after its ${owner.ended.how} (${at(owner.ended.where)})`,
        'warning',
      );
    }
    room.tracks.set(sid, { sid, participantSid, published: ev.where, unpublished: undefined });
    return;
  }
  if (track === undefined) {
    if (owner?.joined !== undefined) {
      ev.flag(
        'track-lifecycle',
        `track_unpublished of ${sid} without track_published, though ${participantSid} joined inside the input (${at(owner.joined)})`,
        'error',
        ['track_published'],
      );
    }
    room.tracks.set(sid, { sid, participantSid, published: ev.where, unpublished: ev.where });
    return;
  }
  if (track.unpublished !== undefined) {
    ev.flag('track-lifecycle', `track_unpublished twice for ${sid} (first at ${at(track.unpublished)})`);
    return;
  }
  if (track.participantSid !== participantSid) {
    ev.flag(
      'field-mismatch',
      `track ${sid} was published by ${track.participantSid} (${at(track.published)}) but is unpublished by ${participantSid}`,
    );
  }
  track.unpublished = ev.where;
}
