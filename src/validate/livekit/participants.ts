/**
 * Participants (livekit-server `pkg/telemetry/events.go`, `pkg/service/roommanager.go`): `participant_joined` when a
 * participant becomes ACTIVE, then one end — `participant_left` if it had connected, `participant_connection_aborted`
 * if it never did — and a sid is never reused (a reconnecting client gets a new `PA_`; the old one's late
 * `participant_left` after the new one joined is legal, livekit#2399). What LiveKit documents and is therefore a
 * warning: a second `participant_left` (versions before PR #2672, livekit#2649) and a `participant_left` without a
 * join (versions before PR #1234, livekit#1130, for a participant that never connected).
 */
import { at } from '../event-input.js';
import { int, obj, str, type LkEvent } from './lk-event.js';
import type { LkContext, LkParticipant, LkRoom, ParticipantEnd } from './room-state.js';

export function onParticipantEvent(ctx: LkContext, ev: LkEvent, room: LkRoom): void {
  const p = obj(ev.body, 'participant');
  const sid = str(p, 'sid');
  if (sid === undefined) return;
  const identity = str(p, 'identity') ?? '';
  let known = room.participants.get(sid);
  if (known === undefined) {
    known = { sid, identity, joined: undefined, ended: undefined };
    room.participants.set(sid, known);
  }
  const who = `${identity} (${sid})`;
  if (ev.name === 'participant_joined') onJoined(ev, known, who);
  else onEnd(ctx, ev, ev.name as ParticipantEnd, known, who, int(p, 'joinedAt'));
}

function onJoined(ev: LkEvent, p: LkParticipant, who: string): void {
  if (p.ended !== undefined) {
    ev.flag(
      'participant-lifecycle',
      `participant_joined of ${who} after its ${p.ended.how} (${at(p.ended.where)}): a reconnecting client gets a new sid`,
    );
  } else if (p.joined !== undefined) {
    ev.flag('participant-lifecycle', `participant_joined twice for ${who} (first at ${at(p.joined)})`);
  }
  p.joined ??= ev.where;
}

function onEnd(
  ctx: LkContext,
  ev: LkEvent,
  how: ParticipantEnd,
  p: LkParticipant,
  who: string,
  joinedAt: number | undefined,
): void {
  if (p.ended !== undefined) {
    const duplicate = how === 'participant_left' && p.ended.how === 'participant_left';
    ev.flag(
      'participant-lifecycle',
      duplicate
        ? `participant_left twice for ${who} (first at ${at(p.ended.where)}): LiveKit before PR #2672 sent a duplicate participant_left (livekit#2649)`
        : `${how} of ${who} after its ${p.ended.how} (${at(p.ended.where)}): a participant ends once`,
      duplicate ? 'warning' : 'error',
    );
    return;
  }
  p.ended = { how, where: ev.where };
  if (how === 'participant_connection_aborted') {
    if (p.joined !== undefined) {
      ev.flag(
        'participant-lifecycle',
        `participant_connection_aborted of ${who}, which joined (${at(p.joined)}): it is sent only for a participant that never became active (participant_left otherwise)`,
      );
    }
    return;
  }
  if (p.joined === undefined && ctx.beganInInput(joinedAt)) {
    ev.flag(
      'participant-lifecycle',
      `participant_left of ${who} without participant_joined: LiveKit before PR #1234 (livekit#1130) sent this for a participant that never connected; newer servers send participant_connection_aborted`,
      'warning',
      ['participant_joined'],
    );
  }
}
