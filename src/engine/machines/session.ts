/**
 * The session machine: `created` (nobody joined yet) → `active` (OpenVidu's active session: someone joined) →
 * `closed`. Creation and its guards, the first join, the close and its fact; who leaves before and what stops with it
 * is cascades.ts's business.
 */
import type { RecordingProps, SessionId } from '../../model/entities.js';
import type { ActionOf } from '../../model/commands.js';
import { claimHandle, forget } from '../handles.js';
import * as ids from '../ids.js';
import { newTimer, type SessionRecord, type SessionStatus } from '../records.js';
import type { Step } from '../step.js';
import { schedule } from '../world.js';
import { releaseSession } from './cluster.js';
import { nodeByHandle } from './media-node.js';
import { requirePro } from './edition.js';
import { armRoomIdle, livekitRng, newRoomFacts } from './room.js';

export const SESSION_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  created: ['active', 'closed'],
  active: ['closed'],
  closed: [],
};

function transition(s: SessionRecord, to: SessionStatus): void {
  if (!SESSION_TRANSITIONS[s.status].includes(to)) {
    throw new Error(`internal: session ${s.sessionId} cannot go from ${s.status} to ${to}`);
  }
  s.status = to;
}

/** OpenVidu's `RecordingManager.finalReason`: a participant's own departure reasons become `lastParticipantLeft`. */
export function finalReason(reason: string): string {
  switch (reason) {
    case 'disconnect':
    case 'forceDisconnectByUser':
    case 'forceDisconnectByServer':
    case 'networkDisconnect':
      return 'lastParticipantLeft';
    default:
      return reason;
  }
}

/** `createSession`: a session with a drawn id (or the custom one, unique among live sessions). */
export function createSession(ctx: Step, a: ActionOf<'createSession'>): SessionRecord {
  const p = ctx.partition;
  claimHandle(ctx, 'session', a.session);
  if (a.mediaNode !== undefined) nodeByHandle(ctx, requirePro(ctx, 'createSession.mediaNode'), a.mediaNode);
  const sessionId = (a.customSessionId ?? ids.newSessionId(p.rng.ids)) as SessionId;
  if (p.sessionsById.has(sessionId)) {
    ctx.refuse('session-id-in-use', `a session with id "${sessionId}" already exists`);
  }
  const createdAt = ctx.stamp();
  const s: SessionRecord = {
    handle: a.session,
    sessionId,
    uniqueSessionId: `${sessionId}_${createdAt}`,
    createdAt,
    recordingMode: a.recordingMode ?? 'MANUAL',
    partition: p,
    defaultRecording: stripUndefined(a.defaultRecording ?? {}) as Partial<RecordingProps>,
    autoSubscribe: a.autoSubscribe ?? true,
    status: 'created',
    connections: [],
    publishers: 0,
    recording: undefined,
    processing: [],
    autostop: undefined,
    pinnedNode: a.mediaNode,
    node: undefined,
    broadcast: undefined,
    livekit: ctx.world.settings.livekit ? newRoomFacts(livekitRng(p)) : undefined,
    roomTimer: undefined,
  };
  p.sessions.set(a.session, s);
  p.sessionsById.set(sessionId, s);
  ctx.emit({ type: 'sessionCreated', at: createdAt, session: s });
  const lk = ctx.world.settings.livekit;
  // LiveKit closes an unjoined room by its empty timeout, not by OpenVidu 2's garbage collector.
  if (lk !== undefined) armRoomIdle(ctx, s, lk, false);
  else armFirstUsefulPass(ctx);
  return s;
}

/** Someone joined: the session is active. */
export function activate(s: SessionRecord): void {
  if (s.status === 'created') transition(s, 'active');
}

/** `sessionDestroyed` with OpenVidu's final reason; the session leaves its node and is forgotten. */
export function destroySession(ctx: Step, s: SessionRecord, reason: string): void {
  const final = finalReason(reason);
  ctx.emit({ type: 'sessionClosed', at: ctx.stamp(), session: s, reason: final });
  transition(s, 'closed');
  const cluster = ctx.world.cluster;
  if (cluster !== undefined) releaseSession(ctx, cluster, s);
  const p = s.partition;
  p.sessionsById.delete(s.sessionId);
  forget(p, s.handle, `session closed (${final})`, p.sessions);
}

// ---------------------------------------------------------------------------------------------------------------------
// The garbage collector of non-active sessions (OPENVIDU_SESSIONS_GARBAGE_INTERVAL/_THRESHOLD, 2.13+)

/**
 * OpenVidu's garbage collector of non-active sessions runs every interval from the server's start. A pass that finds
 * nothing to collect leaves no trace, so only the passes that can collect are queued: the first one after the oldest
 * never-joined session passes the threshold, so a long pause in a scenario costs no timers. The timer is background
 * work: it never keeps a run going.
 */
function armFirstUsefulPass(ctx: Step): void {
  const { start, gcIntervalMs, gcThresholdMs } = ctx.world.settings;
  const p = ctx.partition;
  if (gcIntervalMs <= 0 || p.gcPassAt !== undefined) return;
  let oldest = Infinity;
  for (const s of p.sessions.values())
    if (s.status === 'created' && s.createdAt < oldest) oldest = s.createdAt;
  if (oldest === Infinity) return;
  // Collected when pass - createdAt > threshold: the first pass of the grid start + k·interval (k ≥ 1) beyond that.
  const k = Math.max(1, Math.floor((oldest + gcThresholdMs - start) / gcIntervalMs) + 1);
  const at = start + k * gcIntervalMs;
  p.gcPassAt = at;
  schedule(p, at, { kind: 'timer', timer: newTimer({ kind: 'session-gc', at }, true) });
}

/**
 * One pass of the collector (SessionManager.closeNonActiveSessions): every session nobody ever joined, created more
 * than the threshold before the pass, is dropped with its tokens — and OpenVidu logs nothing: no sessionDestroyed.
 * Sessions someone joined are never collected, not even when empty; OpenVidu only warns of a "possible ghost session".
 */
export function collectGarbage(ctx: Step, at: number): void {
  const { gcThresholdMs } = ctx.world.settings;
  ctx.partition.gcPassAt = undefined;
  for (const s of [...ctx.partition.sessions.values()]) {
    if (s.status === 'created' && at - s.createdAt > gcThresholdMs) discardSession(ctx, s);
  }
  armFirstUsefulPass(ctx);
}

/** The session is gone without a word on any wire; the fact is for the ground truth. */
function discardSession(ctx: Step, s: SessionRecord): void {
  ctx.emit({ type: 'sessionGarbageCollected', at: ctx.stamp(), session: s });
  transition(s, 'closed');
  const p = s.partition;
  p.sessionsById.delete(s.sessionId);
  forget(p, s.handle, 'session removed by the garbage collector of non-active sessions', p.sessions);
}

export function stripUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
