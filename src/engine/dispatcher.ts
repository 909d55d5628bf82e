/**
 * The dispatcher: routes each command to the machine or cascade that handles it, and each timer, when due, to what it
 * was set for. Guards refuse inside the machines; a stopped server refuses everything here.
 */
import type { Action, ActionOf } from '../model/commands.js';
import {
  autostopFired,
  closeSession,
  crashNode,
  dropConnection,
  flap,
  flapAgain,
  join,
  leave,
  mediaServerLost,
  mediaServerReconnect,
  nodeCrashed,
  nodeGivenUp,
  patchNode,
  pingTimedOut,
  publish,
  reconnect,
  rejoin,
  removeNode,
  roomIdle,
  startRecordingByRest,
  stopRecordingByRest,
  stopServer,
  unpublish,
} from './cascades.js';
import { liveConnection, liveRecording, liveSession } from './handles.js';
import { autoscale } from './machines/autoscaling.js';
import { startBroadcast, stopBroadcast } from './machines/broadcast.js';
import { bootCluster, scheduleSample } from './machines/cluster.js';
import { requirePro } from './machines/edition.js';
import { deregisterMasterNode, registerMasterNode } from './machines/master-node.js';
import { launched, launchNode, nodeByHandle, recovered } from './machines/media-node.js';
import { finishRecording, markStarted } from './machines/recording.js';
import { clientConnection, loseConnection } from './machines/connection.js';
import { collectGarbage, createSession } from './machines/session.js';
import { becomeActive } from './machines/room.js';
import { filterEvent, signal } from './machines/signal.js';
import { checkPublish, checkSubscribe, checkUnpublish, subscribe, unsubscribe } from './machines/stream.js';
import type { TimerRecord } from './records.js';
import type { Step } from './step.js';

/** Applies one command in the step's partition (throws a Refusal when OpenVidu would refuse it). */
export function dispatch(ctx: Step, action: Action): void {
  if (ctx.partition.stopped) {
    ctx.refuse(
      'server-stopped',
      'OpenVidu Server has been stopped (stopServer); no further action is possible',
    );
  }
  switch (action.type) {
    case 'createSession':
      createSession(ctx, action.args);
      return;
    case 'join':
      join(ctx, action.args);
      return;
    case 'reconnect':
      return reconnect(ctx, liveConnection(ctx, action.args.participant), action.args);
    case 'publish': {
      const c = clientConnection(ctx, action.args.participant);
      return publish(ctx, c, checkPublish(ctx, c, action.args));
    }
    case 'unpublish':
    case 'forceUnpublish': {
      const c =
        action.type === 'unpublish'
          ? clientConnection(ctx, action.args.participant)
          : liveConnection(ctx, action.args.participant);
      checkUnpublish(ctx, c);
      const by = action.type === 'forceUnpublish' ? action.args.by : undefined;
      const reason =
        by === undefined ? 'unpublish' : by === 'user' ? 'forceUnpublishByUser' : 'forceUnpublishByServer';
      return unpublish(ctx, c, reason);
    }
    case 'subscribe': {
      const sub = clientConnection(ctx, action.args.participant);
      return subscribe(ctx, sub, checkSubscribe(ctx, sub, liveConnection(ctx, action.args.to)));
    }
    case 'unsubscribe':
      return unsubscribe(
        ctx,
        clientConnection(ctx, action.args.participant),
        liveConnection(ctx, action.args.to),
      );
    case 'leave':
      return leaveByClient(ctx, action.args);
    case 'flap': {
      const a = action.args;
      return flap(ctx, clientConnection(ctx, a.participant), a.times ?? 1, a.every ?? 30_000);
    }
    case 'forceDisconnect':
      return leave(
        ctx,
        liveConnection(ctx, action.args.participant),
        action.args.by === 'user' ? 'forceDisconnectByUser' : 'forceDisconnectByServer',
      );
    case 'startRecording':
      return startRecordingByRest(ctx, action.args);
    case 'stopRecording':
      return stopRecordingByRest(ctx, liveRecording(ctx, action.args.recording));
    case 'signal':
      return signal(ctx, action.args);
    case 'filterEvent':
      return filterEvent(ctx, action.args);
    case 'closeSession':
      return closeSession(ctx, liveSession(ctx, action.args.session), 'sessionClosedByServer');
    case 'stopServer':
      return stopServer(ctx);
    default:
      return dispatchPro(ctx, action);
  }
}

