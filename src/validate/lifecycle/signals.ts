/**
 * Signals and filter events (spec §2.8, §2.9): a signal goes from a participant (or the server) to a non-empty set
 * of current participants listed in Java HashSet order; a filter event belongs to a publishing participant.
 */
import { isJavaHashSetOrder, javaHashSetOrder } from '../../model/java.js';
import { get, isConnectionId, json, str, type EventInput } from '../event-input.js';
import type { RuleContext } from './context.js';
import { actingParticipant, ownerId } from './participants.js';
import type { Session } from './state.js';
import { checkStreamId } from './webrtc.js';

/** Recipients OpenVidu adds to `to` that are not connections of the session. */
const PSEUDO_PARTICIPANTS: ReadonlySet<string> = new Set(['RECORDER', 'SPEECH_TO_TEXT']);

export function onSignal(ctx: RuleContext, ev: EventInput, session: Session): void {
  const from = get(ev.body, 'from');
  const to = get(ev.body, 'to');
  if (typeof from === 'string') {
    if (!isConnectionId(from)) ctx.flag(ev, 'id-format', `"from" ${json(from)} is not a connection id`);
    else if (session.complete && !session.participants.has(from)) {
      ctx.flag(
        ev,
        'signal-recipients',
        `"from" ${from} is not a participant of session ${session.sessionId}`,
        'error',
        ['participantJoined'],
      );
    }
  }
  if (!Array.isArray(to) || !to.every((t): t is string => typeof t === 'string')) return;
  if (to.length === 0) {
    ctx.flag(ev, 'signal-recipients', '"to" is empty (OpenVidu sends to everyone then and lists them)');
    return;
  }
  if (!checkRecipients(ctx, ev, session, to)) return;
  if (!isJavaHashSetOrder(to)) {
    ctx.flag(
      ev,
      'signal-order',
      `"to" is not in Java HashSet iteration order (expected ${JSON.stringify(javaHashSetOrder(to))})`,
      'warning',
    );
  }
}

/** Each recipient once, a connection of the session; false after a duplicate (the order is then moot). */
function checkRecipients(ctx: RuleContext, ev: EventInput, session: Session, to: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const t of to) {
    if (seen.has(t)) {
      ctx.flag(ev, 'signal-recipients', `"to" lists ${t} twice (it is a Java HashSet)`);
      return false;
    }
    seen.add(t);
    if (PSEUDO_PARTICIPANTS.has(t)) continue;
    if (!isConnectionId(t)) ctx.flag(ev, 'id-format', `"to" entry ${json(t)} is not a connection id`);
    else if (session.complete && !session.participants.has(t)) {
      ctx.flag(
        ev,
        'signal-recipients',
        `"to" includes ${t}, which is not a participant of session ${session.sessionId}`,
        'error',
        ['participantJoined'],
      );
    }
  }
  return true;
}

export function onFilterEvent(ctx: RuleContext, ev: EventInput, session: Session, minor: number): void {
  const owner = ownerId(ctx, ev, minor);
  const streamId = str(ev.body, 'streamId');
  if (owner === undefined) return;
  actingParticipant(ctx, ev, session, owner);
  if (streamId !== undefined) checkStreamId(ctx, ev, streamId, owner);
}
