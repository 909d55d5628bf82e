/**
 * The LiveKit room behaviour of an OpenVidu 3 server, where it differs from OpenVidu 2's session (livekit/livekit
 * `pkg/rtc/room.go`, `pkg/service/roommanager.go`, `roomallocator.go`):
 * - a room has a `RM_` sid and a TURN password drawn when it is created (`CreateRoom` or the first join);
 * - a participant counts as joined when its media connects (ACTIVE, ICE connected) — a few hundred ms after its
 *   signal join, or at once when it publishes first (media needs the connection);
 * - a room outlives its last participant by the departure timeout, and a room nobody joined lives for the empty
 *   timeout: `CloseIfEmpty` runs on a server-wide 1-second ticker and compares whole seconds
 *   (`time.Now().Unix() - LastLeftAt() >= timeout`), so a room closes on the first tick at or after
 *   `(⌊t/1 s⌋ + timeout)` seconds.
 * Everything here runs only when the world's settings say the server is LiveKit-based; OpenVidu 2 draws nothing.
 */
import type { LivekitEgressFacts, LivekitRoomFacts, LivekitTrackFacts } from '../../model/entities.js';
import { LivekitIds, type LivekitIdKind } from '../../model/livekit/ids.js';
import { newTimer, type ConnectionRecord, type Partition, type SessionRecord } from '../records.js';
import { Rng } from '../rng.js';
import type { Step } from '../step.js';
import type { LivekitSettings } from '../world.js';

/** LiveKit's defaults (`pkg/config/config.go`), seconds. */
export const DEFAULT_DEPARTURE_TIMEOUT_S = 20;
export const DEFAULT_EMPTY_TIMEOUT_S = 300;

/**
 * How long a client takes from its signal join to connected media (ICE, DTLS), ms: LiveKit's `participant_joined`
 * comes this much after the join.
 */
const ACTIVE_DELAY_MS: readonly [number, number] = [250, 1200];

/** livekit-client's `peerConnectionTimeout`: a client whose media never connects gives up after it, ms. */
export const PEER_CONNECTION_TIMEOUT_MS = 15_000;

export interface LivekitOptions {
  /** `room.departure_timeout`, seconds; default 20. */
  readonly departureTimeout?: number | undefined;
  /** `room.empty_timeout`, seconds; default 300. */
  readonly emptyTimeout?: number | undefined;
}

/** The world settings of a LiveKit-based server; the ticker's phase is drawn from the seed. */
export function livekitSettings(o: LivekitOptions, seed: string): LivekitSettings {
  return {
    departureTimeoutMs: (o.departureTimeout ?? DEFAULT_DEPARTURE_TIMEOUT_S) * 1000,
    emptyTimeoutMs: (o.emptyTimeout ?? DEFAULT_EMPTY_TIMEOUT_S) * 1000,
    tickPhaseMs: new Rng(seed).fork('livekit-ticker').int(0, 999),
  };
}

/** The partition's LiveKit stream (present whenever the server is LiveKit-based). */
export function livekitRng(p: Partition): Rng {
  const rng = p.rng.livekit;
  if (rng === undefined) throw new Error('internal: a LiveKit draw on a partition of an OpenVidu 2 server');
  return rng;
}

/** A LiveKit id of the kind (`RM_`, `PA_`…), drawn from `rng`. */
export function livekitId(rng: Rng, kind: LivekitIdKind): string {
  return new LivekitIds(() => rng.next()).next(kind);
}

/** A new room's sid and TURN password (`utils.RandomSecret()`: base62 of 32 random bytes, 43 characters). */
export function newRoomFacts(rng: Rng): LivekitRoomFacts {
  return { sid: livekitId(rng, 'room'), turnPassword: rng.alphanumeric(43) };
}

/** A published track's ids: sid, the client's track UUID, its SDP mid, the SSRCs of its `layers`. */
export function newTrackFacts(rng: Rng, mid: number, layers: number): LivekitTrackFacts {
  const ssrcs: number[] = [];
  for (let i = 0; i < layers; i++) ssrcs.push(rng.int(1, 0xffffffff));
  return { sid: livekitId(rng, 'track'), cid: uuid(rng), mid: String(mid), micros: rng.int(0, 999), ssrcs };
}

/** An egress's ids; its recorder joins as a participant of its own. */
export function newEgressFacts(rng: Rng): LivekitEgressFacts {
  return {
    egressId: livekitId(rng, 'egress'),
    recorderSid: livekitId(rng, 'participant'),
    uid: rng.alphanumeric(6),
    nanos: rng.int(0, 999_999),
  };
}

/** A version-4 UUID, as browsers give MediaStreamTrack ids. */
function uuid(rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += HEX[rng.int(0, 15)];
  const variant = HEX[8 + rng.int(0, 3)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const HEX = '0123456789abcdef';

// ---------------------------------------------------------------------------------------------------------------------
// Idle rooms

/** When the room ticker closes a room idle since `since` (ms) for `timeoutMs`: the first tick at or past it. */
export function idleCloseAt(lk: LivekitSettings, since: number, timeoutMs: number): number {
  const due = Math.floor(since / 1000) * 1000 + timeoutMs;
  const tick = Math.floor(due / 1000) * 1000 + lk.tickPhaseMs;
  return tick >= due ? tick : tick + 1000;
}

/** Arms the room's idle close: the empty timeout from its creation, or the departure timeout from now. */
export function armRoomIdle(ctx: Step, s: SessionRecord, lk: LivekitSettings, departure: boolean): void {
  cancelRoomIdle(s);
  const at = departure
    ? idleCloseAt(lk, ctx.now, lk.departureTimeoutMs)
    : idleCloseAt(lk, s.createdAt, lk.emptyTimeoutMs);
  s.roomTimer = ctx.setTimer(Math.max(0, at - ctx.now), newTimer({ kind: 'room-idle', session: s }));
}

export function cancelRoomIdle(s: SessionRecord): void {
  if (s.roomTimer) {
    s.roomTimer.cancelled = true;
    s.roomTimer = undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Participants' media

/** A new participant's media: connected after the client's ICE delay, or never (`connects: false`). */
export function armActive(ctx: Step, c: ConnectionRecord): void {
  const rng = livekitRng(ctx.partition);
  const delay = rng.int(ACTIVE_DELAY_MS[0], ACTIVE_DELAY_MS[1]);
  c.activeTimer = ctx.setTimer(delay, newTimer({ kind: 'connection-active', connection: c }));
}

/** The participant's media is connected: ACTIVE (`participant_joined` on LiveKit). */
export function becomeActive(ctx: Step, c: ConnectionRecord): void {
  if (c.active || c.status !== 'active') return;
  if (c.activeTimer) c.activeTimer.cancelled = true;
  c.activeTimer = undefined;
  c.active = true;
  ctx.emit({ type: 'connectionActive', at: ctx.stamp(), connection: c });
}