/** The commands of media faults, Pro nodes, broadcasts and Enterprise master nodes. */
function dispatchPro(ctx: Step, action: Action): void {
  switch (action.type) {
    case 'mediaServerReconnect': {
      const handle = action.args.node;
      const cluster = handle === undefined ? undefined : requirePro(ctx, 'mediaServerReconnect.node');
      return mediaServerReconnect(ctx, cluster && nodeByHandle(ctx, cluster, handle!));
    }
    case 'mediaServerCrash':
      return mediaServerCrash(ctx, action.args.node);
    case 'launchMediaNode': {
      const a = action.args;
      launchNode(ctx, requirePro(ctx, 'launchMediaNode'), a.node, a.launchDelay, a.fail ?? false);
      return;
    }
    case 'setMediaNodeStatus': {
      const cluster = requirePro(ctx, 'setMediaNodeStatus');
      return patchNode(ctx, cluster, nodeByHandle(ctx, cluster, action.args.node), action.args.status);
    }
    case 'removeMediaNode': {
      const cluster = requirePro(ctx, 'removeMediaNode');
      const node = nodeByHandle(ctx, cluster, action.args.node);
      return removeNode(ctx, cluster, node, action.args.strategy ?? 'if-no-sessions');
    }
    case 'crashMediaNode': {
      const cluster = requirePro(ctx, 'crashMediaNode');
      return crashNode(ctx, cluster, nodeByHandle(ctx, cluster, action.args.node), action.args.recoverAfter);
    }
    case 'startBroadcast':
      return startBroadcast(ctx, liveSession(ctx, action.args.session), action.args.broadcastUrl);
    case 'stopBroadcast':
      return stopBroadcast(ctx, liveSession(ctx, action.args.session), 'broadcastStoppedByServer');
    case 'registerMasterNode':
      return registerMasterNode(ctx, action.args.node, action.args.ip);
    case 'deregisterMasterNode':
      return deregisterMasterNode(ctx, action.args.node, action.args.reason ?? 'mediaNodeStatusTerminated');
    default:
      throw new Error(`internal: unhandled action ${JSON.stringify(action)}`);
  }
}

/** CE: every active session closed with `nodeCrashed`. Pro: the node (or every running node) crashes for good. */
function mediaServerCrash(ctx: Step, handle: string | undefined): void {
  const cluster = ctx.world.cluster;
  if (cluster === undefined) {
    if (handle !== undefined) requirePro(ctx, 'mediaServerCrash.node');
    return mediaServerLost(ctx);
  }
  const targets =
    handle === undefined
      ? [...cluster.nodes.values()].filter((n) => n.status === 'running' && !n.crashed)
      : [nodeByHandle(ctx, cluster, handle)];
  for (const n of targets) crashNode(ctx, cluster, n, undefined);
}

/**
 * A client's departure: at once (`disconnect`, or `networkDisconnect` from a closed websocket), or — a network that
 * vanished (`detection: pingTimeout`) — when OpenVidu's ping watchdog notices.
 */
function leaveByClient(ctx: Step, a: ActionOf<'leave'>): void {
  const c = clientConnection(ctx, a.participant);
  const reason = a.reason ?? 'disconnect';
  if (a.detection !== undefined && reason !== 'networkDisconnect') {
    ctx.refuse('invalid-argument', `detection: ${a.detection} is for reason: networkDisconnect`);
  }
  if (a.detection === 'pingTimeout') loseConnection(ctx, c);
  else leave(ctx, c, reason);
}

/** Runs a timer that fell due (cancelled ones never reach here). */
export function fireTimer(ctx: Step, t: TimerRecord): void {
  const cluster = ctx.world.cluster;
  switch (t.kind) {
    case 'cluster-boot':
      if (cluster) bootCluster(ctx, cluster);
      return;
    case 'autoscaling-sample':
      autoscale(ctx, cluster!);
      scheduleSample(ctx, cluster!);
      return;
    case 'recording-started':
      return markStarted(ctx, t.recording);
    case 'recording-processed':
      return finishRecording(ctx, t.recording);
    case 'autostop':
      return autostopFired(ctx, t.session);
    case 'connection-active':
      return becomeActive(ctx, t.connection);
    case 'connection-drop':
      return dropConnection(ctx, t.connection, t.reason);
    case 'room-idle':
      return roomIdle(ctx, t.session);
    case 'session-gc':
      return collectGarbage(ctx, t.at);
    case 'ping-timeout':
      return pingTimedOut(ctx, t.connection);
    case 'rejoin':
      return rejoin(ctx, t.ghost, t.handle);
    case 'flap':
      return flapAgain(ctx, t.handle, t.times, t.every);
    case 'node-launched':
      return launched(ctx, cluster!, t.node, t.fails);
    case 'node-back':
      t.node.crashed = false;
      return;
    case 'node-declared-crashed':
      return nodeCrashed(ctx, cluster!, t.node);
    case 'node-recovered':
      return recovered(ctx, t.node);
    case 'node-given-up':
      return nodeGivenUp(ctx, cluster!, t.node);
  }
}
