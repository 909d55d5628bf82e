/**
 * OpenVidu's cascades, each exactly once (spec §4): what follows a join, a publish, a departure, an unpublish; the
 * last participant and the auto-stop countdown; a recording stopped by the server; a session closed with everything
 * in it; a media server restart or crash; a media node crash, recovery, removal or giving up; a server stop. They
 * compose the machines (machines/*) in OpenVidu's order — the order of the events each logs.
 */
import type { ActionOf } from '../model/commands.js';
import { claimHandle, isHandleFree, liveSession } from './handles.js';
import { reconnectionTimeout, replanPartitions } from './machines/cluster.js';
import { admit, depart, loseConnection, renameConnection } from './machines/connection.js';
import {
  checkCrash,
  checkPatch,
  emitNodeCrashed,
  isServing,
  kurentoOrder,
  setFaultTimer,
  terminateNode,
  transitionNode,
} from './machines/media-node.js';
import {
  abandonProcessing,
  armAutostop,
  cancelAutostop,
  checkAutostop,
  checkNewRecording,
  checkStop,
  finishRecording,
  processingDelay,
  startRecording,
  stopRecording,
} from './machines/recording.js';
import { stopBroadcast } from './machines/broadcast.js';
import {
  armActive,
  armRoomIdle,
  becomeActive,
  cancelRoomIdle,
  PEER_CONNECTION_TIMEOUT_MS,
} from './machines/room.js';
import { destroySession, stripUndefined } from './machines/session.js';
import {
  closeStream,
  dropSubscribers,
  dropSubscriptions,
  IPCAM_STREAM,
  openStream,
  subscribe,
  type StreamSpec,
} from './machines/stream.js';
import {
  newTimer,
  type ConnectionRecord,
  type MediaNodeRecord,
  type RecordingRecord,
  type SessionRecord,
} from './records.js';
import type { Step } from './step.js';
import { CLUSTER_PARTITION, type ClusterRecord } from './world.js';

/**
 * OpenVidu's silent reconnection attempts before a media node is declared crashed (KmsManager: 6 tries 500 ms apart),
 * ms. The one copy: the server's state gives it to the page.
 */
export const SILENT_RETRY_MS = 3000;

// ---------------------------------------------------------------------------------------------------------------------
// Joining and publishing (§4.1)

/**
 * A join: the participant, then (IP camera) its stream at once, or (auto-subscribe) every stream already up. On
 * LiveKit its media connects a little later (ACTIVE); a client whose media never connects gives up.
 */
export function join(ctx: Step, a: ActionOf<'join'>): ConnectionRecord {
  const c = admit(ctx, a);
  if (!c.connects) {
    const drop = newTimer({ kind: 'connection-drop', connection: c, reason: 'networkDisconnect' });
    c.dropTimer = ctx.setTimer(PEER_CONNECTION_TIMEOUT_MS, drop);
  } else if (c.livekit && !c.ipcam) armActive(ctx, c);
  if (c.ipcam) {
    publish(ctx, c, IPCAM_STREAM);
    return c;
  }
  const s = c.session;
  if (!s.autoSubscribe) return c;
  const rng = ctx.partition.rng.timing;
  for (const other of s.connections) {
    if (other !== c && other.stream) {
      ctx.elapse(rng.int(20, 120));
      subscribe(ctx, c, other.stream);
    }
  }
  return c;
}

/**
 * A client reconnects as a new connection of the same identity; the stale one is dropped `dropOldAfter` later (at
 * once when 0: it goes before the new one joins).
 */
export function reconnect(ctx: Step, old: ConnectionRecord, a: ActionOf<'reconnect'>): void {
  const later = a.dropOldAfter ?? 2000;
  if (later === 0) leave(ctx, old, 'networkDisconnect');
  const args: ActionOf<'join'> = {
    session: old.session.handle,
    participant: a.as,
    clientData: old.clientData,
    serverData: old.serverData,
    platform: old.platform,
    ip: old.ip,
    location: old.location,
    role: old.role,
    ...(old.livekit ? { identity: old.livekit.identity } : {}),
  };
  join(ctx, args);
  if (later === 0 || old.status !== 'active') return;
  if (old.dropTimer) old.dropTimer.cancelled = true;
  old.dropTimer = ctx.setTimer(
    later,
    newTimer({ kind: 'connection-drop', connection: old, reason: 'networkDisconnect' }),
  );
}

