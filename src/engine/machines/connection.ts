/**
 * The connection machine: a participant (a browser or an IP camera) is `active` from its join to its departure
 * (`left`). The join's guards and what it draws (ids, platform, address, location); the departure's fact. The streams
 * a departure drops first are the leave cascade's.
 *
 * A client whose network drops without closing its websocket is `lost`: OpenVidu still counts the connection (its
 * stream stays published, others stay subscribed to it) until its ping watchdog gives up and evicts it with
 * `networkDisconnect`. openvidu-browser pings every 5 s (its RPC `heartbeat`); kurento-jsonrpc's PingWatchdogManager,
 * which openvidu-server enables (`withPingWatchdog(true)`), closes a websocket that sent no ping for 3 intervals.
 */
import type { ConnectionId, Role } from '../../model/entities.js';
import type { ActionOf } from '../../model/commands.js';
import { claimHandle, forget, liveConnection, liveSession } from '../handles.js';
import * as ids from '../ids.js';
import { newTimer, type ConnectionRecord, type ConnectionStatus, type SessionRecord } from '../records.js';
import type { Step } from '../step.js';
import { placeSession } from './cluster.js';
import { remove } from '../lists.js';
import { activate } from './session.js';
import { cancelRoomIdle, livekitId, livekitRng } from './room.js';
import type { LivekitParticipantFacts } from '../../model/entities.js';

export const CONNECTION_TRANSITIONS: Readonly<Record<ConnectionStatus, readonly ConnectionStatus[]>> = {
  active: ['lost', 'left'],
  lost: ['left'],
  left: [],
};

function transition(c: ConnectionRecord, to: ConnectionStatus): void {
  if (!CONNECTION_TRANSITIONS[c.status].includes(to)) {
    throw new Error(`internal: connection ${c.connectionId} cannot go from ${c.status} to ${to}`);
  }
  c.status = to;
}

/** openvidu-browser's ping interval (its RPC `heartbeat`), ms. */
export const PING_INTERVAL_MS = 5000;
/** Pings missed before kurento-jsonrpc's watchdog closes the websocket (PingWatchdogManager.NUM_NO_PINGS_TO_CLOSE). */
export const PINGS_MISSED = 3;

/**
 * How long after a network drop OpenVidu notices: the watchdog fires 3 × 5 s after the last ping received, and the
 * last ping went out 0–5 s before the drop — so 10–15 s.
 */
export function pingTimeoutLag(ctx: Step): number {
  return PINGS_MISSED * PING_INTERVAL_MS - ctx.partition.rng.timing.int(0, PING_INTERVAL_MS - 1);
}

/** A participant joins its session (OpenVidu Pro places the session on a media node at its first join). */
export function admit(ctx: Step, a: ActionOf<'join'>): ConnectionRecord {
  claimHandle(ctx, 'participant', a.participant);
  const s = liveSession(ctx, a.session);
  const cluster = ctx.world.cluster;
  // A generated session whose node went down while none was running waits for one (see replanPartitions).
  if (cluster?.waiting.has(s.partition) === true && !s.node && s.pinnedNode === undefined)
    ctx.refuse('no-media-node', `no media node is running to host session "${s.handle}"`);
  const p = ctx.partition;
  const isIpcam = a.type === 'IPCAM';
  if (!isIpcam && a.rtspUri !== undefined)
    ctx.refuse('invalid-argument', 'rtspUri is only for type: IPCAM connections');
  const rtspUri = a.rtspUri ?? 'rtsp://dummyurl.com';
  let connectionId: string;
  if (isIpcam) connectionId = ids.newIpcamConnectionId(p.rng.ids, rtspUri);
  else if (a.customConnectionId !== undefined) connectionId = ids.customConnectionId(a.customConnectionId);
  else connectionId = ids.newConnectionId(p.rng.ids);
  if (hasConnection(s, connectionId))
    ctx.refuse('connection-id-in-use', `connection id "${connectionId}" is already in session`);
  if (cluster !== undefined && !s.node) s.node = placeSession(ctx, cluster, s);
  const meta = p.rng.meta;
  const c: ConnectionRecord = {
    handle: a.participant,
    session: s,
    connectionId: connectionId as ConnectionId,
    joinedAt: ctx.stamp(),
    location: a.location ?? (ctx.world.settings.geoLocation ? meta.location() : 'unknown'),
    ip: a.ip !== undefined ? a.ip : isIpcam ? ipOfUri(rtspUri) : meta.ip(),
    platform: isIpcam ? 'IPCAM' : (a.platform ?? meta.platform()),
    clientData: isIpcam ? '' : a.clientData !== undefined ? metadataString(a.clientData) : meta.clientData(),
    serverData: a.serverData === null ? null : a.serverData !== undefined ? metadataString(a.serverData) : '',
    role: (a.role ?? 'PUBLISHER') as Role,
    ipcam: isIpcam
      ? {
          rtspUri,
          adaptativeBitrate: a.adaptativeBitrate ?? true,
          networkCache: a.networkCache ?? 2000,
          onlyPlayWithSubscribers: a.onlyPlayWithSubscribers ?? true,
        }
      : undefined,
    livekit: ctx.world.settings.livekit ? livekitParticipant(ctx, a, isIpcam) : undefined,
    status: 'active',
    connects: a.connects ?? true,
    active: false,
    activeTimer: undefined,
    dropTimer: undefined,
    pingTimeout: undefined,
    stream: undefined,
    subscriptions: [],
  };
  if (c.livekit) cancelRoomIdle(s);
  p.connections.set(a.participant, c);
  s.connections.push(c);
  activate(s);
  ctx.emit({ type: 'connectionJoined', at: c.joinedAt, connection: c });
  return c;
}

