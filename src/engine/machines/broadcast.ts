/**
 * The broadcast machine of OpenVidu Pro: a session is broadcasting to an RTMP URL from `startBroadcast` until it is
 * stopped (by the REST API, its last participant leaving, or its session closing).
 */
import type { BroadcastRecord, SessionRecord } from '../records.js';
import type { Step } from '../step.js';
import { requirePro } from './edition.js';
import { finalReason } from './session.js';
import { livekitRng, newEgressFacts } from './room.js';

/** `startBroadcast`: refused without Pro, while broadcasting, or with nobody connected. */
export function startBroadcast(ctx: Step, s: SessionRecord, url: string | undefined): void {
  requirePro(ctx, 'startBroadcast');
  if (s.broadcast) ctx.refuse('already-broadcasting', `session "${s.handle}" is already broadcasting`);
  if (s.connections.length === 0)
    ctx.refuse('no-participants', `session "${s.handle}" has no connected participants`);
  const b: BroadcastRecord = {
    session: s,
    url: url ?? `rtmp://live.example.com/app/${s.sessionId}`,
    startedAt: ctx.stamp(),
    mediaNodeId: s.node?.id,
    livekit: s.livekit ? newEgressFacts(livekitRng(s.partition)) : undefined,
  };
  s.broadcast = b;
  ctx.emit({ type: 'broadcastStarted', at: b.startedAt, broadcast: b });
}

/** The broadcast stops with `reason` (OpenVidu's final reason); refused when there is none. */
export function stopBroadcast(ctx: Step, s: SessionRecord, reason: string): void {
  const b = s.broadcast;
  if (!b) ctx.refuse('not-broadcasting', `session "${s.handle}" is not broadcasting`);
  s.broadcast = undefined;
  ctx.emit({ type: 'broadcastStopped', at: ctx.stamp(), broadcast: b, reason: finalReason(reason) });
}
