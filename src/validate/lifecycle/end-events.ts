/**
 * Checks shared by the end events of every family: the integer duration, the reason of a session being closed as
 * a whole (spec §4.5, §4.7, §4.8), and an end whose beginning is not in the input.
 */
import { at, int, type EventInput } from '../event-input.js';
import type { RuleContext } from './context.js';
import { SESSION_CLOSE_REASONS } from './facts.js';
import type { Session } from './state.js';

/** Events with the integer end fields of `CDREventEnd` (recordingStatusChanged overrides duration). */
export const INTEGER_END_EVENTS: ReadonlySet<string> = new Set([
  'sessionDestroyed',
  'participantLeft',
  'webrtcConnectionDestroyed',
]);

/** Integer `duration` = trunc((timestamp − startTime) / 1000) (spec §1.6). */
export function checkEndTimes(ctx: RuleContext, ev: EventInput): void {
  const ts = int(ev.body, 'timestamp');
  const startTime = int(ev.body, 'startTime');
  const duration = int(ev.body, 'duration');
  if (ts === undefined || startTime === undefined) return;
  if (ts < startTime) {
    ctx.flag(ev, 'timestamp-order', `timestamp ${ts} is before startTime ${startTime}`, 'warning');
  }
  if (duration === undefined) return;
  const expected = Math.trunc((ts - startTime) / 1000);
  if (duration !== expected) {
    ctx.flag(
      ev,
      'duration',
      `duration ${duration} is not trunc((${ts} - ${startTime}) / 1000) = ${expected}`,
    );
  }
}

/**
 * Once a reason only a whole-session close produces appears, every later end event of the session carries it
 * until sessionDestroyed (spec §4.5, §4.7, §4.8).
 */
export function cascadeReason(
  ctx: RuleContext,
  ev: EventInput,
  session: Session,
  reason: string | undefined,
): void {
  if (reason === undefined) return;
  if (session.closing !== undefined) {
    if (reason !== session.closing.reason && ctx.accurateReasons) {
      ctx.flag(
        ev,
        'cascade',
        `${ev.name} reason "${reason}" while session ${session.sessionId} is being closed with "${session.closing.reason}" (${at(session.closing.where)})`,
      );
    }
  } else if (SESSION_CLOSE_REASONS.has(reason)) {
    session.closing = { reason, where: ev.where };
  }
}

/**
 * An end event without its beginning: an error when the beginning must be in the input (the session or the
 * owner was seen from its start, or `startTime` falls inside the input), else a warning.
 */
export function reportMissingStart(
  ctx: RuleContext,
  ev: EventInput,
  session: Session,
  startTime: number | undefined,
  knownFromStart: boolean,
  message: string,
  startType: string,
): void {
  if (knownFromStart || session.complete || (startTime !== undefined && ctx.beganInInput(startTime))) {
    ctx.flag(ev, 'pairing', message, 'error', [startType]);
  } else {
    ctx.flag(ev, 'pairing', `${message} (begun before the input starts?)`, 'warning', [startType]);
  }
}