/**
 * A publish: the stream (OUTBOUND), no more auto-stop countdown, everyone else subscribed (INBOUND each), and an
 * ALWAYS session's recording started at its first publisher (OpenVidu starts it in a new thread, a little later).
 */
export function publish(ctx: Step, c: ConnectionRecord, spec: StreamSpec): void {
  const s = c.session;
  // LiveKit: media flows over a connected transport; a publish that comes first makes it connect now.
  if (c.livekit) becomeActive(ctx, c);
  const stream = openStream(ctx, c, spec);
  cancelAutostop(s);
  const rng = ctx.partition.rng.timing;
  if (s.autoSubscribe) {
    // A client whose network is gone subscribes to nothing more.
    for (const other of s.connections) {
      if (other !== c && !other.ipcam && other.status === 'active') {
        ctx.elapse(rng.int(20, 150));
        subscribe(ctx, other, stream);
      }
    }
  }
  if (s.recordingMode === 'ALWAYS' && !s.recording && s.publishers === 1) {
    ctx.elapse(rng.int(5, 60));
    startRecording(ctx, s, undefined, s.defaultRecording, true);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Leaving and unpublishing (§4.2, §4.3, §4.4)

/** A participant goes (leave, force disconnect, network drop), then the session's last-participant logic. */
export function leave(ctx: Step, c: ConnectionRecord, reason: string): void {
  evict(ctx, c, reason);
  afterDeparture(ctx, c.session);
}

/**
 * One participant goes (§4.2): every subscription to its stream, its own subscriptions, its stream, then
 * `participantLeft`.
 */
function evict(ctx: Step, c: ConnectionRecord, reason: string): void {
  const stream = c.stream;
  if (stream) dropSubscribers(ctx, stream, reason);
  dropSubscriptions(ctx, c, reason);
  if (stream) closeStream(ctx, c, reason);
  depart(ctx, c, reason);
}

/** The "last participant" logic of §4.4, after a departure; on LiveKit the room waits for its departure timeout. */
function afterDeparture(ctx: Step, s: SessionRecord): void {
  const lk = ctx.world.settings.livekit;
  if (lk !== undefined) {
    if (s.connections.length === 0) armRoomIdle(ctx, s, lk, true);
    return;
  }
  if (s.connections.length > 0) {
    checkAutostop(ctx, s);
    return;
  }
  // Pro: the broadcast stops as the last participant leaves, even while a recording waits for its auto-stop.
  if (s.broadcast) stopBroadcast(ctx, s, 'lastParticipantLeft');
  if (s.recording) {
    cancelAutostop(s);
    if (ctx.world.settings.autostopMs === 0) {
      stopRecording(ctx, s.recording, 'lastParticipantLeft');
      finishRecordings(ctx, s, 'lastParticipantLeft');
      destroySession(ctx, s, 'lastParticipantLeft');
    } else {
      armAutostop(ctx, s);
    }
    return;
  }
  finishRecordings(ctx, s, 'lastParticipantLeft');
  destroySession(ctx, s, 'lastParticipantLeft');
}

// ---------------------------------------------------------------------------------------------------------------------
// Network drops (§4.2): a websocket left open, a flapping network

/** OpenVidu's ping watchdog gives up on a lost connection: it leaves with `networkDisconnect`. */
export function pingTimedOut(ctx: Step, c: ConnectionRecord): void {
  if (c.status === 'lost') leave(ctx, c, 'networkDisconnect');
}

/**
 * A flap (OpenVidu#195): the participant's network drops — its connection is lost, renamed `<handle>#<connectionId>`,
 * and lingers until its ping timeout — and its client rejoins 1–3 s later under the same handle with a new connection
 * (`rejoin`). `times` − 1 more drops follow, `every` ms apart.
 */
export function flap(ctx: Step, c: ConnectionRecord, times: number, every: number): void {
  if (c.ipcam) ctx.refuse('invalid-argument', `IP camera "${c.handle}" has no client network to flap`);
  const handle = c.handle;
  loseConnection(ctx, c);
  renameConnection(c, `${handle}#${c.connectionId}`);
  const rng = ctx.partition.rng.timing;
  ctx.setTimer(rng.int(1000, 3000), newTimer({ kind: 'rejoin', ghost: c, handle }));
  if (times > 1) ctx.setTimer(every, newTimer({ kind: 'flap', handle, times: times - 1, every }));
}

/** The next drop of a flapping network, unless the participant is gone or already lost. */
export function flapAgain(ctx: Step, handle: string, times: number, every: number): void {
  const c = ctx.partition.connections.get(handle);
  if (c !== undefined && c.status === 'active') flap(ctx, c, times, every);
}

/**
 * The flapping client is back: a new connection with the user's data (new `con_` id), auto-subscribed, publishing
 * again if it published. OpenVidu sees a new participant next to the old one, which it still counts. Nothing happens
 * if the session closed meanwhile or a scenario step took the handle.
 */
export function rejoin(ctx: Step, ghost: ConnectionRecord, handle: string): void {
  const s = ghost.session;
  if (s.status === 'closed' || ctx.partition.stopped || !isHandleFree(ctx.partition, handle)) return;
  const c = join(ctx, {
    session: s.handle,
    participant: handle,
    clientData: ghost.clientData,
    serverData: ghost.serverData,
    platform: ghost.platform,
    ip: ghost.ip,
    location: ghost.location,
    role: ghost.role,
  });
  const stream = ghost.stream;
  if (stream) {
    const videoSource = stream.videoSource ?? 'CAMERA';
    const { audio, video, frameRate, dimensions } = stream;
    publish(ctx, c, { videoSource, audio, video, frameRate, dimensions });
  }
}

/** Unpublish (§4.3): the stream first, then its subscribers — the opposite of a departure. */
export function unpublish(ctx: Step, c: ConnectionRecord, reason: string): void {
  const stream = c.stream;
  if (!stream) ctx.refuse('not-publishing', `participant "${c.handle}" is not publishing`);
  closeStream(ctx, c, reason);
  dropSubscribers(ctx, stream, reason);
  if (!ctx.world.settings.livekit) checkAutostop(ctx, c.session);
}

/** The auto-stop countdown ran out with nobody publishing: the recording stops, and an empty session closes. */
export function autostopFired(ctx: Step, s: SessionRecord): void {
  s.autostop = undefined;
  if (s.publishers > 0) return;
  if (s.recording) stopRecording(ctx, s.recording, 'automaticStop');
  if (s.connections.length === 0) {
    finishRecordings(ctx, s, 'automaticStop');
    destroySession(ctx, s, 'automaticStop');
  }
}

/** LiveKit: the room ticker found the room idle past its timeout: it closes with what still runs in it. */
export function roomIdle(ctx: Step, s: SessionRecord): void {
  s.roomTimer = undefined;
  if (s.connections.length > 0 || s.status === 'closed') return;
  // A room nobody joined closes on its empty timeout: no participant left it.
  closeSession(ctx, s, s.status === 'created' ? 'automaticStop' : 'lastParticipantLeft');
}

/** A client's connection is dropped (a stale connection after a reconnection, media that never connected). */
export function dropConnection(ctx: Step, c: ConnectionRecord, reason: string): void {
  c.dropTimer = undefined;
  if (c.status === 'active') leave(ctx, c, reason);
}

// ---------------------------------------------------------------------------------------------------------------------
// Recordings (§4.6, §4.10)

/** `startRecording` by REST; started while nobody publishes, it arms the countdown. */
export function startRecordingByRest(ctx: Step, a: ActionOf<'startRecording'>): void {
  const s = liveSession(ctx, a.session);
  if (a.recording !== undefined) claimHandle(ctx, 'recording', a.recording);
  checkNewRecording(ctx, s);
  // The action's recording properties (everything but the handles) override the session's defaults.
  const { session: _session, recording: _recording, ...options } = a;
  startRecording(ctx, s, a.recording, { ...s.defaultRecording, ...stripUndefined(options) }, false);
  if (s.publishers === 0 && !ctx.world.settings.livekit) armAutostop(ctx, s);
}

/** `stopRecording` by REST; stopped during the countdown of an empty session, the session closes right after. */
export function stopRecordingByRest(ctx: Step, r: RecordingRecord): void {
  checkStop(ctx, r);
  const s = r.session;
  const emptyCountdown = s.autostop !== undefined && s.connections.length === 0;
  cancelAutostop(s);
  stopRecording(ctx, r, 'recordingStoppedByServer');
  if (emptyCountdown) {
    finishRecordings(ctx, s, 'recordingStoppedByServer');
    destroySession(ctx, s, 'recordingStoppedByServer');
  }
}

/**
 * The session's recordings end now (before it goes): CE processes them inside the closing cascade. On LiveKit an
 * egress finishes on its own (its upload), after the room is gone.
 */
function finishRecordings(ctx: Step, s: SessionRecord, reason: string): void {
  if (s.recording) stopRecording(ctx, s.recording, reason);
  if (ctx.world.settings.livekit) return;
  for (const r of s.processing.slice()) {
    if (r.timer) r.timer.cancelled = true;
    ctx.elapse(processingDelay(ctx, r));
    finishRecording(ctx, r);
  }
}

/** Pro node crash: recordings get `stopped` only; their files are lost with the node (no `ready`). */
function abandonRecordings(ctx: Step, s: SessionRecord, reason: string): void {
  if (s.recording) stopRecording(ctx, s.recording, reason, true);
  for (const r of s.processing.slice()) abandonProcessing(r);
}

// ---------------------------------------------------------------------------------------------------------------------
// Closing sessions (§4.5, §4.7)

/**
 * Closes a session (REST DELETE, server stop, media server or node loss): everyone evicted with the reason (no
 * last-participant logic), the recordings finished (or, `lostWithNode`, left at `stopped`), the broadcast stopped,
 * then `sessionDestroyed`.
 */
export function closeSession(ctx: Step, s: SessionRecord, reason: string, lostWithNode = false): void {
  cancelAutostop(s);
  cancelRoomIdle(s);
  for (const c of s.connections.slice()) evict(ctx, c, reason);
  if (lostWithNode) abandonRecordings(ctx, s, reason);
  else finishRecordings(ctx, s, reason);
  if (s.broadcast) stopBroadcast(ctx, s, reason);
  destroySession(ctx, s, reason);
}

/** Closes every active session of the partition (never-joined ones log nothing, as OpenVidu). */
function closeActiveSessions(ctx: Step, reason: string): void {
  for (const s of [...ctx.partition.sessions.values()])
    if (s.status === 'active') closeSession(ctx, s, reason);
}

/** The server stops: every active session closed, every later command refused. */
export function stopServer(ctx: Step): void {
  closeActiveSessions(ctx, 'openviduServerStopped');
  ctx.partition.stopped = true;
}

// ---------------------------------------------------------------------------------------------------------------------
// Media server faults (§4.8)

/** The media server (or one Pro node) restarted as a new process: recordings stop, every WebRTC connection drops. */
export function mediaServerReconnect(ctx: Step, node: MediaNodeRecord | undefined): void {
  for (const s of [...ctx.partition.sessions.values()]) {
    if (s.status !== 'active' || (node && s.node !== node)) continue;
    // An empty session keeps counting down to its close; a populated one has nothing left to stop.
    if (s.connections.length > 0) cancelAutostop(s);
    if (s.recording) stopRecording(ctx, s.recording, 'mediaServerReconnect');
    finishRecordings(ctx, s, 'mediaServerReconnect');
    for (const c of s.connections) {
      dropSubscriptions(ctx, c, 'mediaServerReconnect');
      if (c.stream) closeStream(ctx, c, 'mediaServerReconnect');
    }
  }
}

/** CE: the media server is lost: every active session closed with `nodeCrashed`. */
export function mediaServerLost(ctx: Step): void {
  closeActiveSessions(ctx, 'nodeCrashed');
}

// ---------------------------------------------------------------------------------------------------------------------
// Media node faults, removal and recovery (§4.8, §8)

/**
 * A Pro node stops answering (`crashMediaNode`). Back within OpenVidu's 3 s of silent retries: nothing is logged.
 * Otherwise, after them, it is declared crashed (see nodeCrashed); it recovers if it comes back within the
 * reconnection timeout, else is given up at the timeout.
 */
export function crashNode(
  ctx: Step,
  cluster: ClusterRecord,
  node: MediaNodeRecord,
  recoverAfterMs: number | undefined,
): void {
  checkCrash(ctx, node);
  node.crashed = true;
  if (recoverAfterMs !== undefined && recoverAfterMs <= SILENT_RETRY_MS) {
    setFaultTimer(ctx, node, recoverAfterMs, newTimer({ kind: 'node-back', node }));
    return;
  }
  const timeoutS = reconnectionTimeout(cluster);
  const givenUpAfterMs = timeoutS < 0 ? undefined : Math.max(3, timeoutS) * 1000;
  const recovers =
    recoverAfterMs !== undefined && (givenUpAfterMs === undefined || recoverAfterMs < givenUpAfterMs);
  node.crash = { recovers, givenUpAfterMs };
  setFaultTimer(ctx, node, SILENT_RETRY_MS, newTimer({ kind: 'node-declared-crashed', node }));
  if (recovers) {
    setFaultTimer(ctx, node, recoverAfterMs!, newTimer({ kind: 'node-recovered', node }));
  } else if (givenUpAfterMs !== undefined && givenUpAfterMs > SILENT_RETRY_MS) {
    setFaultTimer(ctx, node, givenUpAfterMs, newTimer({ kind: 'node-given-up', node }));
  }
}

/**
 * A generated run's node crash, at the instant it is declared (its silent retries already over): the sessions planned
 * on it that have not joined go elsewhere, then it is declared crashed; it recovers `recoverAfterMs` later, unless its
 * reconnection timeout gives it up at once.
 */
export function crashNodeNow(
  ctx: Step,
  cluster: ClusterRecord,
  node: MediaNodeRecord,
  recovers: boolean,
  recoverAfterMs: number,
): void {
  checkCrash(ctx, node);
  replanPartitions(cluster, node);
  node.crashed = true;
  node.crash = { recovers, givenUpAfterMs: recovers ? undefined : 0 };
  if (recovers) setFaultTimer(ctx, node, recoverAfterMs, newTimer({ kind: 'node-recovered', node }));
  nodeCrashed(ctx, cluster, node);
}

/**
 * `nodeCrashed`, listing what the node hosts. Unless the node is to wait for its reconnection timeout, its sessions
 * are lost now — closed with `nodeCrashed`, each in its own partition, recordings left at `stopped` — and a node
 * given up at once goes `terminating` before and `terminated` after, stamped once its last session is closed.
 */
export function nodeCrashed(ctx: Step, cluster: ClusterRecord, node: MediaNodeRecord): void {
  const crash = node.crash!;
  const sessions = kurentoOrder(node);
  emitNodeCrashed(ctx, node, sessions);
  const givenUpNow =
    !crash.recovers && crash.givenUpAfterMs !== undefined && crash.givenUpAfterMs <= SILENT_RETRY_MS;
  if (!crash.recovers && !givenUpNow && crash.givenUpAfterMs !== undefined) return;
  if (givenUpNow) transitionNode(ctx, cluster, node, 'terminating');
  const ended = loseSessions(ctx, sessions);
  if (givenUpNow) {
    // Once its last session is closed: in a generated run, where the cluster runs apart from its sessions, as the
    // cluster's own cascade at that instant.
    const apart = cluster.partition.index === CLUSTER_PARTITION;
    const terminated = () => transitionNode(ctx, cluster, node, 'terminated');
    ctx.within(cluster.partition, ended, 'exact', terminated, ended, apart);
  }
}

/** The reconnection timeout is over: the node is given up — `terminating`, its sessions closed, `terminated`. */
export function nodeGivenUp(ctx: Step, cluster: ClusterRecord, node: MediaNodeRecord): void {
  transitionNode(ctx, cluster, node, 'terminating');
  loseSessions(ctx, kurentoOrder(node));
  transitionNode(ctx, cluster, node, 'terminated');
}

/** Closes the sessions of a lost node with `nodeCrashed`, each in its partition; returns when the last one ended. */
function loseSessions(ctx: Step, sessions: readonly SessionRecord[]): number {
  const at = ctx.now;
  let ended = at;
  for (const s of sessions) {
    ctx.within(
      s.partition,
      at,
      'catch-up',
      () => {
        closeSession(ctx, s, 'nodeCrashed', true);
        if (ctx.now > ended) ended = ctx.now;
      },
      at,
    );
  }
  return ended;
}

/** A REST PATCH of a node's status. */
export function patchNode(ctx: Step, cluster: ClusterRecord, node: MediaNodeRecord, to: string): void {
  checkPatch(ctx, node, to as MediaNodeRecord['status']);
  switch (to) {
    case 'canceled':
    case 'running':
      transitionNode(ctx, cluster, node, to);
      return;
    case 'launching':
      transitionNode(ctx, cluster, node, 'launching');
      if (!node.launchTimer) armLaunchAgain(ctx, cluster, node);
      return;
    case 'waiting-idle-to-terminate':
      transitionNode(ctx, cluster, node, 'waiting-idle-to-terminate');
      if (node.sessions.size === 0) terminateNode(ctx, cluster, node);
      return;
    case 'terminating':
      removeNodeNow(ctx, cluster, node);
      return;
    default:
      ctx.refuse('patch-not-allowed', `PATCH to ${to} is not allowed`);
  }
}

/** A REST DELETE of a node with a deletion strategy. */
export function removeNode(
  ctx: Step,
  cluster: ClusterRecord,
  node: MediaNodeRecord,
  strategy: 'now' | 'if-no-sessions' | 'when-no-sessions',
): void {
  if (node.status === 'launching' || node.status === 'canceled') {
    if (node.status === 'launching') transitionNode(ctx, cluster, node, 'canceled');
    return;
  }
  if (!isServing(node)) {
    ctx.refuse('node-not-removable', `media node "${node.handle}" is ${node.status} and cannot be removed`);
  }
  if (strategy === 'now') return removeNodeNow(ctx, cluster, node);
  if (node.sessions.size === 0) return terminateNode(ctx, cluster, node);
  if (strategy === 'if-no-sessions') {
    ctx.refuse('node-hosts-sessions', `media node "${node.handle}" hosts ${node.sessions.size} session(s)`);
  }
  if (node.status === 'running') transitionNode(ctx, cluster, node, 'waiting-idle-to-terminate');
}

/** `terminating`, every hosted session closed with `mediaServerDisconnect`, then `terminated` (§4.8). */
function removeNodeNow(ctx: Step, cluster: ClusterRecord, node: MediaNodeRecord): void {
  transitionNode(ctx, cluster, node, 'terminating');
  for (const s of [...node.sessions]) closeSession(ctx, s, 'mediaServerDisconnect');
  transitionNode(ctx, cluster, node, 'terminated');
}

function armLaunchAgain(ctx: Step, cluster: ClusterRecord, node: MediaNodeRecord): void {
  node.launchTimer = ctx.setTimer(
    cluster.rng.int(30_000, 90_000),
    newTimer({ kind: 'node-launched', node, fails: false }),
  );
}
