/**
 * The session machine: `created` (nobody joined yet) → `active` (OpenVidu's active session: someone joined) →
 * `closed`. Creation and its guards, the first join, the close and its fact; who leaves before and what stops with it
 * is cascades.ts's business.
 */
import type { RecordingProps, SessionId } from '../../model/entities.js';
import type { ActionOf } from '../../scenario/schema.js';
import { claimHandle, forget } from '../handles.js';
import * as ids from '../ids.js';
import type { SessionRecord, SessionStatus } from '../records.js';
import type { Step } from '../step.js';
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
  if (lk !== undefined) armRoomIdle(ctx, s, lk, false);
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

export function stripUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
