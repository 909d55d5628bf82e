/**
 * Recordings (spec §2.7, §4.4, §4.10): ids of their session, one recording at a time, statuses in order
 * (started → stopped → ready | failed, a failed start, a quick-start closed while starting), the same reason from
 * stopped to its end, sizes and durations the status allows, constant fields constant.
 */
import { javaDoubleToString } from '../../model/java.js';
import { at, excerpt, get, int, json, MEDIA_NODE_ID, str, type EventInput } from '../event-input.js';
import type { RuleContext } from './context.js';
import { cascadeReason } from './end-events.js';
import {
  firstDifference,
  snapshot,
  type DestroyedSession,
  type Recording,
  type RecordingStatus,
  type Session,
} from './state.js';

const RECORDING_CONSTANT_KEYS = ['name', 'outputMode', 'hasVideo', 'recordingLayout'] as const;

/** OpenVidu Pro 2.22 logged a recording's `ready` 2–5 times (OpenVidu#747): legal in that version only. */
const REPEATS_READY = 22;

export function onRecordingStatus(ctx: RuleContext, ev: EventInput, session: Session, minor: number): void {
  const b = ev.body;
  const id = str(b, 'id');
  const status = str(b, 'status');
  const reason = str(b, 'reason');
  if (id === undefined) return;
  checkRecordingIds(ctx, ev, session, id);
  if (status !== 'started' && status !== 'stopped' && status !== 'ready' && status !== 'failed') return;
  checkRecordingValues(ctx, ev, status);
  if (status === 'started' && reason !== undefined) {
    ctx.flag(ev, 'reason', 'a recording "started" event never has a reason');
  }
  if (status === 'stopped' && reason === undefined) {
    ctx.flag(ev, 'reason', 'a recording "stopped" event must have a reason');
  }
  if (status === 'stopped') cascadeReason(ctx, ev, session, reason);

  const rec = session.recordings.get(id);
  if (status === 'started') recordingStarted(ctx, ev, session, id, rec);
  else if (rec === undefined) recordingFirstSeen(ctx, ev, session, id, status);
  else {
    checkRecordingConstants(ctx, ev, rec, id);
    if (status === 'stopped') recordingStopped(ctx, ev, rec, id);
    else if (status === 'ready' && rec.status === 'ready') repeatedReady(ctx, ev, rec, id, minor);
    else recordingFinal(ctx, ev, rec, id, status);
  }
}

/** A recording's id is its session's id, or that id + `~N` (spec §3); its media node a media node id. */
function checkRecordingIds(ctx: RuleContext, ev: EventInput, session: Session, id: string): void {
  const sid = session.sessionId;
  if (id !== sid && !(id.startsWith(`${sid}~`) && /^[1-9]\d*$/.test(id.slice(sid.length + 1)))) {
    ctx.flag(
      ev,
      'id-format',
      `recording id "${excerpt(id, 50)}" is neither the sessionId nor ${session.sessionId}~N`,
    );
  }
  const node = str(ev.body, 'media_node_id');
  if (node !== undefined && !MEDIA_NODE_ID.test(node)) {
    ctx.flag(ev, 'id-format', `media_node_id "${excerpt(node, 50)}" is not a media node id (media_…)`);
  }
}

/** The record of a recording first seen at `ev` with status `first`. */
function freshRecording(ev: EventInput, first: RecordingStatus, failedStart: boolean): Recording {
  const b = ev.body;
  const reason = str(b, 'reason');
  return {
    status: first,
    where: ev.where,
    startTime: int(b, 'startTime'),
    stopReason: first === 'stopped' ? reason : undefined,
    stopWhere: first === 'stopped' ? ev.where : undefined,
    failedStart,
    failedCount: first === 'failed' ? 1 : 0,
    constant: snapshot(b, RECORDING_CONSTANT_KEYS),
    individualOrAudioOnly: get(b, 'outputMode') === 'INDIVIDUAL' || get(b, 'hasVideo') === false,
  };
}

function recordingStarted(
  ctx: RuleContext,
  ev: EventInput,
  session: Session,
  id: string,
  rec: Recording | undefined,
): void {
  if (rec !== undefined && (rec.status === 'started' || rec.status === 'stopped')) {
    ctx.flag(
      ev,
      'recording-status-order',
      `recording ${id} "started" again (status "${rec.status}" at ${at(rec.where)})`,
    );
    return;
  }
  for (const [otherId, other] of session.recordings) {
    if (other.status === 'started') {
      // OpenVidu refuses a second recording while one runs (409): there is one per session at a time.
      ctx.flag(
        ev,
        'recording-status-order',
        `recording ${id} started while recording ${otherId} (${at(other.where)}) is still recording`,
      );
    }
  }
  const startTime = int(ev.body, 'startTime');
  const ts = int(ev.body, 'timestamp');
  if (startTime !== undefined && ts !== undefined && startTime !== ts) {
    ctx.flag(ev, 'start-time', `a "started" event has timestamp == startTime, found ${ts} and ${startTime}`);
  }
  session.recordings.set(id, freshRecording(ev, 'started', false));
}

/** stopped, ready or failed of a recording not seen before. */
function recordingFirstSeen(
  ctx: RuleContext,
  ev: EventInput,
  session: Session,
  id: string,
  status: 'stopped' | 'ready' | 'failed',
): void {
  if (status === 'failed') {
    session.recordings.set(id, freshRecording(ev, 'failed', true)); // a failed start (spec §2.7)
    return;
  }
  // COMPOSED_QUICK_START closed while starting logs stopped → failed with no started (spec §4.10).
  const quickStart = status === 'stopped' && get(ev.body, 'outputMode') === 'COMPOSED_QUICK_START';
  if (session.complete && !quickStart) {
    ctx.flag(
      ev,
      'recording-status-order',
      `recording ${id} "${status}" without "${status === 'stopped' ? 'started' : 'stopped'}"`,
    );
  }
  session.recordings.set(id, freshRecording(ev, status, false));
}

