/**
 * Participants (spec §2.3, §2.4, §4.2): who joins and leaves a session, with the same fields both times, leaving
 * no WebRTC connection behind; and which connection owns an event.
 */
import { at, excerpt, int, isConnectionId, json, str, type EventInput } from '../event-input.js';
import { bodyKeys } from '../wire-layout.js';
import type { RuleContext } from './context.js';
import { cascadeReason, reportMissingStart } from './end-events.js';
import { firstDifference, snapshot, type Session } from './state.js';

/** What participantLeft must repeat of participantJoined: the participant fields of the catalogue. */
const PARTICIPANT_KEYS = bodyKeys('participantJoined');

export function onParticipantJoined(ctx: RuleContext, ev: EventInput, session: Session, minor: number): void {
  const b = ev.body;
  const owner = ownerId(ctx, ev, minor);
  if (owner === undefined) return;
  const platform = str(b, 'platform');
  if ((platform === 'IPCAM') !== owner.startsWith('ipc_')) {
    ctx.flag(
      ev,
      'id-format',
      platform === 'IPCAM'
        ? `IP camera connection ${owner} does not have an ipc_ id`
        : `connection ${owner} has an IP camera id but platform ${json(platform)}`,
    );
  }
  if (session.closing !== undefined) {
    ctx.flag(
      ev,
      'cascade',
      `participantJoined while session ${session.sessionId} is being closed ("${session.closing.reason}" at ${at(session.closing.where)})`,
    );
  }
  const existing = session.participants.get(owner);
  if (existing !== undefined) {
    ctx.flag(
      ev,
      'pairing',
      `participant ${owner} joined twice (already in the session at ${at(existing.where)})`,
      'error',
      ['participantLeft'],
    );
    if (ctx.mayHold('participantLeft')) return;
  }
  session.everJoined = true;
  session.participants.set(owner, {
    where: ev.where,
    joinedAt: int(b, 'timestamp'),
    implicit: false,
    fields: snapshot(b, PARTICIPANT_KEYS),
  });
}

export function onParticipantLeft(ctx: RuleContext, ev: EventInput, session: Session, minor: number): void {
  const b = ev.body;
  const owner = ownerId(ctx, ev, minor);
  if (owner === undefined) return;
  const startTime = int(b, 'startTime');
  const reason = str(b, 'reason');
  const p = session.participants.get(owner);
  if (p === undefined || p.implicit) {
    reportMissingStart(
      ctx,
      ev,
      session,
      startTime,
      p === undefined && session.complete,
      `participantLeft of ${owner} without participantJoined`,
      'participantJoined',
    );
  } else {
    if (startTime !== undefined && p.joinedAt !== undefined && startTime !== p.joinedAt) {
      ctx.flag(
        ev,
        'start-time',
        `startTime ${startTime} differs from the participantJoined timestamp ${p.joinedAt} (${at(p.where)})`,
      );
    }
    const diff = firstDifference(p.fields, snapshot(b, PARTICIPANT_KEYS), PARTICIPANT_KEYS);
    if (diff !== undefined) ctx.flag(ev, 'field-mismatch', `${diff} in participantJoined (${at(p.where)})`);
  }
  reportOpenConnections(ctx, ev, session, owner);
  if (reason === undefined) ctx.flag(ev, 'reason', 'participantLeft without a reason', 'warning');
  cascadeReason(ctx, ev, session, reason);
  session.participants.delete(owner);
}

/** A leave destroys the participant's connections and those of its subscribers first (spec §4.2). */
function reportOpenConnections(ctx: RuleContext, ev: EventInput, session: Session, owner: string): void {
  const open: string[] = [];
  const mine = session.outbound.get(owner);
  if (mine !== undefined && !mine.leftOpen) {
    open.push(`OUTBOUND ${mine.streamId}`);
    mine.leftOpen = true;
  }
  for (const [k, c] of session.inbound) {
    const [sub = '', sender = ''] = k.split('\n');
    if ((sub === owner || sender === owner) && !c.leftOpen) {
      open.push(`INBOUND ${sub}<-${sender}`);
      c.leftOpen = true;
    }
  }
  if (open.length > 0) {
    ctx.flag(
      ev,
      'destroyed-while-active',
      `participant ${owner} left with ${open.length} WebRTC connection${open.length === 1 ? '' : 's'} still open: ${open.slice(0, 3).join(', ')}${open.length > 3 ? ', …' : ''}`,
      'error',
      ['webrtcConnectionDestroyed'],
    );
  }
}

/**
 * The connection that owns an event (participantId, and connectionId since 2.17, spec §2.3/§2.5), after
 * checking the two agree and look like a connection id.
 */
export function ownerId(ctx: RuleContext, ev: EventInput, minor: number): string | undefined {
  const pid = str(ev.body, 'participantId');
  const cid = minor >= 17 ? str(ev.body, 'connectionId') : undefined;
  if (pid !== undefined && cid !== undefined && pid !== cid) {
    ctx.flag(ev, 'id-format', `participantId ${pid} differs from connectionId ${cid}`);
  }
  const owner = cid ?? pid;
  if (owner !== undefined && !isConnectionId(owner)) {
    ctx.flag(ev, 'id-format', `"${excerpt(owner, 50)}" is not a connection id (con_… or ipc_IPCAM_…)`);
  }
  return owner;
}

/** Registers an acting connection unseen so far in a session that began before the input. */
export function actingParticipant(ctx: RuleContext, ev: EventInput, session: Session, owner: string): void {
  if (session.participants.has(owner)) return;
  if (session.complete) {
    ctx.flag(
      ev,
      'unknown-participant',
      `${ev.name} of ${owner}, which is not a participant of session ${session.sessionId}`,
      'error',
      ['participantJoined'],
    );
    return;
  }
  session.participants.set(owner, { where: ev.where, joinedAt: undefined, implicit: true, fields: '' });
}