/** Its LiveKit participant: a new `PA_` sid, the token's identity (default the handle), an ingress for a camera. */
function livekitParticipant(ctx: Step, a: ActionOf<'join'>, isIpcam: boolean): LivekitParticipantFacts {
  const rng = livekitRng(ctx.partition);
  return {
    sid: livekitId(rng, 'participant'),
    identity: a.identity ?? a.participant,
    ingressId: isIpcam ? livekitId(rng, 'ingress') : undefined,
  };
}

/** `participantLeft`: the connection is gone (its streams were dropped before). */
export function depart(ctx: Step, c: ConnectionRecord, reason: string): void {
  if (c.activeTimer) c.activeTimer.cancelled = true;
  if (c.dropTimer) c.dropTimer.cancelled = true;
  c.activeTimer = c.dropTimer = undefined;
  ctx.emit({ type: 'connectionLeft', at: ctx.stamp(), connection: c, reason });
  if (c.pingTimeout) c.pingTimeout.cancelled = true;
  c.pingTimeout = undefined;
  transition(c, 'left');
  remove(c.session.connections, c);
  const p = c.session.partition;
  forget(p, c.handle, `participant left (${reason})`, p.connections);
}

/**
 * The client's network is gone, its websocket left open: nothing is logged now. The ping watchdog evicts it
 * (`networkDisconnect`) 10–15 s later, unless something else ends it first (a force disconnect, the session's close).
 */
export function loseConnection(ctx: Step, c: ConnectionRecord): void {
  transition(c, 'lost');
  c.pingTimeout = ctx.setTimer(pingTimeoutLag(ctx), newTimer({ kind: 'ping-timeout', connection: c }));
}

/**
 * The connection of a participant whose client acts (publishes, subscribes, signals, leaves): refused once its
 * client is gone — a server-side action (force disconnect, close) still reaches it.
 */
export function clientConnection(ctx: Step, handle: string): ConnectionRecord {
  const c = liveConnection(ctx, handle);
  if (c.status === 'lost') {
    ctx.refuse(
      'connection-lost',
      `participant "${handle}" lost its network: its client can do nothing more, and OpenVidu evicts it ` +
        '(networkDisconnect) when its pings time out',
    );
  }
  return c;
}

/** Renames a connection (a flapping client's old one, left behind while its user rejoins under the same handle). */
export function renameConnection(c: ConnectionRecord, handle: string): void {
  const table = c.session.partition.connections;
  table.delete(c.handle);
  c.handle = handle;
  table.set(handle, c);
}

function hasConnection(s: SessionRecord, connectionId: string): boolean {
  for (const c of s.connections) if (c.connectionId === connectionId) return true;
  return false;
}

/** A string is sent verbatim; anything else JSON-stringified, as openvidu-browser does with metadata. */
function metadataString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The address OpenVidu resolves for an IP camera's host: literal IPv4 hosts only (no DNS in a simulator). */
function ipOfUri(uri: string): string | null {
  const m = /^[a-z]+:\/\/(?:[^@/]*@)?(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:\/|$)/i.exec(uri);
  return m?.[1] ?? null;
}