function recordingStopped(ctx: RuleContext, ev: EventInput, rec: Recording, id: string): void {
  if (rec.status !== 'started') {
    ctx.flag(
      ev,
      'recording-status-order',
      `recording ${id} "stopped" after "${rec.status}" (${at(rec.where)})`,
    );
    return;
  }
  checkRecordingStart(ctx, ev, rec);
  rec.status = 'stopped';
  rec.where = ev.where;
  rec.stopReason = str(ev.body, 'reason');
  rec.stopWhere = ev.where;
}

/** Pro may log a recording's ready/failed after sessionDestroyed when its stop preceded it (spec §4.4). */
export function lateRecordingEvent(ctx: RuleContext, ev: EventInput, gone: DestroyedSession): boolean {
  if (ev.name !== 'recordingStatusChanged' || gone.pending === undefined) return false;
  const id = str(ev.body, 'id');
  const status = str(ev.body, 'status');
  const rec = id === undefined ? undefined : gone.pending.get(id);
  if (rec === undefined || id === undefined || (status !== 'ready' && status !== 'failed')) return false;
  recordingFinal(ctx, ev, rec, id, status);
  gone.pending.delete(id);
  return true;
}

/** ready/failed of a known recording (also after sessionDestroyed, see {@link lateRecordingEvent}). */
function recordingFinal(
  ctx: RuleContext,
  ev: EventInput,
  rec: Recording,
  id: string,
  status: 'ready' | 'failed',
): void {
  const reason = str(ev.body, 'reason');
  if (rec.status === 'stopped') {
    checkRecordingStart(ctx, ev, rec);
    if (reason !== rec.stopReason && rec.stopWhere !== undefined) {
      ctx.flag(
        ev,
        'reason',
        `"${status}" reason ${json(reason)} differs from the "stopped" reason ${json(rec.stopReason)} (${at(rec.stopWhere)})`,
      );
    }
  } else if (
    rec.status === 'failed' &&
    rec.failedStart &&
    status === 'failed' &&
    rec.failedCount === 1 &&
    rec.individualOrAudioOnly
  ) {
    // The clean-up stop after a failed INDIVIDUAL or audio-only start re-seals the metadata and logs a
    // second failed (spec §2.7); a COMPOSED-with-video start failure has no such second stop.
    rec.failedCount++;
    if (reason !== undefined) ctx.flag(ev, 'reason', 'the second "failed" of a failed start has no reason');
  } else {
    ctx.flag(
      ev,
      'recording-status-order',
      `recording ${id} "${status}" after "${rec.status}" (${at(rec.where)})${rec.status === 'started' ? ' without "stopped"' : ''}`,
    );
    // Follow the log from here on, so that one fault is reported once.
  }
  rec.status = status;
  rec.where = ev.where;
}

/** A second `ready`: what OpenVidu Pro 2.22 did; a fault in any other version. */
function repeatedReady(ctx: RuleContext, ev: EventInput, rec: Recording, id: string, minor: number): void {
  if (minor !== REPEATS_READY) {
    ctx.flag(
      ev,
      'recording-status-order',
      `recording ${id} "ready" again (first at ${at(rec.where)}); only OpenVidu Pro 2.22 repeats "ready" ` +
        '(OpenVidu#747: validate with --openvidu-version 2.22)',
    );
  }
  rec.where = ev.where;
}

function checkRecordingStart(ctx: RuleContext, ev: EventInput, rec: Recording): void {
  const startTime = int(ev.body, 'startTime');
  if (startTime !== undefined && rec.startTime !== undefined && startTime !== rec.startTime) {
    ctx.flag(
      ev,
      'start-time',
      `startTime ${startTime} differs from the recording's startTime ${rec.startTime} (${at(rec.where)})`,
    );
  }
}

function checkRecordingConstants(ctx: RuleContext, ev: EventInput, rec: Recording, id: string): void {
  const diff = firstDifference(
    rec.constant,
    snapshot(ev.body, RECORDING_CONSTANT_KEYS),
    RECORDING_CONSTANT_KEYS,
  );
  if (diff !== undefined) ctx.flag(ev, 'field-mismatch', `${diff} in earlier events of recording ${id}`);
}

/** The size and duration a status allows: zero up to stopped (the metadata is sealed), positive when ready. */
export function checkRecordingValues(ctx: RuleContext, ev: EventInput, status: RecordingStatus): void {
  const size = int(ev.body, 'size');
  const d = get(ev.body, 'duration');
  const duration = typeof d === 'number' ? d : undefined;
  if (status === 'started' || status === 'stopped') {
    // "stopped" seals the metadata, which zeroes size and duration (spec §2.7).
    if (size !== undefined && size !== 0) {
      ctx.flag(ev, 'recording-values', `a "${status}" recording has size 0, found ${size}`);
    }
    if (duration !== undefined && duration !== 0) {
      ctx.flag(
        ev,
        'recording-values',
        `a "${status}" recording has duration 0.0, found ${javaDoubleToString(duration)}`,
      );
    }
  } else if (status === 'ready') {
    if (size !== undefined && size <= 0) {
      ctx.flag(ev, 'recording-values', `a "ready" recording has size > 0, found ${size}`);
    }
    if (duration !== undefined && duration <= 0) {
      ctx.flag(
        ev,
        'recording-values',
        `a "ready" recording has duration > 0, found ${javaDoubleToString(duration)}`,
      );
    }
  }
}
